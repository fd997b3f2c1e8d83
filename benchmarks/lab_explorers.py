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

Where the time goes, as medians: "reply" is the key press to the kernel's first message
back in the page (the server and kernel round trip; the kernel alone answers a widget
message in about 4 ms), "image" the key press to the message carrying the new figure
(the update itself, rendered and PNG-encoded, is timed by ``benchmarks/explorers.py``);
the rest, to "painted", is JupyterLab drawing it. JupyterLab runs with the notebook
windowing a learner gets by default ("contentVisibility"); ``--windowing none``, what
the browser test uses to find every explorer, draws every cell on every frame.
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
# Each message the kernel's websocket delivers after the key press: [time, size].
TIMED_WEBSOCKET = """(() => {
  window.__lbMessages = [];
  window.__lbStart = null;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (window.__lbStart === null) return;
        const data = event.data;
        window.__lbMessages.push(
          [performance.now(), data.byteLength ?? data.length ?? data.size ?? 0]);
      });
    }
  };
})()"""
ARMED = """() => {
  window.__lbStart = null;
  window.__lbMessages = [];
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
      img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
        const start = window.__lbStart, messages = window.__lbMessages;
        const largest = messages.reduce((a, b) => (b[1] > a[1] ? b : a), [NaN, -1]);
        resolve([performance.now() - start, (messages[0]?.[0] ?? NaN) - start,
                 largest[0] - start]);
      }));
    });
    observer.observe(img, {attributes: true, attributeFilter: ['src']});
  });
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_moves(page, box, moves: int) -> list[list[float]]:
    """[painted, reply, image] in ms for each move (see the module docstring)."""
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


def run_chapter(lab_url, chromium, path: Path, moves: int) -> list[tuple[str, list]]:
    expected = explorer_count(path)
    page = chromium.new_page(viewport={"width": 1300, "height": 1000})
    page.add_init_script(TIMED_WEBSOCKET)
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
    print(f"JupyterLab notebook windowing: {os.environ['LB_LAB_WINDOWING']}")
    header = (
        f"{'explorer':<36} {'reply':>7} {'image':>7} {'painted':>8} {'p95':>7}"
        f"  goal: median <= {GOAL_MS} ms"
    )
    print(header)
    print("-" * len(header))
    for path in paths:
        for name, moves_timed in run_chapter(lab, browser, path, moves):
            painted, reply, image = ([move[k] for move in moves_timed] for k in range(3))
            median = statistics.median(painted)
            print(
                f"{name:<36} {statistics.median(reply):>5.0f}ms {statistics.median(image):>5.0f}ms"
                f" {median:>6.0f}ms {percentile(painted, 0.95):>5.0f}ms"
                f"  {'yes' if median <= GOAL_MS else 'NO'}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15)
    parser.add_argument(
        "--windowing",
        default="contentVisibility",
        choices=["contentVisibility", "defer", "none"],
        help="JupyterLab's notebook windowing mode (default: JupyterLab's own default)",
    )
    parser.add_argument(
        "chapters", nargs="*", help="chapter notebooks (default: all with explorers)"
    )
    args = parser.parse_args()
    os.environ["LB_BENCH_MOVES"] = str(args.moves)
    os.environ["LB_LAB_WINDOWING"] = args.windowing
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
