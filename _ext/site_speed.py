"""Make every page of the site light on a phone (issue 17), losing nothing it shows.

After Sphinx has written the pages, each HTML file is rewritten in place:

* Icons: the theme loads ``fontawesome.js`` (1.4 MB of script, some 400 KB gzipped) only
  to swap its dozen ``<i class="fa-...">`` icons for SVG when the page runs. With
  ``site_speed_icons`` set to a Font Awesome Free package folder (npm
  ``@fortawesome/fontawesome-free``, the version the theme bundles), each icon's SVG is
  put inside its ``<i>`` at build time and the script tag is dropped, so the chrome shows
  the same icons with no script. The ``<i>`` stays, so the theme's CSS (the light/dark
  switch shows one of three icons by class) still applies. An icon the package lacks is
  a warning, so ``-W`` stops the build rather than shipping a blank button.
* Figures: every ``<img>`` of a file gets its ``width`` and ``height`` (the browser then
  reserves its box and nothing shifts when it arrives) and every image, explorer frames
  and the launch menu's logos included, ``loading="lazy"``: no chapter has a figure on
  its first screen (the first is 2,000-8,000 px down on a phone), so none is fetched
  before the text is painted. ``decoding="async"`` keeps the decode off the main thread.

* Theme script: its load-time tab-stop loop (``pydata-sphinx-theme.js``) measures only
  the sections on screen; a section content-visibility skips is measured when shown.
* Math fonts: KaTeX's two main fonts are preloaded on pages with math, so formulas do not
  reflow (layout shift) when they arrive late.
* Theme stylesheet: ``pydata-sphinx-theme.css`` (397 KB, 65 KB gzipped, render-blocking
  on every page) bundles all of Bootstrap and Font Awesome's 1,400 per-icon rules. After
  the pages are written, a rule is kept when each class and id its selector names occurs
  as a word in some page or script of the site (scripts add classes such as ``show``);
  Bootstrap's ``bs-*`` classes, which its script builds from parts, are always kept.
  What no page can match goes: 111 KB, 19 KB gzipped.
* Icon font: the theme still draws a few icons with Font Awesome's webfont from CSS
  (admonition titles, the external-link arrow, the breadcrumb divider), which made every
  chapter fetch the whole solid font (156 KB, ``font-display: block``) for three glyphs.
  Each Font Awesome font is cut, with fontTools, to the glyphs the site's stylesheets can
  show (every private-use character in a rule that is not one of Font Awesome's own
  per-icon rules, whose icons are inlined as SVG above), written as WOFF, and the theme's
  ``@font-face`` rules point at the cut files: 2-3 KB each.

Math is not done here: the offline build renders it at build time with
``sphinxcontrib.katex`` (``tools/offline_site.py`` sets that up), so no math script runs
when a page is read.
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path

import imagesize
from sphinx.util import logging

logger = logging.getLogger(__name__)

FONTAWESOME_SCRIPT = re.compile(
    r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'
)
ICON = re.compile(
    r'<(?P<tag>i|span) class="(?P<classes>[^"]*\bfa[a-z-]*\b[^"]*)"(?P<attrs>[^>]*)></(?P=tag)>'
)
# A script in <head> loaded by src with neither async nor defer. documentation_options.js
# stays as it is: inline scripts right after it assign to its DOCUMENTATION_OPTIONS.
BLOCKING_SCRIPT = re.compile(
    r"<script (?![^>]*\b(?:async|defer)\b)(?![^>]*documentation_options)"
    r'([^>]*\bsrc="[^"]*"[^>]*)></script>'
)
IMG = re.compile(r"<img\b[^>]*>")
# Assets of extensions that Jupyter Book switches on but no page of this book uses: thebe
# (live code cells; the book's launch buttons are plain links) and sphinx-design (no page
# has a grid, card or tab, checked per page by its "sd-" classes). Each would be one more
# render-blocking stylesheet, or script to fetch, on every page.
THEBE_ASSETS = re.compile(
    r'[ \t]*(?:<link [^>]*href="[^"]*sphinx-thebe\.css[^"]*"[^>]*/>'
    r'|<script [^>]*src="[^"]*sphinx-thebe\.js[^"]*"></script>'
    r"|<script>const THEBE_JS_URL = [^<]*</script>)\n?"
)
DESIGN_ASSETS = re.compile(
    r'[ \t]*(?:<link [^>]*href="[^"]*sphinx-design\.min\.css[^"]*"[^>]*/>'
    r'|<script [^>]*src="[^"]*design-tabs\.js[^"]*"></script>)\n?'
)
# The theme's styles/theme.css is one line, @import "../basic.css": linking basic.css
# itself saves the round trip of a stylesheet found only inside another one.
THEME_CSS = re.compile(r'href="(?P<static>[^"]*_static/)styles/theme\.css[^"]*"')
# myst-nb copies each notebook's ipywidgets state into its page (30-130 KB) for a widget
# manager to read; the book loads none (nb_ipywidgets_js is empty) and shows every
# explorer as its kernel-free player, so the state is dead weight in the critical HTML.
WIDGET_STATE = re.compile(
    r'[ \t]*<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>\n?', re.S
)
# The search index (35 KB gzipped, 127 KB of script to parse) and the code that reads it.
# The theme links them from every page for search-as-you-type in its search dialog, but
# returns at once when that option is off (as here): the dialog sends the query to
# search.html, the one page that needs them. sphinx_highlight.js then marks the query's
# words on the result pages, which it does only where searchtools.js is absent.
SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script (?:defer )?src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js'
    r'|searchindex\.js)(?:\?[^"]*)?"></script>\n?'
)
SEARCH_AS_YOU_TYPE_OFF = "DOCUMENTATION_OPTIONS.search_as_you_type = false;"
STYLESHEET = re.compile(r'[ \t]*<link rel="stylesheet" [^>]*href="(?P<href>[^"]*)"[^>]*/>\n?')
ATTR = re.compile(r'\b(?P<name>[a-z-]+)="(?P<value>[^"]*)"')
STYLE_FOLDERS = {
    "fa-solid": "solid",
    "fas": "solid",
    "fa-regular": "regular",
    "far": "regular",
    "fa-brands": "brands",
    "fab": "brands",
}
# Font Awesome's sizing and spacing classes, which name no icon.
MODIFIERS = {
    "fa-lg",
    "fa-xs",
    "fa-sm",
    "fa-xl",
    "fa-fw",
    "fa-2x",
    "fa-3x",
    "fa-spin",
    "fa-pull-left",
}
SPEED_CSS = "site-speed.css"
# A chapter's sections below the first screen are laid out and painted only when the
# reader nears them (their text is still in the page, found by search and read by screen
# readers); "auto" keeps a section's last real height once it has been shown.
# Then what fontawesome.js's injected stylesheet gave the icons it drew, for ours.
SPEED_CSS_TEXT = """\
.bd-article > section > section {
  content-visibility: auto;
  contain-intrinsic-size: auto 900px;
}
/* The glossary and the references are one long list each: the same, entry by entry. */
dl.glossary > dt,
dl.glossary > dd,
.citation-list > .citation {
  content-visibility: auto;
  contain-intrinsic-size: auto 3em;
}
.lb-svg::before {
  content: none !important;
}
/* An inline box takes its line metrics from its font: with the icon font named here,
   the browser would fetch Font Awesome's 270 KB of webfonts for icons drawn in SVG. */
.lb-svg {
  font-family: inherit !important;
  font-weight: inherit !important;
}
.lb-svg > svg.lb-icon {
  display: inline-block;
  height: 1em;
  overflow: visible;
  vertical-align: -0.125em;
  fill: currentColor;
}
.fa-lg > svg.lb-icon {
  font-size: 1.25em;
  line-height: 0.05em;
  vertical-align: -0.2em;
}
"""


def icon_svg(folder: Path, classes: list[str], cache: dict) -> str | None:
    style = next((STYLE_FOLDERS[c] for c in classes if c in STYLE_FOLDERS), "solid")
    names = [
        c for c in classes if c.startswith("fa-") and c not in STYLE_FOLDERS and c not in MODIFIERS
    ]
    if not names:
        return None
    key = (style, names[0])
    if key not in cache:
        path = folder / "svgs" / style / f"{names[0].removeprefix('fa-')}.svg"
        if not path.exists():
            cache[key] = None
        else:
            svg = re.sub(r"<!--.*?-->", "", path.read_text())
            cache[key] = svg.replace(
                "<svg ", '<svg class="lb-icon" aria-hidden="true" focusable="false" ', 1
            )
    return cache[key]


def inline_icons(html: str, folder: Path, cache: dict, page: Path) -> str:
    def replace(match):
        classes = match["classes"].split()
        svg = icon_svg(folder, classes, cache)
        if svg is None:
            logger.warning(
                f"site_speed: no Font Awesome icon for class {match['classes']!r} in {page}"
            )
            return match[0]
        tag = match["tag"]
        return f'<{tag} class="{match["classes"]} lb-svg"{match["attrs"]}>{svg}</{tag}>'

    return FONTAWESOME_SCRIPT.sub("", ICON.sub(replace, html))


def drop_unused_assets(html: str, page_name: str) -> str:
    """Remove the unread widget state, thebe's and (where the page has no "sd-" class)
    sphinx-design's assets, the search scripts outside the search page when nothing else
    reads them, and a stylesheet linked twice (sphinxcontrib-katex adds its CSS a second
    time); link basic.css directly instead of through theme.css's @import."""
    html = THEBE_ASSETS.sub("", html)
    if page_name != "search.html" and SEARCH_AS_YOU_TYPE_OFF in html:
        html = SEARCH_SCRIPTS.sub("", html)
    if "application/vnd.jupyter.widget-view+json" not in html:
        html = WIDGET_STATE.sub("", html)
    html = THEME_CSS.sub(r'href="\g<static>basic.css"', html)
    if not re.search(r'class="[^"]*\bsd-', html):
        html = DESIGN_ASSETS.sub("", html)
    seen = set()

    def once(match):
        href = match["href"]
        if href in seen:
            return ""
        seen.add(href)
        return match[0]

    return STYLESHEET.sub(once, html)


# KaTeX's two fonts nearly every formula uses. Found only once the stylesheet is parsed and
# the math laid out, they can arrive after the browser's 3 s font block on a slow link: the
# math is then drawn in a fallback font and reflows when they come (the glossary's opening
# paragraph, with 15 formulas, shifted the list below it by a line: layout shift 0.23).
KATEX_CSS = re.compile(
    r'<link rel="stylesheet" [^>]*href="(?P<static>[^"]*_static/)katex/katex\.min\.css[^"]*"[^>]*/>'
)
KATEX_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")


def preload_math_fonts(html: str) -> str:
    if 'class="katex"' not in html or f'katex/fonts/{KATEX_FONTS[0]}" as="font' in html:
        return html

    def add(match):
        links = "".join(
            f'\n    <link rel="preload" href="{match["static"]}katex/fonts/{font}" as="font" '
            'type="font/woff2" crossorigin="anonymous" />'
            for font in KATEX_FONTS
        )
        return match[0] + links

    return KATEX_CSS.sub(add, html, count=1)


def defer_head_scripts(html: str) -> str:
    """Let the browser paint before it runs the chrome's scripts (copy buttons, toggles,
    search index): ``defer`` keeps their order and runs them before DOMContentLoaded,
    the event they wait for; the inline settings they read are already set by then."""
    end = html.find("</head>")
    if end < 0:
        return html
    return BLOCKING_SCRIPT.sub(r"<script defer \1></script>", html[:end]) + html[end:]


def size_images(html: str, page: Path) -> str:
    def replace(match):
        tag = match[0]
        attrs = {m["name"]: m["value"] for m in ATTR.finditer(tag)}
        src = attrs.get("src", "")
        if not src or src.startswith(("http:", "https:")):
            return tag
        extra = []
        # The explorers' frames come sized from the explorer extension (data: until then).
        if "width" not in attrs and "height" not in attrs and not src.startswith("data:"):
            file = (page.parent / src.split("?")[0]).resolve()
            size = imagesize.get(file) if file.is_file() else (-1, -1)
            if size[0] > 0 and size[1] > 0:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if "loading" not in attrs:
            extra.append('loading="lazy"')
        if "decoding" not in attrs:
            extra.append('decoding="async"')
        if not extra:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + " " + " ".join(extra) + (" />" if end == -2 else ">")

    return IMG.sub(replace, html)


# The theme (pydata-sphinx-theme.js) gives every code block, output and table a tab stop
# when it scrolls sideways, on "load" and after each change under #main-content: it reads
# each one's scrollWidth right after writing the previous one's tabIndex. A read inside a
# section that content-visibility skips forces that section's style and layout, so the
# loop lays out the whole chapter, box by box (0.5 s of main thread on a fast machine for
# chapter 05, the page's longest task). Same rule, read only where the section is
# rendered; a skipped section's boxes are measured when it is about to be shown.
THEME_TAB_STOPS = (
    ".forEach(e=>{e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})"
)
LAZY_TAB_STOPS = (
    ".forEach(e=>{const f=x=>{x.tabIndex=x.scrollWidth>x.clientWidth||"
    'x.scrollHeight>x.clientHeight?0:-1},s=e.closest(".bd-article > section > section");'
    "if(!s||!e.checkVisibility||e.checkVisibility({contentVisibilityAuto:!0}))return f(e);"
    '(s.lbTabStops||(s.addEventListener("contentvisibilityautostatechange",'
    "v=>{v.skipped||(s.lbTabStops.forEach(f),s.lbTabStops.clear())}),"
    "s.lbTabStops=new Set)).add(e)})"
)
# Until a skipped section has been shown its code blocks keep a tab stop from the build,
# so a keyboard can reach (and so scroll) any that turns out to be wider than the screen.
PRE = re.compile(r"<pre(?![^>]*\btabindex=)")


def lazy_tab_stops(outdir: Path) -> None:
    script = outdir / "_static" / "scripts" / "pydata-sphinx-theme.js"
    if not script.is_file():
        return
    text = script.read_text(encoding="utf-8")
    if LAZY_TAB_STOPS in text:
        return
    if THEME_TAB_STOPS not in text:
        logger.warning(
            "site_speed: pydata-sphinx-theme.js has changed: its tab-stop loop was not found, "
            "so it still lays out every skipped section on load"
        )
        return
    script.write_text(text.replace(THEME_TAB_STOPS, LAZY_TAB_STOPS, 1), encoding="utf-8")


# A minified CSS rule: selectors, then declarations (no nested braces inside).
CSS_RULE = re.compile(r"(?P<selectors>[^{}]*)\{(?P<declarations>[^{}]*)\}")
CSS_ESCAPE = re.compile(r"\\(?P<hex>[0-9a-fA-F]{4,6})")
PRIVATE_USE = range(0xE000, 0xF900)
ICON_FONT_FACE = re.compile(
    r"src:url\((?P<folder>[^)]*/webfonts/)(?P<name>fa-[a-z]+-\d+)\.woff2\) format\(\"woff2\"\),"
    r"url\([^)]*\.ttf\) format\(\"truetype\"\)"
)


def icon_codepoints(stylesheets: list[str]) -> set[int]:
    """The icon-font characters these stylesheets can put on a page."""
    codepoints = set()
    for css in stylesheets:
        for rule in CSS_RULE.finditer(css):
            selectors = [s.strip() for s in rule["selectors"].split(",")]
            if all(s.startswith(".fa") for s in selectors):
                continue  # Font Awesome's own .fa-NAME:before rules: drawn as SVG here
            text = rule["declarations"]
            codepoints |= {ord(c) for c in text if ord(c) in PRIVATE_USE}
            codepoints |= {
                int(m["hex"], 16)
                for m in CSS_ESCAPE.finditer(text)
                if int(m["hex"], 16) in PRIVATE_USE
            }
    return codepoints


def subset_icon_fonts(static: Path, theme_css: str) -> str:
    """Write the cut fonts; return the theme's stylesheet pointing at them."""
    faces = list(ICON_FONT_FACE.finditer(theme_css))
    if not faces:
        return theme_css
    from fontTools import subset  # matplotlib's dependency; imported only when needed

    others = [
        css.read_text(encoding="utf-8", errors="replace")
        for css in static.rglob("*.css")
        if css.name != THEME_STYLESHEET.name
    ]
    codepoints = icon_codepoints([theme_css, *others])
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    for face in faces:
        name = face["name"]
        options = subset.Options()
        options.flavor = "woff"  # zlib: WOFF2 would need brotli, and saves little at 2 KB
        options.notdef_outline = True
        font = subset.load_font(str(webfonts / f"{name}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(webfonts / f"{name}.icons.woff"), options)
    return ICON_FONT_FACE.sub(
        lambda m: f'src:url({m["folder"]}{m["name"]}.icons.woff) format("woff")', theme_css
    )


THEME_STYLESHEET = Path("_static") / "styles" / "pydata-sphinx-theme.css"
SELECTOR_NAME = re.compile(r"[.#](?P<name>-?[_a-zA-Z][\w-]*)")
WORD = re.compile(r"[\w-]+")
GROUPING_RULES = ("@media", "@supports", "@layer", "@container")
ALWAYS_KEPT = re.compile(r"bs-")


def css_blocks(css: str):
    """Split a stylesheet into its top-level (prelude, body) pairs; body is None for a
    statement such as @charset. Strings are skipped, so braces inside them do not count."""
    i, n = 0, len(css)
    while i < n:
        brace = css.find("{", i)
        if brace < 0:
            return
        semicolon = css.find(";", i)
        if 0 <= semicolon < brace and css[i:semicolon].lstrip().startswith("@"):
            yield css[i : semicolon + 1], None
            i = semicolon + 1
            continue
        depth, k = 1, brace + 1
        while depth and k < n:
            c = css[k]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c in "\"'":
                # An unclosed string runs to the end of the sheet, as in a browser; find's
                # -1 would restart the scan at the start, forever.
                close = css.find(c, k + 1)
                k = n if close < 0 else close
            k += 1
        yield css[i:brace], css[brace + 1 : k - 1]
        i = k


def split_selector_list(text: str) -> list[str]:
    selectors, depth, start = [], 0, 0
    for k, c in enumerate(text):
        depth += c in "(["
        depth -= c in ")]"
        if c == "," and depth == 0:
            selectors.append(text[start:k])
            start = k + 1
    selectors.append(text[start:])
    return selectors


def without_arguments(selector: str) -> str:
    """The selector with every parenthesised argument dropped: :not(.x) matches when .x is
    nowhere, and :is(.x, .y) when only one of them is, so neither may decide."""
    out, depth = [], 0
    for c in selector:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


def matchable(selector: str, words: set[str]) -> bool:
    names = SELECTOR_NAME.findall(without_arguments(selector))
    return all(name in words or ALWAYS_KEPT.match(name) for name in names)


def purge_css(css: str, words: set[str]) -> str:
    kept = []
    for prelude, body in css_blocks(css):
        head = re.sub(r"/\*.*?\*/", "", prelude, flags=re.S).strip()
        if body is None:
            kept.append(prelude)
        elif head.startswith(GROUPING_RULES):
            inner = purge_css(body, words)
            if inner.strip():
                kept.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            kept.append(f"{head}{{{body}}}")  # @font-face, @keyframes, @page: kept whole
        else:
            selectors = [s for s in split_selector_list(head) if matchable(s, words)]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(kept)


def theme_stylesheet_source(outdir: Path) -> str:
    """The theme's stylesheet as the theme ships it. Sphinx copies it again only when the
    theme changes, so on an incremental build the copy in the site is already cut."""
    try:
        import pydata_sphinx_theme
    except ImportError:
        return (outdir / THEME_STYLESHEET).read_text(encoding="utf-8")
    package = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    return (package / "static" / "styles" / THEME_STYLESHEET.name).read_text(encoding="utf-8")


def rewrite_theme_css(outdir: Path, page_words: set[str]) -> None:
    """Cut the theme's stylesheet to the rules a page (its words given) or script can
    match, and its icon fonts to the glyphs that stylesheet can draw."""
    stylesheet = outdir / THEME_STYLESHEET
    if not stylesheet.is_file():
        return
    words = set(page_words)
    for script in (outdir / "_static").rglob("*.js"):
        words.update(WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    css = purge_css(theme_stylesheet_source(outdir), words)
    stylesheet.write_text(subset_icon_fonts(outdir / "_static", css), encoding="utf-8")


def rewrite_pages(app, exception):
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    icons = app.config.site_speed_icons
    folder = Path(icons) if icons else None
    if folder is not None and not (folder / "svgs").is_dir():
        logger.warning(f"site_speed: site_speed_icons={icons!r} has no svgs/ folder")
        folder = None
    (outdir / "_static" / SPEED_CSS).write_text(SPEED_CSS_TEXT)
    lazy_tab_stops(outdir)
    cache: dict = {}
    page_words: set[str] = set()
    for page in sorted(outdir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        new = rewrite_page(html, page, page.relative_to(outdir), folder, cache)
        if new != html:
            page.write_text(new, encoding="utf-8")
        page_words.update(WORD.findall(new))
    rewrite_theme_css(outdir, page_words)


def rewrite_page(html: str, page: Path, name: Path, icons: Path | None, cache: dict) -> str:
    """One page's rewrites. Each must give the same page whether it reads what Sphinx wrote
    or what an earlier build rewrote: an incremental build rewrites only the pages it wrote
    again, so a rewrite that needs a second pass would pass locally and fail on a clean
    clone (the search scripts once did: they were matched only once deferred)."""
    new = drop_unused_assets(defer_head_scripts(size_images(html, page)), name.as_posix())
    new = PRE.sub('<pre tabindex="0"', new)
    new = preload_math_fonts(new)
    if icons is not None:
        new = inline_icons(new, icons, cache, name)
    return new


def add_speed_css(app, config):
    app.add_css_file(SPEED_CSS)


def patient_katex_server() -> None:
    """sphinxcontrib-katex connects to its node server as soon as the socket file exists,
    which is before node listens on it; on a busy machine the build then dies with
    ConnectionRefusedError. Same start, but the connection is retried until the timeout."""
    try:
        from sphinxcontrib import katex
    except ImportError:
        return

    def start_server_process(cls, rundir, timeout):
        socket_path = rundir / "katex.sock"
        process = subprocess.Popen(
            cls.build_command(socket=socket_path),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=rundir,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if socket_path.is_socket():
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.connect(str(socket_path))
                    return process, sock
                except (ConnectionRefusedError, FileNotFoundError):
                    sock.close()
            time.sleep(0.01)
        process.kill()
        raise cls.timeout_error(timeout)

    katex.KaTeXServer.start_server_process = classmethod(start_server_process)
    katex.STARTUP_TIMEOUT = max(katex.STARTUP_TIMEOUT, 30.0)


def setup(app):
    patient_katex_server()
    app.add_config_value("site_speed_icons", "", "html", types=[str])
    app.connect("config-inited", add_speed_css)
    app.connect("build-finished", rewrite_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
