"""The explorer mechanism, without a browser: update, render, web player, live widget."""

from __future__ import annotations

import base64
import html
import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

from lossbook.explore import Choice, Explorer, Slider
from lossbook.explore.player import with_frame_urls
from lossbook.plotting import new_figure

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "explorers.py"


def line_explorer(*, animate=False, caption="{kind} with slope {slope:.2f}"):
    figure, ax = new_figure(figsize=(3, 2))
    x = np.linspace(0, 1, 20)
    (line,) = ax.plot(x, x)
    (marker,) = ax.plot([1], [1], "o")
    ax.set_ylim(-3, 3)

    def update(slope, kind):
        line.set_ydata(slope * x if kind == "line" else slope * x**2)
        marker.set_ydata([line.get_ydata()[-1]])
        return caption.format(kind=kind, slope=slope)

    controls = [
        Slider("slope", "slope", [-2, 1, 2], value=1, unit="per metre"),
        Choice("kind", "kind", ["line", "parabola"], valuetext="shape: {value}"),
    ]
    animated = {"none": [], "all": [line, marker], "missing one": [line]}[animate or "none"]
    return Explorer(figure, update, controls, title="a test", animated=animated)


def player_data(player: str) -> dict:
    return json.loads(re.search(r'class="lbx-data">(.*?)</script>', player, re.S).group(1))


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


@pytest.mark.parametrize("animated", [None, "all"])
def test_render_changes_with_the_values(animated):
    explorer = line_explorer(animate=animated)
    first = explorer.render(slope=-2, kind="line")
    second = explorer.render(slope=2, kind="line")
    assert first.startswith(b"\x89PNG") and first != second
    assert explorer.render(slope=-2, kind="line") == first


def test_start_value_must_be_on_the_grid():
    assert Slider("a", "a", [0.1, 0.2, 0.3], value=0.2 + 1e-12).value == 0.2
    with pytest.raises(ValueError, match=r"start value 0\.25 is not one of its values"):
        Slider("a", "a", [0.1, 0.2, 0.3], value=0.25)
    with pytest.raises(ValueError, match="start value 'cube'"):
        Choice("kind", "kind", ["line", "parabola"], value="cube")


def test_slider_values_must_increase():
    with pytest.raises(ValueError, match="increase"):
        Slider("a", "a", [1, 1, 2])


def test_what_a_screen_reader_says_for_each_position():
    assert Slider("r", "residual", [1, 2.5]).spoken(2.5) == "residual 2.5"
    assert Slider("r", "residual", [1, 2], fmt="{:.1f}", unit="m").spoken(2) == "residual 2.0 m"
    assert Slider("n", "steps", [1, 2], valuetext="{value} {label}").spoken(2) == "2 steps"
    assert Choice("loss", "loss", ["mse", "mae"]).spoken("mae") == "loss mae"


def test_choice_labels_name_its_options_for_eye_and_ear():
    choice = Choice(
        "loss", "loss", ["mse", "mae"], labels={"mse": "MSE"}, valuetext="under {value}"
    )
    assert choice.spoken("mse") == "under MSE" and choice.text("mse") == "MSE"
    assert choice.text("mae") == "mae"  # an option the mapping leaves out keeps fmt
    assert choice.widget().options == (("MSE", "mse"), ("mae", "mae"))
    assert choice.widget().value == "mse"  # the update function still gets the key
    with pytest.raises(ValueError, match="huber"):
        Choice("loss", "loss", ["mse", "mae"], labels={"huber": "Huber"})


def test_player_holds_every_frame_in_order_and_starts_on_the_initial_values():
    explorer = line_explorer()
    player = explorer.static_html()
    data = player_data(player)
    assert data["shape"] == [3, 2]
    assert len(data["frames"]) == 6 and len(set(data["frames"])) == 6
    assert all(f.startswith("data:image/png;base64,") for f in data["frames"])
    assert data["captions"][0] == "line with slope -2.00"
    assert data["captions"][5] == "parabola with slope 2.00"
    assert data["labels"] == [["-2", "1", "2"], ["line", "parabola"]]
    assert data["valuetexts"] == [
        ["slope -2 per metre", "slope 1 per metre", "slope 2 per metre"],
        ["shape: line", "shape: parabola"],
    ]
    # the page starts on the frame of the initial values (index 1*2+0), and so does the figure
    first = re.search(r'<img class="lbx-figure"[^>]*>', player).group(0)
    assert f'src="{data["frames"][2]}"' in first
    assert 'width="300" height="200"' in first
    assert 'alt="a test. line with slope 1.00"' in first
    assert explorer.caption == "line with slope 1.00"


def test_player_markup_for_screen_readers_and_keyboards():
    player = line_explorer().static_html()
    inputs = re.findall(r'<input type="range"[^>]*>', player)
    assert len(inputs) == 2  # Choice controls are range inputs too: arrows, Home/End work
    assert 'aria-label="slope"' in inputs[0] and 'aria-valuetext="slope 1 per metre"' in inputs[0]
    assert 'aria-valuetext="shape: line"' in inputs[1]
    assert '<p class="lbx-caption" aria-live="polite">' in player
    assert ":focus-visible" in player and 'html[data-theme="dark"]' in player
    assert 'input.setAttribute("aria-valuetext"' in player and "image.alt =" in player


def test_player_json_cannot_end_its_script():
    explorer = line_explorer(caption="</script><script>alert(1)</script> {kind} {slope}")
    player = explorer.static_html()
    script = re.search(r'class="lbx-data">(.*?)</script>', player, re.S).group(1)
    assert "<" not in script
    assert player_data(player)["captions"][0].startswith("</script><script>")
    assert (
        html.unescape(re.search(r'class="lbx-caption"[^>]*>(.*?)</p>', player).group(1))[:9]
        == "</script>"
    )


def test_player_refuses_frames_beyond_the_embed_limit():
    explorer = line_explorer()
    with pytest.raises(ValueError, match=r"embed limit of 0\.001 MB"):
        explorer.static_html(embed_limit=0.001)
    assert explorer.caption == "line with slope 1.00"  # left where it starts
    assert len(player_data(explorer.static_html(embed_limit=1))["frames"]) == 6


def test_frames_move_out_to_urls_identical_ones_shared():
    player = line_explorer().static_html()
    stored = {}

    def store(png: bytes) -> str:
        assert png.startswith(b"\x89PNG")
        return stored.setdefault(png, f"../_images/explorers/{len(stored)}.png")

    moved = with_frame_urls(player + player, store)  # two players on one page
    assert "base64" not in moved and len(stored) == 6
    data = player_data(moved)
    assert data["frames"][2] == stored[base64.b64decode(player_data(player)["frames"][2][22:])]
    assert f'src="{data["frames"][2]}"' in moved
    assert data["captions"] == player_data(player)["captions"]
    assert with_frame_urls(moved, store) == moved


def test_live_widget_redraws_when_a_slider_moves():
    explorer = line_explorer()
    box = explorer.widget()
    slider, toggle, image, caption, errors = box.children[1:]
    assert slider.description == "slope" and toggle.description == "kind"
    before = image.value
    slider.value = 2.0
    assert image.value != before
    assert "line with slope 2.00" in caption.value
    toggle.value = "parabola"
    assert "parabola with slope 2.00" in caption.value
    assert errors.outputs == ()


def test_live_widget_shows_an_update_error_to_the_learner():
    figure, _ = new_figure(figsize=(3, 2))

    def update(a):
        if a > 1:
            raise ZeroDivisionError("the learner's bug")
        return f"a = {a}"

    box = Explorer(figure, update, [Slider("a", "a", [0, 1, 2], value=0)], title="t").widget()
    slider, _image, caption, errors = box.children[1:]
    slider.value = 2.0
    shown = "".join(o.get("text", "") for o in errors.outputs)
    assert "ZeroDivisionError: the learner's bug" in shown and "{'a': 2.0}" in shown
    assert caption.value.count("a = 0") == 1
    slider.value = 1.0
    assert errors.outputs == () and "a = 1.0" in caption.value


def test_the_rich_output_offers_widget_and_static_player():
    bundle = line_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "lossbook-explorer" in bundle["text/html"]
    assert bundle["text/plain"] == "Explorer: a test (6 frames)"


def test_live_slider_readout_shows_the_grids_decimals():
    assert Slider("a", "a", [0, 0.25, 0.5]).widget().readout_format == ".2f"
    assert Slider("a", "a", [1, 2, 3]).widget().readout_format == ".0f"
    assert Slider("a", "a", [0.001, 0.01, 0.1]).widget().readout_format == ".3f"


# -- blitting leaves no stale pixels ------------------------------------------------------

#: Pixels that may differ by more than STALE_LEVEL (of 255) between a blitted frame and a
#: full redraw: none differ in the course today; an artist missing from animated= leaves
#: 50 to thousands.
STALE_PIXELS = 8
STALE_LEVEL = 16


def probe_values(explorer) -> list[dict]:
    """Each control through all its values while the others stay at their start, and the
    grid's two corners: an artist that moves with any control moves in one of these
    (all combinations cost a full redraw each, minutes for the course)."""
    start = explorer.initial_values
    probes = [{**start, c.name: v} for c in explorer.controls for v in c.values]
    return [*probes, *explorer.frame_values()[:: explorer.frame_count - 1]]


def stale_pixels(explorer) -> list[int]:
    """Per frame, how many pixels the blitted redraw gets wrong against a full redraw."""

    def pixels():
        return np.asarray(explorer.figure.canvas.buffer_rgba())[..., :3].astype(int)

    counts = []
    for values in probe_values(explorer):
        explorer.update(**values)
        explorer.redraw()
        blitted = pixels().copy()
        explorer.redraw_in_full()
        counts.append(int((np.abs(blitted - pixels()).max(axis=-1) > STALE_LEVEL).sum()))
    return counts


def test_the_check_catches_an_artist_missing_from_animated():
    assert max(stale_pixels(line_explorer(animate="all"))) <= STALE_PIXELS
    assert max(stale_pixels(line_explorer(animate="missing one"))) > STALE_PIXELS


def course_explorers():
    spec = importlib.util.spec_from_file_location("explorer_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.course_explorers())


@pytest.mark.parametrize("name, explorer", course_explorers(), ids=lambda x: str(x).split()[0])
def test_every_course_explorer_blits_what_a_full_redraw_draws(name, explorer):
    counts = stale_pixels(explorer)
    frames = probe_values(explorer)
    worst = int(np.argmax(counts))
    assert counts[worst] <= STALE_PIXELS, (
        f"{name}: {counts[worst]} stale pixels at {frames[worst]}: an artist that update "
        "changes is missing from animated="
    )
