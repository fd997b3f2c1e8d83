"""Accessibility fixes for what the Jupyter Book 1 stack writes (issue 15).

axe-core (``tests/site/test_a11y.py``) finds these on the built site; each fix says why.

* Templates: ``_templates/`` holds overrides of two pydata-sphinx-theme components (the
  search button and the colour-mode switch), each with a comment on what it fixes. It
  is put first on ``templates_path`` here, as an absolute path, so the overrides apply
  whichever folder the build's ``_config.yml`` lives in (``make book-offline`` builds
  from a generated config under ``_build/``).
* Citations: docutils 0.21 writes the references page's bibliography as
  ``<div role="list">`` around entries with ``role="doc-biblioentry"``. DPUB-ARIA 1.1
  deprecates that role and browsers and axe-core do not count it as a list item, so the
  list has no items for a screen reader (axe-core "aria-required-children", critical).
  The entries are given ``role="listitem"``, the role the deprecation names instead.
* Layout on a phone: ``_static/lossbook-a11y.css`` (Jupyter Book links every CSS file
  in the book's ``_static/`` on every page).
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "_templates"


def put_templates_first(app, config):
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))


def citations_as_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("config-inited", put_templates_first)
    app.connect("html-page-context", citations_as_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
