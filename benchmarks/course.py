"""Time the execution of every chapter and a clean build of the site.

Each chapter is executed top to bottom in a fresh kernel (in memory: the committed
notebook is not touched), then the site is built from clean into a temporary folder
with notebooks not re-executed. Budgets: 10 s per chapter, 60 s for all, 30 s for
the build. Run: ``python benchmarks/course.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def build_site() -> float:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [
                str(jupyter_book),
                "build",
                str(ROOT),
                "--path-output",
                out,
                "-W",
                "-n",
                "--keep-going",
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def main() -> None:
    print(f"{'chapter':<40}{'execute s':>10}{'size MB':>9}  budget 10 s, 2 MB")
    total = 0.0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        seconds = execute(path)
        total += seconds
        flag = "" if seconds <= 10 and path.stat().st_size <= 2e6 else "  OVER"
        print(f"{path.stem:<40}{seconds:>10.2f}{path.stat().st_size / 1e6:>9.2f}{flag}")
    print(
        f"{'all chapters':<40}{total:>10.2f}{'':>9}  budget 60 s{'' if total <= 60 else '  OVER'}"
    )
    seconds = build_site()
    print(
        f"{'site build from clean (no execution)':<40}{seconds:>10.2f}{'':>9}  budget 30 s"
        f"{'' if seconds <= 30 else '  OVER'}"
    )


if __name__ == "__main__":
    main()
