"""The explorer itself: its controls, the update function, the redraw and the frames.

Nothing here needs a browser or a kernel: ``explorer.update(residual=3.0)`` returns
the caption, ``explorer.render(residual=3.0)`` the redrawn figure as PNG, so tests
and benchmarks call them directly. The two views live beside it: ``player.py`` (the
kernel-free web player) and ``widget.py`` (the live ipywidgets view).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: Frames are quantised to this many colours: line plots need few, and it makes
#: each frame three to four times smaller.
FRAME_COLORS = 64


def _start_on_grid(kind: str, name: str, values: tuple, value, default):
    """The start value, which must be one of the offered values (the web player has no other)."""
    if value is None:
        return default
    for offered in values:
        same = offered == value if kind == "Choice" else np.isclose(float(offered), float(value))
        if same:
            return offered
    raise ValueError(
        f"{kind} {name!r}: the start value {value!r} is not one of its values {list(values)}; "
        "the web player can only start on a value it has a frame for"
    )


def _spoken(template: str | None, *, label: str, value: str, unit: str) -> str:
    """What a screen reader says for one position of a control, e.g. "residual 2.0"."""
    if template is not None:
        return template.format(label=label, value=value, unit=unit)
    return f"{label} {value} {unit}".strip()


@dataclass(frozen=True)
class Slider:
    """A numeric control.

    ``values`` is the grid the web player offers, and ``value`` (default: the middle
    one) must be on it; the live slider moves between the same ends in steps of
    ``step`` (default: the grid's spacing). ``fmt`` formats a value for the readout;
    ``unit`` and ``valuetext`` say what a position means to a screen reader: by
    default "<label> <value> <unit>", or ``valuetext.format(label=, value=, unit=)``,
    e.g. ``Slider("steps", "number of steps", ..., valuetext="{value} steps")``.
    """

    name: str
    label: str
    values: Sequence[float]
    value: float | None = None
    step: float | None = None
    fmt: str = "{:g}"
    unit: str = ""
    valuetext: str | None = None

    def __post_init__(self):
        values = tuple(float(v) for v in self.values)
        if len(values) < 2 or any(b <= a for a, b in itertools.pairwise(values)):
            raise ValueError(f"Slider {self.name!r}: values must increase, at least two of them")
        object.__setattr__(self, "values", values)
        start = _start_on_grid("Slider", self.name, values, self.value, values[len(values) // 2])
        object.__setattr__(self, "value", start)
        if self.step is None:
            object.__setattr__(self, "step", min(b - a for a, b in itertools.pairwise(values)))

    def text(self, value) -> str:
        return self.fmt.format(value)

    def spoken(self, value) -> str:
        return _spoken(self.valuetext, label=self.label, value=self.text(value), unit=self.unit)

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
    """A control with a few named options (a loss to pick, a label to show).

    ``value`` (default: the first option) must be one of ``values``; ``valuetext``
    works as for :class:`Slider` (default: "<label> <option>"). ``labels`` maps an
    option to the text shown and spoken for it (``{"mse": "MSE"}``); options it leaves
    out are shown with ``fmt``.
    """

    name: str
    label: str
    values: Sequence[str]
    value: str | None = None
    fmt: str = "{}"
    unit: str = ""
    valuetext: str | None = None
    labels: Mapping[str, str] | None = None

    def __post_init__(self):
        values = tuple(self.values)
        if len(values) < 2:
            raise ValueError(f"Choice {self.name!r}: give at least two options")
        object.__setattr__(self, "values", values)
        start = _start_on_grid("Choice", self.name, values, self.value, values[0])
        object.__setattr__(self, "value", start)
        unknown = set(self.labels or {}) - set(values)
        if unknown:
            raise ValueError(
                f"Choice {self.name!r}: labels for options it lacks: {sorted(unknown)}"
            )

    def text(self, value) -> str:
        if self.labels and value in self.labels:
            return self.labels[value]
        return self.fmt.format(value)

    def spoken(self, value) -> str:
        return _spoken(self.valuetext, label=self.label, value=self.text(value), unit=self.unit)

    def widget(self):
        import ipywidgets as widgets

        return widgets.ToggleButtons(
            options=[(self.text(v), v) for v in self.values],
            value=self.value,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )


Control = Slider | Choice


def png_bytes(canvas, *, quantize: bool) -> bytes:
    """Encode the pixels of an Agg canvas (already drawn) as PNG."""
    from PIL import Image

    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    image = image.convert("RGB")
    if quantize:
        image = image.quantize(colors=FRAME_COLORS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    # zlib level 6 with no optimize pass: ~3 ms a frame; level 9 or optimize=True cost
    # 15-20 ms more for 10% fewer bytes, and a chapter renders dozens of frames.
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
    description:
        What the figure shows, for a reader who cannot see it; the web player's
        image alt text is this followed by the caption (default: the title).
    """

    def __init__(
        self,
        figure,
        update: Callable[..., str],
        controls: Sequence[Control],
        *,
        title: str,
        animated: Sequence = (),
        description: str | None = None,
    ):
        self.figure = figure
        self.animated = tuple(animated)
        self._update = update
        self.controls = tuple(controls)
        self.title = title
        self.description = title if description is None else description
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"explorer {title!r}: two controls share a name: {names}")
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

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of a frame in pixels."""
        return self.figure.canvas.get_width_height()

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
        return png_bytes(self.figure.canvas, quantize=quantize)

    def redraw(self) -> None:
        """Draw the figure on its canvas: only the animated artists when it can."""
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()
            return
        canvas.restore_region(self._background)
        for artist in self.animated:
            self.figure.draw_artist(artist)

    def redraw_in_full(self) -> None:
        """Draw the whole figure for its current values: what blitting must equal.

        Everything is drawn afresh, the animated artists last as blitting draws them,
        so the two differ only where the saved background is stale: an artist that
        ``update`` changes but ``animated=`` does not list.
        """
        self.figure.canvas.draw()  # skips the animated artists
        for artist in self.animated:
            self.figure.draw_artist(artist)

    def frames(self) -> list[tuple]:
        """Every combination of control values (first control slowest), in order."""
        return list(itertools.product(*(c.values for c in self.controls)))

    def frame_values(self) -> list[dict]:
        """The same combinations as keyword dictionaries for :meth:`update`."""
        names = [c.name for c in self.controls]
        return [dict(zip(names, combo, strict=True)) for combo in self.frames()]

    # -- the two views ----------------------------------------------------------

    def static_html(self, *, embed_limit: float | None = None) -> str:
        """The kernel-free web player (see :mod:`lossbook.explore.player`)."""
        from lossbook.explore import player

        return player.static_html(self, embed_limit=embed_limit)

    def widget(self):
        """The live ipywidgets view (see :mod:`lossbook.explore.widget`)."""
        from lossbook.explore import widget

        return widget.live_widget(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        # Jupyter prefers the widget view; the book's _config.yml ranks text/html first.
        bundle = self.widget()._repr_mimebundle_()
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Explorer: {self.title} ({self.frame_count} frames)"
        return bundle
