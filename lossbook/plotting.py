"""Figure helpers shared by the chapters and the explorers.

Every figure gets an opaque white face: the book's dark theme puts a light card
behind output images, but JupyterLab's dark theme does not, and a transparent
figure would be black lines on a near-black page there.
"""

from __future__ import annotations

import matplotlib

# Explorers draw off-screen; the notebooks' inline backend is untouched by this.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

FACE_COLOR = "white"

#: Colours used consistently across the course (colour-blind friendly, Okabe-Ito).
COLORS = {
    "data": "#0072B2",
    "fit": "#D55E00",
    "alt": "#009E73",
    "accent": "#CC79A7",
    "muted": "#999999",
    "target": "#E69F00",
}

COURSE_RC = {
    "figure.facecolor": FACE_COLOR,
    "savefig.facecolor": FACE_COLOR,
    "axes.facecolor": FACE_COLOR,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
}


def use_course_style() -> None:
    """Apply the course look to pyplot figures (call once, after importing pyplot)."""
    matplotlib.rcParams.update(COURSE_RC)


def new_figure(*, ncols: int = 1, nrows: int = 1, figsize=(7.0, 3.2), **subplot_kw):
    """An off-screen figure and its axes, outside pyplot.

    Explorers draw with this so that a notebook's inline backend never shows
    their figure a second time.
    """
    with matplotlib.rc_context(COURSE_RC):
        figure = Figure(figsize=figsize, facecolor=FACE_COLOR, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(nrows=nrows, ncols=ncols, squeeze=True, subplot_kw=subplot_kw)
    return figure, axes
