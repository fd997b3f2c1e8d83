"""Explorers: one figure, a few controls, and an update function.

An :class:`Explorer` is shown in two ways from one notebook output:

* in Jupyter, a live ipywidgets view (:mod:`.widget`): moving a slider calls the
  update function, which changes the existing artists, and the figure is redrawn on
  its Agg canvas;
* on the static website, where there is no kernel, a small HTML player (:mod:`.player`)
  holding one pre-rendered frame per combination of control values, computed when
  the notebook is executed; its range inputs swap the frames.

Both live in one rich output (``_repr_mimebundle_``): Jupyter prefers the widget
view, and the book's ``_config.yml`` ranks ``text/html`` first for the website.

The update function is plain Python (:mod:`.core`): ``explorer.update(residual=3.0)``
returns the caption (the key numbers for those values) and needs no browser, so
tests and benchmarks call it directly.
"""

from lossbook.explore.core import FRAME_COLORS, Choice, Control, Explorer, Slider
from lossbook.explore.player import EMBED_LIMIT_MB

__all__ = ["EMBED_LIMIT_MB", "FRAME_COLORS", "Choice", "Control", "Explorer", "Slider"]
