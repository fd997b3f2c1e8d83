"""The live explorers in a real JupyterLab (``make test-site``).

Starts JupyterLab on 127.0.0.1 over a copy of the chapters (so nothing it saves touches
the repository), opens each chapter in headless Chromium, runs all cells, then moves one
control of every explorer as a person would (drags the slider's handle, clicks another
toggle button) and checks that the figure image the kernel sends back changes.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.site.test_site import SHOTS, playwright_api

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def explorer_count(path: Path) -> int:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return sum(
        "lossbook-explorer" in "".join(output.get("data", {}).get("text/html", ""))
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("lab")
    for path in CHAPTERS:
        shutil.copy(path, workdir / path.name)
    # Render every cell, wherever it is in the notebook, so no test depends on what a
    # windowing mode leaves undrawn. benchmarks/lab_explorers.py times JupyterLab's
    # default, what a learner gets, through LB_LAB_WINDOWING.
    settings = tmp_path_factory.mktemp("lab-settings")
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": os.environ.get("LB_LAB_WINDOWING", "none")}))
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    process = subprocess.Popen(
        [
            str(jupyter), "lab", "--allow-root", "--no-browser", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={workdir}", "--LabApp.news_url=",
            f"--LabApp.user_settings_dir={settings}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("JupyterLab did not start")
    yield url
    process.terminate()
    process.wait(timeout=30)


# Some input prompt shows [*]: queued or running (a whole chapter takes seconds, so the
# later cells show it long enough to be seen; saved prompts show [n] before any run).
RUNNING = """() => [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')]
    .some(p => p.textContent.includes('[*]'))"""


def run_all_cells(page):
    """Run > Run All Cells, again if nothing started: in a JupyterLab that has just started,
    the first notebook's indicator can read idle before its kernel is connected, and a run
    asked for then is dropped (all prompts stay [ ] with the kernel idle)."""
    for _ in range(3):
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_function(RUNNING, timeout=30_000)
            return
        except playwright_api.TimeoutError:
            page.click(".jp-Notebook .jp-Cell >> nth=0")
    raise AssertionError("Run All Cells started no cell, three times")


def image_sources(page):
    return page.eval_on_selector_all(".jp-OutputArea .widget-image", "els => els.map(e => e.src)")


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_live_explorer_redraws_when_moved(lab, browser, path):
    expected = explorer_count(path)
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    # A workspace of its own, reset, so no other chapter is open in the page.
    page.goto(f"{lab}/lab/workspaces/{path.stem}/tree/{path.name}?reset", wait_until="commit")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.click(".jp-Notebook")
    run_all_cells(page)
    try:
        page.wait_for_function(
            f"() => document.querySelectorAll('.jp-OutputArea .widget-image').length >= {expected}",
            timeout=120_000,
        )
    except playwright_api.TimeoutError:
        page.screenshot(path=str(SHOTS / f"lab-{path.stem}-timeout.png"))
        page.close()  # a notebook left running would disturb the next test's copy
        raise
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    boxes = page.query_selector_all(".jp-OutputArea .widget-vbox:has(> .widget-image)")
    assert len(boxes) == expected, f"{path.name}: {len(boxes)} live explorers, {expected} expected"
    for index, box in enumerate(boxes):
        box.scroll_into_view_if_needed()
        image = box.query_selector(".widget-image")
        before = image.get_attribute("src")
        handle = box.query_selector(".noUi-handle")
        if handle is not None:
            spot = handle.bounding_box()
            y = spot["y"] + spot["height"] / 2
            x = spot["x"] + spot["width"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + (90 if x < 700 else -90), y, steps=6)
            page.mouse.up()
        else:
            box.query_selector_all(".widget-toggle-button")[-1].click()
        page.wait_for_function(
            "([img, before]) => img.src !== before", arg=[image, before], timeout=15_000
        )
        box.screenshot(path=str(SHOTS / f"lab-{path.stem}-explorer{index}-moved.png"))
    page.close()


def solution_cells(path: Path) -> tuple[list[int], list[int], list[str]]:
    """Indices of every solution cell and of the code ones, and the solution code lines
    that no other cell has (what must not be on screen)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import notebooks as tool

    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    inside = sorted({i for _, start, end in tool.solutions(notebook) for i in range(start, end)})
    elsewhere = {
        line.strip()
        for i, c in enumerate(cells)
        if i not in inside
        for line in tool.text(c).splitlines()
    }
    code = [i for i in inside if cells[i]["cell_type"] == "code"]
    lines = {
        line.strip()
        for i in code
        for line in tool.text(cells[i]).splitlines()[1:]  # the first is Colab's form title
        if len(line.strip()) > 12 and line.strip() not in elsewhere
    }
    return inside, code, sorted(lines)


# CodeMirror puts only the lines near the window in the page: look at one cell, scrolled to.
VISIBLE_CODE = """(cell) => [...cell.querySelectorAll('.cm-line')]
    .filter(e => e.offsetParent !== null).map(e => e.textContent.trim())"""


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_solutions_stay_hidden_until_expanded_and_then_run(lab, browser, path):
    inside, code, secret = solution_cells(path)
    assert code and secret, f"{path.name}: no solution code to look for"
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(
        f"{lab}/lab/workspaces/hidden-{path.stem}/tree/{path.name}?reset", wait_until="commit"
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    total = len(json.loads(path.read_text(encoding="utf-8"))["cells"])
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n", arg=total
    )
    cells = page.locator(".jp-Notebook .jp-Cell")
    for index in inside:
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        assert cell.locator(".jp-InputPlaceholder").is_visible(), (
            f"{path.name}, cell {index}: a solution cell is not collapsed"
        )
        leaked = [
            line for line in secret if line in page.evaluate(VISIBLE_CODE, cell.element_handle())
        ]
        assert not leaked, f"{path.name}, cell {index}: solution code on screen: {leaked[:3]}"
    page.screenshot(path=str(SHOTS / f"lab-{path.stem}-solutions-hidden.png"))

    cell = cells.nth(code[0])
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPlaceholder").click()
    placeholder = cell.locator(".jp-OutputPlaceholder")
    if placeholder.count():
        placeholder.first.click()
    shown = page.evaluate(VISIBLE_CODE, cell.element_handle())
    assert any(line in shown for line in secret), f"{path.name}: expanding did not show it"
    page.click(".jp-Notebook .jp-Cell >> nth=0")
    run_all_cells(page)
    page.wait_for_function(
        "(cell) => /\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').textContent)",
        arg=cell.element_handle(),
        timeout=120_000,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    assert cell.locator(".jp-OutputArea-output").count(), (
        f"{path.name}: the solution printed nothing"
    )
    errors = cell.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    assert not errors, f"{path.name}: the expanded solution failed: {errors[0][-500:]}"
    cell.screenshot(path=str(SHOTS / f"lab-{path.stem}-solution-expanded.png"))
    page.close()
