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


# -- one version: lossbook.__version__ -----------------------------------------------------


def test_the_version_is_defined_once_and_everything_agrees():
    """pyproject, the installed package, every chapter's install cell and the book's text."""
    import importlib.metadata
    import json
    import tomllib

    version = re.search(
        r'^__version__ = "([^"]+)"$', (ROOT / "lossbook" / "__init__.py").read_text(), re.M
    ).group(1)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"], "pyproject.toml: no static version"
    assert "version" in pyproject["project"].get("dynamic", [])
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "lossbook.__version__"}
    installed = importlib.metadata.version("lossbook")
    assert installed == version, (
        f"the environment has lossbook {installed}, the source {version}: run make setup"
    )
    pin = re.compile(r"lossbook\s*==\s*([0-9][^\s\"'`]*)")
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        install = [
            "".join(c["source"])
            for c in cells
            if c["cell_type"] == "code" and "%pip" in "".join(c["source"])
        ]
        assert install, f"{notebook.name}: no install cell"
        assert {v for cell in install for v in pin.findall(cell)} == {version}, (
            f"{notebook.name}: the install cell does not pin lossbook=={version}: "
            "run python tools/notebooks.py install-cell"
        )
    for name in ("intro.md", "README.md", "_config.yml", "glossary.md"):
        text = (ROOT / name).read_text()
        stale = {v for v in pin.findall(text) if v != version}
        assert not stale, f"{name} mentions lossbook=={stale}, the version is {version}"
