"""Small Sphinx fixes for the Jupyter Book 1 stack, so pages load without console errors.

Some extensions add their inline configuration script once per environment read, and
Jupyter Book 1 reads twice, so pages declared ``const THEBE_JS_URL`` twice and the
browser threw "Identifier 'THEBE_JS_URL' has already been declared". Identical inline
scripts are dropped from each page here; scripts loaded from files Sphinx already
deduplicates.
"""

from __future__ import annotations


def drop_duplicate_inline_scripts(app, pagename, templatename, context, doctree):
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        # the same inline body arrives once with filename None and once with ""
        body = getattr(script, "attributes", {}).get("body")
        key = ("body", body) if body else ("file", str(script))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique


def setup(app):
    # Early: a handler that returns a template name stops the later ones.
    app.connect("html-page-context", drop_duplicate_inline_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
