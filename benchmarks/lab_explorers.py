"""How fast a live explorer answers in a real JupyterLab: slider moved -> new image painted.

    .venv/bin/python benchmarks/lab_explorers.py [--moves 15] [chapters/05_....ipynb ...]

Starts JupyterLab on 127.0.0.1 over a scratch copy of the chapters and drives it with
Debian's Chromium, with the same fixtures as the browser test (tests/site/test_lab.py:
its ``lab`` and ``browser``, run here through pytest so nothing is copied). For each
chapter it runs all cells, then moves the first slider of every live explorer one step
at a time with the keyboard (a trusted key press on the slider's handle, as a person
would; explorers with toggle buttons only get a click on another button) ``--moves``
times, and times each move in the page: from the key press (a capturing listener takes
``performance.now()``) to the frame after the figure's new image is decoded (a
MutationObserver on the image's ``src``, then ``img.decode()`` and
``requestAnimationFrame``). Prints the median and 95th percentile per explorer; the
goal is a median of at most 50 ms. A benchmark, not a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site.conftest import browser  # noqa: E402, F401  (a fixture the benchmark uses)
from tests.site.test_lab import (  # noqa: E402  (the repository root is on the path first)
    CHAPTERS,
    explorer_count,
    lab,  # noqa: F401
)

GOAL_MS = 50
ARMED = """() => {
  window.__lbStart = null;
  const start = e => { if (window.__lbStart === null) window.__lbStart = performance.now(); };
  document.addEventListener('keydown', start, {capture: true, once: true});
  document.addEventListener('click', start, {capture: true, once: true});
}"""
WATCH = """(img) => {
  const before = img.src;
  window.__lbDone = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error('no new image'));
    }, 15000);
    const observer = new MutationObserver(() => {
      if (img.src === before) return;
      observer.disconnect();
      clearTimeout(timer);
      img.decode().catch(() => null).then(() =>
        requestAnimationFrame(() => resolve(performance.now() - window.__lbStart)));
    });
    observer.observe(img, {attributes: true, attributeFilter: ['src']});
  });
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_moves(page, box, moves: int) -> list[float]:
    image = box.query_selector(".widget-image")
    handle = box.query_selector(".noUi-handle")
    buttons = box.query_selector_all(".widget-toggle-button")
    times = []
    direction = "ArrowRight"
    for move in range(moves):
        page.evaluate(WATCH, image)
        page.evaluate(ARMED)
        if handle is not None:
            now, low, high = (
                float(handle.get_attribute(a))
                for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
            )
            if direction == "ArrowRight" and now >= high:
                direction = "ArrowLeft"
            elif direction == "ArrowLeft" and now <= low:
                direction = "ArrowRight"
            handle.focus()
            page.keyboard.press(direction)
        else:
            pressed = [b for b in buttons if "mod-active" in (b.get_attribute("class") or "")]
            choices = [b for b in buttons if b not in pressed]
            choices[move % len(choices)].click()
        times.append(page.evaluate("() => window.__lbDone"))
    return times


def run_chapter(lab_url, chromium, path: Path, moves: int) -> list[tuple[str, list[float]]]:
    expected = explorer_count(path)
    page = chromium.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(
        f"{lab_url}/lab/workspaces/bench-{path.stem}/tree/{path.name}?reset", wait_until="commit"
    )
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.click(".jp-Notebook")
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-OutputArea .widget-image').length >= {expected}",
        timeout=180_000,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000)
    rows = []
    for index, box in enumerate(
        page.query_selector_all(".jp-OutputArea .widget-vbox:has(> .widget-image)")
    ):
        box.scroll_into_view_if_needed()
        rows.append((f"{path.stem} #{index + 1}", time_moves(page, box, moves)))
    page.close()
    return rows


def test_lab_explorers_benchmark(lab, browser):  # noqa: F811  (the imported fixtures)
    moves = int(os.environ["LB_BENCH_MOVES"])
    chosen = os.environ.get("LB_BENCH_CHAPTERS", "").split()
    paths = [
        p for p in CHAPTERS if not chosen or p.name in chosen or str(p.relative_to(ROOT)) in chosen
    ]
    paths = [p for p in paths if explorer_count(p)]
    print(
        "\nLive explorers in JupyterLab: key press on the slider -> new image painted, "
        f"{moves} moves each"
    )
    header = f"{'explorer':<44} {'median':>8} {'p95':>8}  goal <= {GOAL_MS} ms"
    print(header)
    print("-" * len(header))
    for path in paths:
        for name, times in run_chapter(lab, browser, path, moves):
            median = statistics.median(times)
            print(
                f"{name:<44} {median:>6.0f}ms {percentile(times, 0.95):>6.0f}ms  "
                f"{'yes' if median <= GOAL_MS else 'NO'}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15)
    parser.add_argument(
        "chapters", nargs="*", help="chapter notebooks (default: all with explorers)"
    )
    args = parser.parse_args()
    os.environ["LB_BENCH_MOVES"] = str(args.moves)
    os.environ["LB_BENCH_CHAPTERS"] = " ".join(Path(c).name for c in args.chapters)
    code = pytest.main(
        [
            __file__,
            "-q",
            "-s",
            "-o",
            "addopts=",
            "-p",
            "no:nbval",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(ROOT),
        ]
    )
    sys.exit(int(code))


if __name__ == "__main__":
    main()
