"""Run every chapter as a learner who downloads it from the website would (make test-download).

A fresh virtual environment gets what Colab ships (numpy, scipy, matplotlib, ipywidgets,
pillow, scikit-learn, pandas) plus a kernel and nbclient to run the notebooks, pinned to
requirements.txt so pip takes them from its cache, and no lossbook. Each chapter's .ipynb, as
the built site serves it for download (_build/html/_sources/chapters/, else the committed
notebook; the script says which), then runs top to bottom in a kernel of that environment,
in a scratch directory outside the repository, with lossbook uninstalled before each chapter.
Its install cell must fetch lossbook from the wheel that `make dist` built: pip may look
nowhere else (PIP_FIND_LINKS is the wheel's directory, PIP_NO_INDEX is set).

First a control: chapter 01 without its install cell must fail with ModuleNotFoundError, so
the run proves the install cell is what makes a chapter work.

    python tools/test_download.py --wheel-dir dist [--chapters 01 08] [--site _build/html]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebooks

ROOT = notebooks.ROOT
COLAB = ["numpy", "scipy", "matplotlib", "ipywidgets", "pillow", "scikit-learn", "pandas"]
RUNNER = ["ipykernel", "nbclient"]

# Runs in the fresh environment: executes one notebook, prints the failing cell if any.
EXECUTE = r"""
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
notebook = nbformat.read(sys.argv[1], as_version=4)
resources = {"metadata": {"path": sys.argv[2]}}
client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources=resources)
try:
    client.execute()
except CellExecutionError as error:
    print(str(error)[-3000:])
    sys.exit(1)
"""


def pinned(names: list[str]) -> list[str]:
    """name==version from requirements.txt where it pins the name, else the bare name."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = line.strip()
    return [pins.get(name, name) for name in names]


def served_notebooks(site: Path, chapters: list[str]) -> tuple[str, list[Path]]:
    served = site / "_sources" / "chapters"
    if served.is_dir() and any(served.glob("*.ipynb")):
        where, paths = f"the built site ({served})", sorted(served.glob("*.ipynb"))
    else:
        where, paths = "the committed notebooks (no built site)", notebooks.CHAPTERS
    if chapters:
        paths = [p for p in paths if p.name[:2] in chapters]
    return where, paths


def the_wheel(wheel_dir: Path) -> Path:
    version = notebooks.version()
    wheels = sorted(wheel_dir.glob(f"lossbook-{version}-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"want one lossbook-{version} wheel in {wheel_dir}, found {wheels}")
    # Every file of lossbook/ that git sees (modules, and data such as the player's JS) ships.
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "lossbook"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    with zipfile.ZipFile(wheels[0]) as wheel:
        shipped = set(wheel.namelist())
    missing = [name for name in tracked if name not in shipped]
    if missing:
        raise SystemExit(f"{wheels[0].name} lacks files of lossbook/: {missing[:5]}")
    return wheels[0]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


def fresh_environment(venv: Path) -> Path:
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    constraints = venv / "constraints.txt"
    # Pin what those packages pull in too: requirements.txt without the editable repository.
    constraints.write_text(
        "\n".join(
            line
            for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if not line.startswith("-e")
        )
    )
    run(
        [str(python), "-m", "pip", "install", "--quiet", "-c", str(constraints)]
        + pinned(COLAB + RUNNER)
    )
    probe = subprocess.run([str(python), "-c", "import lossbook"], capture_output=True, cwd=venv)
    if probe.returncode == 0:
        raise SystemExit("the fresh environment can import lossbook: the test would prove nothing")
    return python


def kernel_environment(venv: Path, wheel: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON", "JUPYTER"))}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        PIP_FIND_LINKS=str(wheel.parent),
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        # Only this environment's python3 kernel, not one a user or the repository installed.
        JUPYTER_PATH=str(venv / "share" / "jupyter"),
        JUPYTER_DATA_DIR=str(venv / "share" / "jupyter"),
        JUPYTER_CONFIG_DIR=str(venv / "etc" / "jupyter"),
        MPLBACKEND="agg",
    )
    return env


def execute(python: Path, notebook: Path, env: dict[str, str], scratch: Path) -> tuple[bool, str]:
    run(
        [str(python), "-m", "pip", "uninstall", "--quiet", "--yes", "lossbook"],
        env=env,
        capture_output=True,  # "Skipping lossbook as it is not installed" is expected
    )
    workdir = scratch / notebook.stem
    workdir.mkdir()
    copy = workdir / notebook.name
    shutil.copy(notebook, copy)
    result = subprocess.run(
        [str(python), "-c", EXECUTE, str(copy), str(workdir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=1800,
    )
    return result.returncode == 0, result.stdout + result.stderr


def without_install_cell(notebook: Path, scratch: Path) -> Path:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"] = [c for c in data["cells"] if not notebooks.is_install_cell(c)]
    path = scratch / f"no-install-{notebook.name}"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel-dir", type=Path, default=ROOT / "dist")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--venv", type=Path, default=ROOT / "_build" / "download-venv")
    parser.add_argument("--chapters", nargs="*", default=[], help="two-digit chapter numbers")
    args = parser.parse_args(argv)

    wheel = the_wheel(args.wheel_dir.resolve())
    where, paths = served_notebooks(args.site.resolve(), args.chapters)
    print(f"== notebooks from {where}; lossbook from {wheel}")
    start = time.monotonic()
    venv = args.venv.resolve()
    python = fresh_environment(venv)
    env = kernel_environment(venv, wheel)
    print(f"== fresh environment without lossbook in {time.monotonic() - start:.0f} s")

    failed = []
    with tempfile.TemporaryDirectory(prefix="lossbook-download-") as tmp:
        scratch = Path(tmp)
        control = without_install_cell(paths[0], scratch)
        ok, log = execute(python, control, env, scratch)
        if ok or "No module named 'lossbook'" not in log:
            print(f"FAIL control: {paths[0].name} without its install cell did not fail")
            print(log[-2000:])
            failed.append("control")
        else:
            print(f"ok   control: {paths[0].name} without its install cell fails on lossbook")
        for path in paths:
            began = time.monotonic()
            ok, log = execute(python, path, env, scratch)
            seconds = time.monotonic() - began
            if ok:
                print(f"ok   {path.name} ({seconds:.0f} s)")
            else:
                failed.append(path.name)
                print(f"FAIL {path.name} ({seconds:.0f} s)\n{log[-3000:]}")
        shown = subprocess.run(
            [str(python), "-m", "pip", "show", "lossbook"], capture_output=True, text=True, env=env
        ).stdout
        if f"Version: {notebooks.version()}" not in shown:
            failed.append("install")
            print(f"FAIL the install cell did not install lossbook {notebooks.version()}")
    chapters_failed = [name for name in failed if name.endswith(".ipynb")]
    print(
        f"== {len(paths) - len(chapters_failed)} of {len(paths)} chapters ran top to bottom,"
        f" {time.monotonic() - start:.0f} s in all"
    )
    if failed:
        print(f"== failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
