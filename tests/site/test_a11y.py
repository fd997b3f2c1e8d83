"""Accessibility of the offline website (``make test-site``, issue 15).

* axe-core, the engine browsers' audit tools use, runs on every page in light and in dark
  mode, at a desktop width and at a phone's (390 px), and any finding of impact serious
  or critical fails, printed as rule, element, page and mode. axe-core comes pinned from
  npm into ``.site-vendor/`` (``tools/offline_site.py``) and is injected from that file,
  never from a CDN.
* At 390 px no page scrolls sideways (code blocks and tables may scroll inside
  themselves) and every figure and explorer fits; screenshots of every page at that
  width, light and dark, go to ``screenshots/`` beside the desktop ones.
* Every figure on the site says what it shows: its ``alt`` is a short sentence, not a
  file path. Chapters set it with the cell metadata ``mystnb: image: alt:``.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.site.conftest import PAGES, SHOTS, SITE, open_page
from tools.offline_site import AXE, AXE_SCRIPT

PHONE = 390
SCHEMES = ["light", "dark"]
FAILING_IMPACTS = {"serious", "critical"}

# Findings the project cannot fix, as (rule, CSS selector axe reports, page), each with
# the reason. The test fails if a listed finding is no longer there, so the list stays
# true. Empty: every finding axe-core reported on the site had a fix (_ext/a11y_fixes.py).
UNFIXABLE: dict[tuple[str, str, str], str] = {}

# The page at rest and whole: colour transitions (the theme fades colours when the mode
# changes) would let axe measure a contrast halfway through a fade, and sections the site
# paints only when the reader scrolls near them (content-visibility, _ext/site_speed.py)
# would be skipped by axe, left blank in full-page screenshots and have no width to check.
AT_REST = """*, ::before, ::after { transition: none !important; animation: none !important }
* { content-visibility: visible !important }"""

AXE_RUN = """async (exclude) => {
  const result = await axe.run({exclude}, {resultTypes: ['violations']});
  return result.violations.flatMap(v => v.nodes.map(n => ({
    rule: v.id, impact: n.impact || v.impact, target: n.target.join(' '),
    html: n.html.slice(0, 120), why: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240),
  })));
}"""


def serious_findings(page, exclude):
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE} is missing: make book-offline fetches it into {AXE_SCRIPT.parent}")
    page.add_script_tag(path=str(AXE_SCRIPT))
    findings = page.evaluate(AXE_RUN, exclude)
    return [f for f in findings if f["impact"] in FAILING_IMPACTS]


def check_axe(page, page_path, mode, *, exclude=()):
    found = serious_findings(page, list(exclude))
    unexpected = [f for f in found if (f["rule"], f["target"], page_path) not in UNFIXABLE]
    seen = {(f["rule"], f["target"], page_path) for f in found}
    gone = [key for key in UNFIXABLE if key[2] == page_path and key not in seen]
    report = [
        f"{f['impact']} {f['rule']} at {f['target']} on {page_path} ({mode}): {f['why']}\n"
        f"    {f['html']}"
        for f in unexpected
    ] + [f"listed in UNFIXABLE but no longer found, remove it: {key}" for key in gone]
    assert not report, f"{len(report)} accessibility findings:\n" + "\n".join(report)


def open_in(browser, server, page_path, scheme, width):
    context, page, _ = open_page(browser, server, page_path, scheme=scheme, width=width)
    page.add_style_tag(content=AT_REST)
    # The theme follows the reader's system setting (default_mode auto).
    assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
    return context, page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_path", PAGES)
def test_no_serious_accessibility_findings(browser, server, page_path, scheme):
    context, page = open_in(browser, server, page_path, scheme, 1200)
    check_axe(page, page_path, scheme)
    context.close()


# What of the page's text a reader cannot see or scroll to: an element that sticks out
# of the window, or out of an ancestor that hides its overflow (left or right), and has
# no scrolling container (a code block, a table) that brings it into view. Inside KaTeX
# only the whole formula counts: its glyph boxes overlap by design.
OPEN_EVERYTHING = """() => {
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  document.querySelectorAll('details').forEach(d => { d.open = true; });
}"""
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [];
  for (const e of document.querySelectorAll('article *')) {
    if (e.closest('svg, .katex-mathml') || e.parentElement.closest('.katex')) continue;
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || cut.some(c => c.contains(e))) continue;
    let lost = box.left < -1 || box.right > width + 1;
    for (let a = e.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' || style.display === 'inline') continue;
      const clip = a.getBoundingClientRect();
      if (clip.width <= 2) { lost = false; break; }  // visually hidden text for screen readers
      const inside = box.left >= clip.left - 1 && box.right <= clip.right + 1;
      lost = !inside && !['auto', 'scroll'].includes(style.overflowX);
      break;
    }
    if (lost) cut.push(e);
  }
  return cut.map(e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('')
    + ' (' + Math.round(e.getBoundingClientRect().left) + ' to '
    + Math.round(e.getBoundingClientRect().right) + ' px): '
    + (e.getAttribute('alt') || e.textContent).trim().slice(0, 60));
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_path", PAGES)
def test_readable_on_a_phone(browser, server, page_path, scheme):
    context, page = open_in(browser, server, page_path, scheme, PHONE)
    SHOTS.mkdir(exist_ok=True)
    name = page_path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(SHOTS / f"{name}-{PHONE}px-{scheme}.png"), full_page=True)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= PHONE + 1, f"{page_path}: the page scrolls sideways ({scroll_width} px)"
    # The phone layout has its own header and buttons (sidebar toggles, search icon);
    # the article is the same text in the same colours as on the desktop, where it is
    # checked, and axe takes seconds over a chapter's typeset math, so it is left out.
    check_axe(page, page_path, f"{scheme}, {PHONE} px", exclude=["article"])
    page.evaluate(OPEN_EVERYTHING)  # solutions and answers as a reader opens them
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE + 1, (
        f"{page_path}: the page scrolls sideways once its solutions are open"
    )
    cut = page.evaluate(CUT_OFF)
    where = f"{page_path}: wider than a {PHONE} px window and not scrollable"
    assert not cut, where + ":\n" + "\n".join(cut)
    context.close()


def content_images(page_path):
    """The images of the page's text (the launch buttons' logos are outside it)."""
    soup = BeautifulSoup((SITE / page_path).read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup
    return article.find_all("img")


# A file name or path: an image extension, the build's image folder, or a hash. A slash
# alone is not one: alt texts speak of "z / T" and "a 1/n share".
FILE_LIKE = re.compile(r"_images|\.(png|jpe?g|svg|gif|webp)\b|[0-9a-f]{16,}", re.I)


def alt_problem(alt):
    """Why this alt text does not say what a figure shows, or None if it may."""
    if alt is None or not alt.strip():
        return "no alt text"
    if FILE_LIKE.search(alt):
        return "a file path, not a description"
    if len(alt.split()) < 4:
        return "too short to say what the figure shows (fewer than 4 words)"
    return None


@pytest.mark.parametrize("page_path", PAGES)
def test_every_figure_says_what_it_shows(page_path):
    """Chapters give each figure its alt with the output cell's metadata
    ``{"mystnb": {"image": {"alt": "..."}}}``; an explorer's frames take theirs from it."""
    problems = []
    for img in content_images(page_path):
        why = alt_problem(img.get("alt"))
        if why:
            kind = "explorer frame" if "lbx-figure" in img.get("class", []) else "figure"
            src = img.get("src", "")
            src = src[:40] + "..." if src.startswith("data:") else src
            alt = "" if img.get("alt") in (None, img.get("src")) else f" (alt={img['alt']!r})"
            problems.append(f"{kind} {src}: {why}{alt}")
    assert not problems, f"{page_path}: {len(problems)} figures without a real alt text:\n" + (
        "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("alt", "fine"),
    [
        ("../_images/629d86ccf1d3bac0907bd90fa251d9942d681c9.png", False),
        ("", False),
        (None, False),
        ("A plot", False),
        ("figure_3.png shows the loss", False),
        ("The MSE parabola is steepest far from the target", True),
        ("softmax(z / T) at three temperatures: smaller T, sharper peak", True),
        ("explorers/3f2a9c0d11e4b5a6c7d8.png frame", False),
    ],
)
def test_alt_rule(alt, fine):
    assert (alt_problem(alt) is None) == fine
