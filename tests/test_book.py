"""The book builds from clean with warnings as errors, and the pages hold what they promise."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        [
            str(JUPYTER_BOOK),
            "build",
            str(ROOT),
            "--path-output",
            str(out),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the book build failed:\n{log[-4000:]}"
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)
    yield out / "_build" / "html"
    shutil.rmtree(out, ignore_errors=True)


def test_every_chapter_has_a_page(site):
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        page = site / "chapters" / f"{notebook.stem}.html"
        assert page.exists(), f"no page for {notebook.name}"


def chapter_pages(site):
    return sorted((site / "chapters").glob("*.html"))


def test_pages_show_explorers_math_and_hidden_solutions(site):
    for page in chapter_pages(site):
        text = page.read_text(encoding="utf-8")
        assert "lossbook-explorer" in text, f"{page.name}: no static explorer"
        assert "widget-view+json" not in text, f"{page.name}: a raw widget view reached the page"
        assert re.search(r'class="math[^"]*"', text), f"{page.name}: no typeset math"
        assert "solution" in text and "dropdown" in text, f"{page.name}: no hidden solution"
        assert "Traceback" not in text, f"{page.name}: a traceback is published"


def test_intro_lists_the_chapters(site):
    text = (site / "intro.html").read_text(encoding="utf-8")
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        assert f"chapters/{notebook.stem}.html" in text
