"""Prepare the offline build of the book (``make book-offline``).

1. Fetch KaTeX and Font Awesome Free (pinned) from the npm registry into
   ``.site-vendor/speed/`` (ignored by git), outside the book's sources; KaTeX's CSS and
   fonts are laid out under ``.site-vendor/speed/static/`` for the site to serve.
2. Write ``_build/offline-config/_config.yml``: the book's ``_config.yml`` plus the
   settings that typeset every formula at build time (sphinxcontrib-katex on node) and
   inline the theme's icons (``_ext/site_speed.py``), so no page runs a math or icon script.
3. Fetch axe-core (pinned) into ``.site-vendor/axe/`` for the accessibility test
   (``tests/site/test_a11y.py``), which injects it into every page; the site never loads it.

No page of the book shows an ipywidgets view (the explorers' static players are plain
HTML), and ``nb_ipywidgets_js`` is empty, so no page loads the widget manager or
RequireJS: math was the only script that would otherwise come from a CDN.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / ".site-vendor"
CONFIG_OUT = ROOT / "_build" / "offline-config" / "_config.yml"
# axe-core, the accessibility engine tests/site/test_a11y.py injects into every page;
# the test reads it from here, so it is not part of the site.
AXE = "axe-core@4.14.1"
AXE_SCRIPT = VENDOR / "axe" / f"axe-core-{AXE.split('@')[1]}.min.js"
# Math typeset at build time (sphinxcontrib-katex, prerendered on node with this KaTeX,
# HTML plus MathML for screen readers) and the theme's icons inlined as SVG
# (_ext/site_speed.py), so no math or icon script runs when a page is read (issue 17).
SPEED = VENDOR / "speed"
SPEED_PACKAGES = ["katex@0.16.11", "@fortawesome/fontawesome-free@6.5.2"]  # FA: the theme's
SPEED_STATIC = SPEED / "static"


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


def vendor_speed() -> None:
    if not (SPEED / "node_modules" / "katex" / "dist" / "katex.min.js").exists():
        SPEED.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(SPEED)]
            + SPEED_PACKAGES,
            check=True,
        )
    # KaTeX's stylesheet and fonts, served by the site; its script only runs at build time.
    target = SPEED_STATIC / "katex"
    if not (target / "katex.min.css").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        dist = SPEED / "node_modules" / "katex" / "dist"
        shutil.copy(dist / "katex.min.css", target)
        shutil.copytree(dist / "fonts", target / "fonts")


def write_config() -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    sphinx = config.setdefault("sphinx", {})
    # Paths in the config are relative to its folder, which is not the book's here.
    for name, folder in sphinx.get("local_extensions", {}).items():
        sphinx["local_extensions"][name] = str(ROOT / folder)
    if "bibtex_bibfiles" in config:
        config["bibtex_bibfiles"] = [str(ROOT / f) for f in config["bibtex_bibfiles"]]
    sphinx_config = sphinx.setdefault("config", {})
    sphinx.setdefault("extra_extensions", []).append("sphinxcontrib.katex")
    sphinx_config["html_math_renderer"] = "katex"
    sphinx_config["katex_prerender"] = True
    sphinx_config["katex_js_path"] = str(SPEED / "node_modules" / "katex" / "dist" / "katex.min.js")
    sphinx_config["katex_css_path"] = "katex/katex.min.css"  # relative to the site's _static/
    sphinx_config["site_speed_icons"] = str(
        SPEED / "node_modules" / "@fortawesome" / "fontawesome-free"
    )
    # The book's own _static (if any) and the vendored KaTeX CSS and fonts.
    book_static = [str(ROOT / p) for p in sphinx_config.get("html_static_path", ["_static"])]
    sphinx_config["html_static_path"] = [p for p in book_static if Path(p).is_dir()] + [
        str(SPEED_STATIC)
    ]
    CONFIG_OUT.parent.mkdir(parents=True, exist_ok=True)
    CONFIG_OUT.write_text(yaml.safe_dump(config, sort_keys=False))
    return CONFIG_OUT


if __name__ == "__main__":
    vendor_axe()
    vendor_speed()
    print(write_config())
