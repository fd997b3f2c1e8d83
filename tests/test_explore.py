"""The explorer mechanism, without a browser: update, render, static player, live widget."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from lossbook.explore import MAX_FRAMES, Choice, Explorer, Slider
from lossbook.plotting import new_figure


def line_explorer(*, animate=False):
    figure, ax = new_figure(figsize=(3, 2))
    x = np.linspace(0, 1, 20)
    (line,) = ax.plot(x, x)
    ax.set_ylim(-3, 3)

    def update(slope, kind):
        line.set_ydata(slope * x if kind == "line" else slope * x**2)
        return f"{kind} with slope {slope:.2f}"

    controls = [
        Slider("slope", "slope", [-2, 1, 2], value=1),
        Choice("kind", "kind", ["line", "parabola"]),
    ]
    animated = [line] if animate else []
    return Explorer(figure, update, controls, title="a test", animated=animated)


def test_update_returns_the_caption_and_moves_the_artist():
    explorer = line_explorer()
    assert explorer.caption == "line with slope 1.00"
    assert explorer.update(slope=2, kind="parabola") == "parabola with slope 2.00"
    assert explorer.figure.axes[0].lines[0].get_ydata()[-1] == pytest.approx(2.0)


def test_update_refuses_unknown_or_missing_values():
    explorer = line_explorer()
    with pytest.raises(ValueError, match="slope"):
        explorer.update(kind="line")
    with pytest.raises(ValueError, match="takes"):
        explorer.update(slope=1, kind="line", colour="red")


@pytest.mark.parametrize("animated", [False, True])
def test_render_changes_with_the_values(animated):
    explorer = line_explorer(animate=animated)
    first = explorer.render(slope=-2, kind="line")
    second = explorer.render(slope=2, kind="line")
    assert first.startswith(b"\x89PNG") and first != second
    assert explorer.render(slope=-2, kind="line") == first


def test_static_player_holds_every_frame_in_order():
    explorer = line_explorer()
    html = explorer.static_html()
    data = json.loads(re.search(r'class="lbx-data">(.*?)</script>', html).group(1))
    assert data["shape"] == [3, 2]
    assert len(data["frames"]) == 6 and len(set(data["frames"])) == 6
    assert data["captions"][0] == "line with slope -2.00"
    assert data["captions"][5] == "parabola with slope 2.00"
    assert data["labels"] == [["-2", "1", "2"], ["line", "parabola"]]
    # the page starts on the frame of the initial values, and so does the figure
    assert "line with slope 1.00" in html
    assert explorer.caption == "line with slope 1.00"
    assert html.count('type="range"') == 2


def test_too_many_frames_is_refused():
    figure, _ = new_figure()
    many = Slider("a", "a", np.arange(MAX_FRAMES + 1))
    with pytest.raises(ValueError, match="frames"):
        Explorer(figure, lambda a: "", [many], title="too many")


def test_slider_values_must_increase():
    with pytest.raises(ValueError, match="increase"):
        Slider("a", "a", [1, 1, 2])


def test_live_widget_redraws_when_a_slider_moves():
    explorer = line_explorer()
    box = explorer.widget()
    slider, toggle, image, caption = box.children[1:]
    before = image.value
    slider.value = 2.0
    assert image.value != before
    assert "line with slope 2.00" in caption.value
    toggle.value = "parabola"
    assert "parabola with slope 2.00" in caption.value


def test_the_rich_output_offers_widget_and_static_player():
    bundle = line_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "lossbook-explorer" in bundle["text/html"]
    assert bundle["text/plain"] == "Explorer: a test (6 frames)"


def test_live_slider_readout_shows_the_grids_decimals():
    assert Slider("a", "a", [0, 0.25, 0.5]).widget().readout_format == ".2f"
    assert Slider("a", "a", [1, 2, 3]).widget().readout_format == ".0f"
    assert Slider("a", "a", [0.001, 0.01, 0.1]).widget().readout_format == ".3f"
