"""Time every explorer's update: slider values in, figure redrawn on its Agg canvas.

Each chapter module's ``*_explorer()`` builders are found and built; every frame of
each explorer (every combination of control values) is rendered in turn, several
rounds, and the median and 95th percentile of one render are printed. The budget is
a median of 30 ms per update. Run: ``python benchmarks/explorers.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import time

import numpy as np

import lossbook
import lossbook.course

BUDGET_MS = 30.0


def _ch09_model_outputs():
    """Chapter 09 builds its explorer on a trained model's outputs; the true model's do."""
    from lossbook.course import ch09

    photos, tags = ch09.make_photos(200, seed=5)
    return lossbook.sigmoid(photos @ ch09.TRUE_WEIGHTS + ch09.TRUE_BIASES), tags


#: Builders that take data from their chapter: how to make that data here.
ARGUMENTS = {"ch09.threshold_explorer": _ch09_model_outputs}


def explorer_builders():
    """(name, builder) of every ``lossbook.course.chNN.*_explorer`` function."""
    for info in sorted(pkgutil.iter_modules(lossbook.course.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"lossbook.course.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_explorer") and function.__module__ == module.__name__:
                yield f"{info.name}.{name}", function


def course_explorers():
    """(name, explorer) for every explorer of the course, built as its chapter builds it."""
    for name, build in explorer_builders():
        yield name, build(*ARGUMENTS[name]()) if name in ARGUMENTS else build()


def time_explorer(explorer, rounds: int) -> np.ndarray:
    frames = explorer.frame_values()
    explorer.render(**frames[0])  # warm caches (fonts, text layout)
    times = []
    for _ in range(rounds):
        for values in frames:
            start = time.perf_counter()
            explorer.render(**values)
            times.append(time.perf_counter() - start)
    return np.array(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over every frame")
    args = parser.parse_args()
    print(f"explorer update (render one frame), {args.rounds} passes over every frame")
    print(f"{'explorer':<44}{'frames':>7}{'median ms':>11}{'p95 ms':>9}  budget {BUDGET_MS:.0f} ms")
    over = []
    for name, explorer in course_explorers():
        ms = time_explorer(explorer, args.rounds)
        median, p95 = np.median(ms), np.percentile(ms, 95)
        flag = "" if median <= BUDGET_MS else "  OVER"
        if flag:
            over.append(name)
        print(f"{name:<44}{explorer.frame_count:>7}{median:>11.1f}{p95:>9.1f}{flag}")
    print("all within budget" if not over else f"over budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
