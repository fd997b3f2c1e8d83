"""The guard: refuse chapter notebooks that nbval could not check meaningfully.

nbval compares only cells that were executed and stored; these tests make sure
every chapter was run top to bottom, shows no error, stores the widget state its
sliders need, stays small, is seeded, is in the table of contents, and has the
parts every chapter promises (goals, exercises with a checker, quiz, summary).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
MAX_BYTES = 2_000_000
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    return [
        c for c in notebook["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]


def markdown(notebook: dict) -> str:
    return "\n".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )


def source(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in code_cells(notebook))


def test_there_are_chapters():
    assert CHAPTERS, "no notebook in chapters/"


@pytest.fixture(params=CHAPTERS, ids=[p.stem for p in CHAPTERS])
def chapter(request):
    return request.param, load(request.param)


def test_name_is_numbered(chapter):
    path, _ = chapter
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), (
        f"{path.name}: name chapters NN_slug.ipynb"
    )


def test_executed_top_to_bottom(chapter):
    path, notebook = chapter
    counts = [c.get("execution_count") for c in code_cells(notebook)]
    assert None not in counts, f"{path.name}: some code cells were never run: run make execute"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1, 2, 3, ...: "
        "run the notebook top to bottom in a fresh kernel (make execute)"
    )


def test_no_error_output(chapter):
    path, notebook = chapter
    for index, cell in enumerate(code_cells(notebook)):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{path.name}, code cell {index}: error"
            if output.get("name") == "stderr":
                pytest.fail(
                    f"{path.name}, code cell {index}: stderr: {''.join(output['text'])[:200]}"
                )


def test_widgets_have_stored_state(chapter):
    path, notebook = chapter
    shown = {
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in code_cells(notebook)
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    }
    if not shown:
        return
    state = notebook["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = shown - state.keys()
    assert not missing, (
        f"{path.name}: widgets shown without stored state {sorted(missing)[:3]}: "
        "execute with store_widget_state (make execute)"
    )


def test_small_on_disk(chapter):
    path, _ = chapter
    size = path.stat().st_size
    assert size <= MAX_BYTES, f"{path.name}: {size / 1e6:.2f} MB on disk (budget 2 MB)"


def test_kernelspec_and_one_title(chapter):
    path, notebook = chapter
    assert notebook["metadata"].get("kernelspec", {}).get("name") == "python3", path.name
    first = "".join(notebook["cells"][0]["source"])
    assert notebook["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), (
        f"{path.name}: the first cell must be the chapter's '# ' title"
    )
    titles = re.findall(r"^# ", markdown(notebook), flags=re.MULTILINE)
    assert len(titles) == 1, f"{path.name}: {len(titles)} '# ' titles; use one, then '##'"


def test_randomness_is_seeded(chapter):
    path, notebook = chapter
    code = source(notebook)
    unseeded = re.findall(
        r"default_rng\(\s*\)|np\.random\.(?:rand|randn|normal|uniform|seed)\b", code
    )
    assert not unseeded, f"{path.name}: unseeded randomness {unseeded}: use default_rng(seed)"


def test_has_the_parts_of_a_chapter(chapter):
    path, notebook = chapter
    text = markdown(notebook)
    for heading in ("## Exercises", "## Quiz", "## Summary"):
        assert heading in text, f"{path.name}: no '{heading}' section"
    assert "Learning goals" in text, f"{path.name}: no learning goals"
    exercises = re.findall(r"^:::\{exercise\}", text, flags=re.MULTILINE)
    assert len(exercises) >= 3, f"{path.name}: {len(exercises)} exercises, at least 3 wanted"
    assert re.search(r"\.check_\w+\(", source(notebook)), f"{path.name}: no checked exercise"
    assert "solution" in text and ":class: dropdown" in text, f"{path.name}: solutions must hide"
    assert "$" in text, f"{path.name}: no formula"
    explorers = [
        cell
        for cell in code_cells(notebook)
        for output in cell.get("outputs", [])
        if "lossbook-explorer" in "".join(output.get("data", {}).get("text/html", ""))
    ]
    assert explorers, f"{path.name}: no explorer"
    figures = [
        output
        for cell in code_cells(notebook)
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert figures, f"{path.name}: no figure"


def test_every_chapter_is_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = set()

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                listed.add(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in listed, f"{path.name} is not in _toc.yml"


# -- practise anywhere: the install cell, hidden solutions, described figures --------------
# The rules are tools/notebooks.py's; `python tools/notebooks.py all` repairs the first two.

sys.path.insert(0, str(ROOT / "tools"))
import notebooks as tool  # noqa: E402


def test_install_cell_is_the_first_code_cell(chapter):
    path, notebook = chapter
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and tool.is_install_cell(code[0]), (
        f"{path.name}: the first code cell must install lossbook where it is missing "
        "(run python tools/notebooks.py install-cell)"
    )
    first = code[0]
    assert tool.text(first) == tool.install_source(), (
        f"{path.name}: the install cell is not this book's (version {tool.version()}): "
        "run python tools/notebooks.py install-cell"
    )
    assert "remove-cell" in first["metadata"].get("tags", []), (
        f"{path.name}: the install cell must be tagged remove-cell (hidden on the website)"
    )
    assert not first.get("metadata", {}).get("jupyter", {}).get("source_hidden"), (
        f"{path.name}: the install cell must stay visible in the notebook"
    )


def test_solutions_are_collapsed_in_jupyter_and_nothing_else(chapter):
    path, notebook = chapter
    cells = notebook["cells"]
    found = tool.solutions(notebook)
    assert found, f"{path.name}: no solution-start/solution-end solution"
    numbers = tool.exercise_numbers(path, notebook)
    inside = set()
    for label, start, end in found:
        where = f"{path.name}, solution {label}"
        assert label in numbers, f"{where}: no exercise with this label"
        note = cells[start - 1]
        assert tool.is_solution_note(note), (
            f"{where}: no note before it (run python tools/notebooks.py hide-solutions)"
        )
        assert tool.text(note) == tool.note_source(numbers[label]), f"{where}: stale note"
        assert "remove-cell" in note["metadata"].get("tags", []), f"{where}: note on the site"
        code = [c for c in cells[start:end] if c["cell_type"] == "code"]
        assert code, f"{where}: a solution without code"
        for index in range(start, end):
            inside.add(index)
            cell = cells[index]
            hidden = cell.get("metadata", {}).get("jupyter", {})
            assert hidden.get("source_hidden") is True, (
                f"{where}: cell {index} is not collapsed in Jupyter "
                "(run python tools/notebooks.py hide-solutions)"
            )
        for cell in code:
            hidden = cell["metadata"]["jupyter"]
            assert hidden.get("outputs_hidden") is True, f"{where}: the checker's reply shows"
            assert cell["metadata"].get("cellView") == "form", f"{where}: code shows in Colab"
            first_line = tool.text(cell).splitlines()[0]
            assert first_line == f"# @title Solution to Exercise {numbers[label]}", (
                f"{where}: the first line must be Colab's form title, not {first_line!r}"
            )
    for index, cell in enumerate(cells):
        if index not in inside:
            assert not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"), (
                f"{path.name}, cell {index}: collapsed but not part of a solution"
            )


def test_every_figure_has_alt_text(chapter):
    path, notebook = chapter
    missing = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            # An explorer's static player describes its own frames.
            if "image/png" not in data or "lossbook-explorer" in "".join(data.get("text/html", "")):
                continue
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            if not alt.strip():
                missing.append(index)
    assert not missing, (
        f"{path.name}: figures without alt text in cells {sorted(set(missing))}: "
        'add cell metadata {"mystnb": {"image": {"alt": "what the figure shows"}}}'
    )
