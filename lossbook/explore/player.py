"""The kernel-free web player: range inputs that swap pre-rendered frames.

The player is plain HTML with its CSS and script inlined from ``player.css`` and
``player.js`` (beside this file), and its data in a JSON script: per frame the image
(a ``data:`` URL in the notebook) and the caption; per control position the readout
and what a screen reader says. On the website, ``_ext/explorer_frames.py`` moves the
images out of the page with :func:`with_frame_urls`, leaving their URLs.

Every combination of control values is rendered when the notebook runs, so the
frames' total size is capped, like matplotlib's ``animation.embed_limit``.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources

import numpy as np

#: Most bytes of PNG frames one player may embed (the notebook stores them as base64,
#: a third more). Chapter notebooks stay near 1 MB with the course's explorers.
EMBED_LIMIT_MB = 1.0

DATA_URL = "data:image/png;base64,"


@cache
def _template(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _json_for_script(data) -> str:
    # Inside <script>, "</script>" or "<!--" in a caption would end or upset the script;
    # \u003c is the same character to JSON.parse and never markup to the HTML parser.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def static_html(explorer, *, embed_limit: float | None = None) -> str:
    """Render every frame of ``explorer`` and return its web player."""
    limit_mb = EMBED_LIMIT_MB if embed_limit is None else embed_limit
    frames, captions, total = [], [], 0
    for values in explorer.frame_values():
        png = explorer.render(quantize=True, **values)
        total += len(png)
        if total > limit_mb * 1e6:
            explorer.update(**explorer.initial_values)
            raise ValueError(
                f"explorer {explorer.title!r}: its {explorer.frame_count} frames pass the "
                f"embed limit of {limit_mb:g} MB after {len(frames) + 1}; offer fewer values "
                "on the controls, a smaller figure, or raise embed_limit= knowingly"
            )
        frames.append(DATA_URL + base64.b64encode(png).decode())
        captions.append(explorer.caption)
    # Leave the live figure where the controls start.
    explorer.update(**explorer.initial_values)
    start = [c.values.index(c.value) for c in explorer.controls]
    first = int(np.ravel_multi_index(start, [len(c.values) for c in explorer.controls]))
    data = {
        "shape": [len(c.values) for c in explorer.controls],
        "labels": [[c.text(v) for v in c.values] for c in explorer.controls],
        "valuetexts": [[c.spoken(v) for v in c.values] for c in explorer.controls],
        "description": explorer.description,
        "captions": captions,
        "frames": frames,
    }
    width, height = explorer.size
    controls = "".join(
        '<label class="lbx-control">'
        f'<span class="lbx-label">{html.escape(c.label)}</span>'
        f'<input type="range" min="0" max="{len(c.values) - 1}" step="1" value="{i}" '
        f'aria-label="{html.escape(c.label)}" '
        f'aria-valuetext="{html.escape(c.spoken(c.values[i]))}">'
        # the readout repeats what aria-valuetext says, so screen readers skip it
        f'<output aria-hidden="true">{html.escape(c.text(c.values[i]))}</output></label>'
        for c, i in zip(explorer.controls, start, strict=True)
    )
    alt = f"{explorer.description}. {captions[first]}"
    return (
        f'<div class="lossbook-explorer" role="group" aria-label="{html.escape(explorer.title)}" '
        f'data-frames="{explorer.frame_count}">'
        f"<style>{_template('player.css')}</style>"
        f'<p class="lbx-title">{html.escape(explorer.title)}</p>'
        f'<div class="lbx-controls">{controls}</div>'
        f'<img class="lbx-figure" width="{width}" height="{height}" decoding="async" '
        f'alt="{html.escape(alt)}" src="{frames[first]}">'
        f'<p class="lbx-caption" aria-live="polite">{html.escape(captions[first])}</p>'
        f'<script type="application/json" class="lbx-data">{_json_for_script(data)}</script>'
        f"<script>{_template('player.js')}</script>"
        "</div>"
    )


_DATA = re.compile(r'(<script type="application/json" class="lbx-data">)(.*?)(</script>)', re.S)
_FIRST = re.compile(r'(<img class="lbx-figure"[^>]*? src=")(data:image/png;base64,[^"]+)(")')


def with_frame_urls(player_html: str, store: Callable[[bytes], str]) -> str:
    """The same player with its frames moved out: ``store(png) -> url`` keeps each one.

    ``player_html`` may hold several players (a page). The first frame stays a
    normal image (now from its URL); the player loads the others by URL.
    """

    def url(data_url: str) -> str:
        if not data_url.startswith(DATA_URL):
            return data_url  # already moved out
        return store(base64.b64decode(data_url.removeprefix(DATA_URL)))

    def replace_data(match: re.Match) -> str:
        data = json.loads(match.group(2))
        data["frames"] = [url(frame) for frame in data["frames"]]
        return match.group(1) + _json_for_script(data) + match.group(3)

    player_html = _DATA.sub(replace_data, player_html)
    return _FIRST.sub(lambda m: m.group(1) + html.escape(url(m.group(2))) + m.group(3), player_html)
