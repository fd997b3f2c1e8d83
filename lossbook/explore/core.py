"""Explorers: one figure, a few controls, and an update function.

An :class:`Explorer` is shown in two ways from one notebook output:

* in Jupyter, a live ipywidgets control (sliders, the figure as an image, a
  caption); moving a slider calls the update function, which changes the
  existing artists, and the figure is redrawn on its Agg canvas;
* on the static website, where there is no kernel, a small HTML player holding
  one pre-rendered frame per combination of control values, computed when the
  notebook is executed; its range inputs swap the frames.

Both live in one rich output (``_repr_mimebundle_``): Jupyter prefers the widget
view, and the book's ``_config.yml`` ranks ``text/html`` first for the website.

The update function is plain Python: ``explorer.update(residual=3.0)`` returns
the caption (the key numbers for those values) and needs no browser, so tests
and benchmarks call it directly.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: A static player holds every combination of control values; beyond this many
#: frames a chapter notebook would outgrow its 2 MB budget.
MAX_FRAMES = 60

#: Frames are quantised to this many colours: line plots need few, and it makes
#: each frame three to four times smaller.
FRAME_COLORS = 64


@dataclass(frozen=True)
class Slider:
    """A numeric control.

    ``values`` is the grid the static website offers; the live slider moves
    between the same ends in steps of ``step`` (default: the grid's spacing).
    """

    name: str
    label: str
    values: Sequence[float]
    value: float | None = None
    step: float | None = None
    fmt: str = "{:g}"

    def __post_init__(self):
        values = tuple(float(v) for v in self.values)
        if len(values) < 2 or any(b <= a for a, b in itertools.pairwise(values)):
            raise ValueError(f"Slider {self.name!r}: values must increase, at least two of them")
        object.__setattr__(self, "values", values)
        start = values[len(values) // 2] if self.value is None else float(self.value)
        object.__setattr__(self, "value", start)
        if self.step is None:
            object.__setattr__(self, "step", min(b - a for a, b in itertools.pairwise(values)))

    def text(self, value) -> str:
        return self.fmt.format(value)

    @property
    def decimals(self) -> int:
        """Decimals the grid needs (0.25 -> 2), so the live readout shows 0.50, not 0.5000."""
        return max(len(f"{v:.6f}".rstrip("0").split(".")[1]) for v in (*self.values, self.step))

    def widget(self):
        import ipywidgets as widgets

        return widgets.FloatSlider(
            value=self.value,
            min=self.values[0],
            max=self.values[-1],
            step=self.step,
            description=self.label,
            continuous_update=True,
            readout_format=f".{self.decimals}f",
            style={"description_width": "initial"},
            layout={"width": "420px"},
        )


@dataclass(frozen=True)
class Choice:
    """A control with a few named options (a loss to pick, a label to show)."""

    name: str
    label: str
    values: Sequence[str]
    value: str | None = None
    fmt: str = field(default="{}")

    def __post_init__(self):
        values = tuple(self.values)
        if len(values) < 2:
            raise ValueError(f"Choice {self.name!r}: give at least two options")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "value", values[0] if self.value is None else self.value)

    def text(self, value) -> str:
        return self.fmt.format(value)

    def widget(self):
        import ipywidgets as widgets

        return widgets.ToggleButtons(
            options=list(self.values),
            value=self.value,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )


Control = Slider | Choice


def _png_bytes(canvas, *, quantize: bool) -> bytes:
    """Encode the pixels of an Agg canvas (already drawn) as PNG."""
    from PIL import Image

    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    image = image.convert("RGB")
    if quantize:
        image = image.quantize(colors=FRAME_COLORS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    # zlib level 6 with no optimize pass: ~3 ms a frame; level 9 or optimize=True cost
    # 15-20 ms more for 10% fewer bytes, and a chapter renders up to 60 frames.
    image.save(buffer, format="PNG", compress_level=6 if quantize else 1)
    return buffer.getvalue()


class Explorer:
    """A figure whose artists an update function moves, with its controls.

    Parameters
    ----------
    figure:
        A figure made with :func:`lossbook.plotting.new_figure` (outside pyplot).
    update:
        ``update(**values) -> str``: changes the figure's artists for the control
        values and returns a caption with the numbers that matter.
    controls:
        The :class:`Slider` and :class:`Choice` objects, one per keyword of ``update``.
    title:
        One line said above the controls (and the plain-text form of the output).
    animated:
        The artists that ``update`` changes, when it changes nothing else (no axis
        limits, no ticks). They are then drawn over a saved background (blitting),
        which makes a redraw several times faster than drawing the whole figure.
    """

    def __init__(
        self,
        figure,
        update: Callable[..., str],
        controls: Sequence[Control],
        *,
        title: str,
        animated: Sequence = (),
    ):
        self.figure = figure
        self.animated = tuple(animated)
        self._update = update
        self.controls = tuple(controls)
        self.title = title
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"explorer {title!r}: two controls share a name: {names}")
        if self.frame_count > MAX_FRAMES:
            raise ValueError(
                f"explorer {title!r}: {self.frame_count} static frames, more than "
                f"{MAX_FRAMES}; offer fewer values on the sliders"
            )
        self.caption = self.update(**self.initial_values)
        # Lay the figure out once; later frames keep the layout, which keeps the
        # axes still while the slider moves and saves the layout pass per redraw.
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        self._background = None
        if self.animated:
            for artist in self.animated:
                artist.set_animated(True)
            self.figure.canvas.draw()
            self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    @property
    def initial_values(self) -> dict:
        return {c.name: c.value for c in self.controls}

    @property
    def frame_count(self) -> int:
        return int(np.prod([len(c.values) for c in self.controls]))

    def update(self, **values) -> str:
        """Move the artists to the given control values; return the caption."""
        missing = {c.name for c in self.controls} - values.keys()
        unknown = values.keys() - {c.name for c in self.controls}
        if missing or unknown:
            raise ValueError(
                f"explorer {self.title!r} takes {[c.name for c in self.controls]}, "
                f"got {sorted(values)}"
            )
        self.caption = self._update(**values)
        return self.caption

    def render(self, *, quantize: bool = False, **values) -> bytes:
        """Update for the values and return the redrawn figure as PNG bytes."""
        self.update(**values)
        self.redraw()
        return _png_bytes(self.figure.canvas, quantize=quantize)

    def redraw(self) -> None:
        """Draw the figure on its canvas: only the animated artists when it can."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()
            return
        canvas.restore_region(self._background)
        for artist in self.animated:
            self.figure.draw_artist(artist)

    # -- the static website ---------------------------------------------------

    def frames(self):
        """Every combination of control values (first control slowest), in order."""
        return list(itertools.product(*(c.values for c in self.controls)))

    def static_html(self) -> str:
        """The kernel-free player: range inputs that swap pre-rendered frames."""
        frames, captions = [], []
        for combo in self.frames():
            values = dict(zip((c.name for c in self.controls), combo, strict=True))
            frames.append(base64.b64encode(self.render(quantize=True, **values)).decode())
            captions.append(self.caption)
        start = [c.values.index(c.value) if c.value in c.values else 0 for c in self.controls]
        first = int(np.ravel_multi_index(start, [len(c.values) for c in self.controls]))
        # Leave the live figure where the controls start.
        self.update(**self.initial_values)
        data = {
            "shape": [len(c.values) for c in self.controls],
            "labels": [[c.text(v) for v in c.values] for c in self.controls],
            "captions": captions,
            "frames": frames,
        }
        inputs = "".join(
            f'<label class="lbx-control"><span>{html.escape(c.label)}</span>'
            f'<input type="range" min="0" max="{len(c.values) - 1}" step="1" '
            f'value="{i}" aria-label="{html.escape(c.label)}">'
            f"<output>{html.escape(c.text(c.values[i]))}</output></label>"
            for c, i in zip(self.controls, start, strict=True)
        )
        return (
            f'<div class="lossbook-explorer" data-frames="{self.frame_count}">'
            f"<style>{_PLAYER_CSS}</style>"
            f'<p class="lbx-title">{html.escape(self.title)}</p>'
            f'<div class="lbx-controls">{inputs}</div>'
            f'<img class="lbx-figure" alt="{html.escape(self.title)}" '
            f'src="data:image/png;base64,{frames[first]}">'
            f'<p class="lbx-caption">{html.escape(captions[first])}</p>'
            f'<script type="application/json" class="lbx-data">{json.dumps(data)}</script>'
            f"<script>{_PLAYER_JS}</script>"
            f"</div>"
        )

    # -- Jupyter ----------------------------------------------------------------

    def widget(self):
        """The live control: sliders, the figure as an image, the caption."""
        import ipywidgets as widgets

        controls = [c.widget() for c in self.controls]
        image = widgets.Image(value=self.render(**self.initial_values), format="png")
        caption = widgets.HTML(value=f"<code>{html.escape(self.caption)}</code>")

        def on_change(_change):
            values = {c.name: w.value for c, w in zip(self.controls, controls, strict=True)}
            image.value = self.render(**values)
            caption.value = f"<code>{html.escape(self.caption)}</code>"

        for control in controls:
            control.observe(on_change, names="value")
        title = widgets.HTML(value=f"<b>{html.escape(self.title)}</b>")
        return widgets.VBox([title, *controls, image, caption])

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_()
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Explorer: {self.title} ({self.frame_count} frames)"
        return bundle


_PLAYER_CSS = (
    ".lossbook-explorer{margin:.5em 0;max-width:720px}"
    ".lossbook-explorer .lbx-title{font-weight:600;margin:0 0 .3em}"
    ".lossbook-explorer .lbx-control{display:flex;align-items:center;gap:.6em;margin:.2em 0}"
    ".lossbook-explorer .lbx-control span{min-width:11em}"
    ".lossbook-explorer .lbx-control input{flex:1;max-width:320px}"
    ".lossbook-explorer .lbx-control output{font-family:monospace;min-width:5em}"
    ".lossbook-explorer .lbx-figure{max-width:100%;height:auto;display:block;background:#fff}"
    ".lossbook-explorer .lbx-caption{font-family:monospace;font-size:.9em;margin:.3em 0}"
)

# The player: each range input picks an index along one control; the frame is
# the row-major index over all controls, as Explorer.frames() orders them.
_PLAYER_JS = (
    "(function(){var root=document.currentScript.parentElement;"
    "var data=JSON.parse(root.querySelector('.lbx-data').textContent);"
    "var inputs=root.querySelectorAll('.lbx-control input');"
    "var img=root.querySelector('.lbx-figure'),cap=root.querySelector('.lbx-caption');"
    "function show(){var k=0;inputs.forEach(function(inp,i){var v=+inp.value;"
    "k=k*data.shape[i]+v;inp.nextElementSibling.textContent=data.labels[i][v];});"
    "img.src='data:image/png;base64,'+data.frames[k];cap.textContent=data.captions[k];"
    "root.dataset.frame=k;}"
    "inputs.forEach(function(inp){inp.addEventListener('input',show);});})();"
)
