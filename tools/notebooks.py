"""Structural edits of the chapter notebooks, as plain JSON (no kernel, no re-execution).

    python tools/notebooks.py install-cell [NOTEBOOK ...]   # insert or update the install cell
    python tools/notebooks.py hide-solutions [NOTEBOOK ...] # collapse every solution in Jupyter
    python tools/notebooks.py all [NOTEBOOK ...]            # both (what chapter owners run)
    python tools/notebooks.py check [NOTEBOOK ...]          # exit 1 and say why if either is stale

Without NOTEBOOK arguments every chapters/*.ipynb is edited. Each command is idempotent:
running it again changes nothing. The rules live here and tests/test_notebooks.py imports
them, so the guard and the tool cannot disagree.

The install cell is the first code cell: where ``lossbook`` cannot be imported (Colab, a
downloaded notebook) it pip-installs this book's version of the course package; elsewhere it
does nothing. The website drops it (tag ``remove-cell``).

A solution is the run of cells from a ```{solution-start}``` markdown cell up to, not
including, its ```{solution-end}``` cell. The website shows it in a dropdown; in Jupyter its
cells are collapsed (``metadata.jupyter.source_hidden`` and ``outputs_hidden``: the checker's
reply would give the answer away), its code cells carry a Colab form title (Colab hides a form
cell's code), and a note before it, dropped from the website, says where it is.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

INSTALL_COMMENT = (
    "# Colab or a downloaded notebook: install the course package (this book's version)"
    " if it is missing."
)
INSTALL_ID = "install-lossbook"
SOLUTION_NOTE = "solution-note"  # metadata["lossbook"] of the note before a solution
START = re.compile(r"^```\{solution-start\}\s+(\S+)", re.MULTILINE)
END = re.compile(r"^```\{solution-end\}", re.MULTILINE)
EXERCISE_LABEL = re.compile(r"^:::\{exercise\}[^\n]*\n:label:\s*(\S+)", re.MULTILINE)
COLAB_TITLE = re.compile(r"^# ?@title\b[^\n]*\n?")


def version() -> str:
    """The one version of the book and the package: lossbook.__version__."""
    text = (ROOT / "lossbook" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, flags=re.MULTILINE)
    if match is None:
        raise SystemExit('lossbook/__init__.py: no line __version__ = "X.Y.Z"')
    return match.group(1)


def package_name() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["name"]


def install_source() -> str:
    return (
        f"{INSTALL_COMMENT}\n"
        "try:\n"
        "    import lossbook\n"
        "except ImportError:\n"
        f"    %pip install --quiet {package_name()}=={version()}"
    )


def text(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def lines(source: str) -> list[str]:
    return source.splitlines(keepends=True)


def is_code(cell: dict) -> bool:
    return cell["cell_type"] == "code" and bool(text(cell).strip())


def is_install_cell(cell: dict) -> bool:
    return cell["cell_type"] == "code" and (
        cell.get("id") == INSTALL_ID or text(cell).startswith(INSTALL_COMMENT)
    )


def is_solution_note(cell: dict) -> bool:
    return cell.get("metadata", {}).get("lossbook") == SOLUTION_NOTE


# -- the install cell ---------------------------------------------------------------------


def install_cell(notebook: dict) -> None:
    """Make the install cell the first code cell, with this book's version, run first."""
    cells = notebook["cells"]
    found = [c for c in cells if is_install_cell(c)]
    for extra in found[1:]:
        cells.remove(extra)
    if found:
        cell = found[0]
        cells.remove(cell)
    else:
        cell = {"cell_type": "code", "execution_count": None, "id": INSTALL_ID, "outputs": []}
    cell["metadata"] = {**cell.get("metadata", {}), "tags": ["remove-cell"]}
    cell["source"] = lines(install_source())
    cell["id"] = INSTALL_ID
    # Where lossbook is installed (make execute, nbval) the cell prints nothing.
    cell["outputs"] = []
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    cells.insert(first_code, cell)
    renumber(notebook)


def renumber(notebook: dict) -> None:
    """Execution counts 1, 2, 3, ... if the other cells were run top to bottom.

    The install cell produces no output where lossbook is installed, so a run top to bottom
    differs from the stored one only by these counts; a notebook that was not run in order
    is left for `make execute`.
    """
    code = [c for c in notebook["cells"] if is_code(c)]
    others = [c.get("execution_count") for c in code if not is_install_cell(c)]
    if others == list(range(1, len(others) + 1)) or others == list(range(2, len(others) + 2)):
        for count, cell in enumerate(code, start=1):
            cell["execution_count"] = count


# -- hidden solutions ---------------------------------------------------------------------


def exercise_numbers(path: Path, notebook: dict) -> dict[str, str]:
    """Exercise label -> "1.2": the chapter number, then the exercise's place in it."""
    chapter = int(path.name[:2])
    labels = EXERCISE_LABEL.findall(
        "\n".join(text(c) for c in notebook["cells"] if c["cell_type"] == "markdown")
    )
    return {label: f"{chapter}.{index}" for index, label in enumerate(labels, start=1)}


def solutions(notebook: dict) -> list[tuple[str, int, int]]:
    """(label, index of the solution-start cell, index of its solution-end cell)."""
    found, start, label = [], None, None
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = text(cell)
        # A cell may close one solution and then open the next exercise (or solution).
        if start is not None and END.search(source):
            found.append((label, start, index))
            start = None
        match = START.search(source)
        if match:
            start, label = index, match.group(1)
    if start is not None:
        raise ValueError(f"solution {label}: no solution-end cell")
    return found


def note_source(number: str) -> str:
    return (
        f"**Solution to Exercise {number}** (hidden: try the exercise first, then click the"
        " collapsed cells below to show it)"
    )


def split_at_fences(notebook: dict) -> None:
    """Give every solution-start and solution-end fence a markdown cell that begins with it.

    Then a solution is a run of whole cells: the exercise that follows a solution-end, or
    explanation that precedes one, is not collapsed with (or left out of) the solution.
    """
    cells = []
    for cell in notebook["cells"]:
        source = text(cell)
        cuts = [
            m.start()
            for m in (*START.finditer(source), *END.finditer(source))
            if cell["cell_type"] == "markdown" and m.start() > 0
        ]
        if not cuts:
            cells.append(cell)
            continue
        bounds = [0, *sorted(cuts), len(source)]
        for part, (a, b) in enumerate(itertools.pairwise(bounds)):
            piece = source[a:b].strip("\n")
            if not piece:
                continue
            new = {**cell, "metadata": dict(cell.get("metadata", {})), "source": lines(piece)}
            if part:
                new["id"] = f"{cell.get('id', 'cell')}-{part}"[:64]
            cells.append(new)
    notebook["cells"] = cells


def hide_solutions(path: Path, notebook: dict) -> None:
    numbers = exercise_numbers(path, notebook)
    notebook["cells"] = [c for c in notebook["cells"] if not is_solution_note(c)]
    split_at_fences(notebook)
    cells = notebook["cells"]
    for label, start, end in reversed(solutions(notebook)):
        number = numbers.get(label, "?")
        for cell in cells[start:end]:
            cell.setdefault("metadata", {})["jupyter"] = {"source_hidden": True}
            if cell["cell_type"] == "code":
                cell["metadata"]["jupyter"]["outputs_hidden"] = True
                cell["metadata"]["cellView"] = "form"
                source = COLAB_TITLE.sub("", text(cell))
                cell["source"] = lines(f"# @title Solution to Exercise {number}\n{source}")
        note = {
            "cell_type": "markdown",
            "id": f"solution-note-{label}"[:64],
            "metadata": {"lossbook": SOLUTION_NOTE, "tags": ["remove-cell"]},
            "source": lines(note_source(number)),
        }
        cells.insert(start, note)


# -- command line -------------------------------------------------------------------------


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def dump(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def edit(path: Path, notebook: dict, command: str) -> dict:
    if command in ("install-cell", "all"):
        install_cell(notebook)
    if command in ("hide-solutions", "all"):
        hide_solutions(path, notebook)
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["install-cell", "hide-solutions", "all", "check"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or CHAPTERS
    stale = []
    for path in paths:
        before = path.read_text(encoding="utf-8")
        after = dump(
            edit(path, json.loads(before), "all" if args.command == "check" else args.command)
        )
        if after == before:
            continue
        if args.command == "check":
            stale.append(path.name)
        else:
            path.write_text(after, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    if stale:
        print(f"stale: {', '.join(stale)}: run python tools/notebooks.py all", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
