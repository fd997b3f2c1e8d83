"""Prepare the offline build of the book (``make book-offline``).

1. Fetch MathJax 3 from the npm registry into ``.site-vendor/`` (ignored by git),
   outside the book's sources, and lay out the files the site serves under
   ``.site-vendor/static/``.
2. Write ``_build/offline-config/_config.yml``: the book's ``_config.yml`` plus the
   settings that make every page load MathJax from the site itself.
3. Fetch axe-core (pinned) into ``.site-vendor/axe/`` for the accessibility test
   (``tests/site/test_a11y.py``), which injects it into every page; the site never loads it.

No page of the book shows an ipywidgets view (the explorers' static players are plain
HTML), and ``nb_ipywidgets_js`` is empty, so no page loads the widget manager or
RequireJS: MathJax is the only script that would otherwise come from a CDN.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / ".site-vendor"
STATIC = VENDOR / "static"
CONFIG_OUT = ROOT / "_build" / "offline-config" / "_config.yml"
MATHJAX = "mathjax@3.2.2"
MATHJAX_ENTRY = "mathjax/tex-mml-chtml.js"  # the component Sphinx loads from its CDN
# axe-core, the accessibility engine tests/site/test_a11y.py injects into every page;
# the test reads it from here, so it is not part of the site.
AXE = "axe-core@4.14.1"
AXE_SCRIPT = VENDOR / "axe" / f"axe-core-{AXE.split('@')[1]}.min.js"


def vendor_mathjax() -> None:
    entry = STATIC / MATHJAX_ENTRY
    if entry.exists():
        return
    VENDOR.mkdir(exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--prefix",
            str(VENDOR),
            MATHJAX,
        ],
        check=True,
    )
    source = VENDOR / "node_modules" / "mathjax" / "es5"
    target = STATIC / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    if not entry.exists():
        sys.exit(f"MathJax was installed but {entry} is missing")


def vendor_axe() -> None:
    if AXE_SCRIPT.exists():
        return
    VENDOR.mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(VENDOR), AXE],
        check=True,
    )
    # Copied out of node_modules, which the next `npm install --no-save` may prune.
    AXE_SCRIPT.parent.mkdir(exist_ok=True)
    shutil.copy(VENDOR / "node_modules" / "axe-core" / "axe.min.js", AXE_SCRIPT)


def write_config() -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    sphinx = config.setdefault("sphinx", {})
    # Paths in the config are relative to its folder, which is not the book's here.
    for name, folder in sphinx.get("local_extensions", {}).items():
        sphinx["local_extensions"][name] = str(ROOT / folder)
    if "bibtex_bibfiles" in config:
        config["bibtex_bibfiles"] = [str(ROOT / f) for f in config["bibtex_bibfiles"]]
    sphinx_config = sphinx.setdefault("config", {})
    sphinx_config["mathjax_path"] = MATHJAX_ENTRY  # relative to the site's _static/
    sphinx_config["html_static_path"] = [str(STATIC)]
    CONFIG_OUT.parent.mkdir(parents=True, exist_ok=True)
    CONFIG_OUT.write_text(yaml.safe_dump(config, sort_keys=False))
    return CONFIG_OUT


if __name__ == "__main__":
    vendor_mathjax()
    vendor_axe()
    print(write_config())
