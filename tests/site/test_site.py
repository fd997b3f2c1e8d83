"""The offline website in a real browser (``make test-site``).

Serves the site built by ``make book-offline`` on 127.0.0.1, opens every page in
Debian's Chromium driven by Playwright, and fails on a console error, a failed or
off-site request, math left untypeset, an image that does not load, or an explorer
whose slider does not change its figure. Screenshots of every page, in light and
dark mode and with a slider moved, go to ``screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The server, browser and page loader are shared with the other browser tests.
from tests.site.conftest import (  # noqa: F401  (CHROMIUM... are re-exported to test_lab)
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    SHOTS,
    open_page,
    playwright_api,
)


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(browser, server, page_path):
    context, page, problems = open_page(browser, server, page_path)
    SHOTS.mkdir(exist_ok=True)
    name = page_path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(SHOTS / f"{name}-light.png"), full_page=True)

    raw_math = page.evaluate(
        "() => [...document.querySelectorAll('.math')]"
        # typeset at build time: KaTeX's HTML to see and MathML for screen readers
        ".filter(e => !(e.querySelector('.katex-html') && e.querySelector('.katex-mathml math')))"
        ".map(e => e.textContent.slice(0, 40))"
    )
    assert not raw_math, f"{page_path}: math not typeset: {raw_math[:3]}"
    body = page.inner_text("article") if page.query_selector("article") else ""
    assert "\\(" not in body and "$$" not in body, f"{page_path}: raw TeX left on the page"

    # Figures below the fold load lazily: ask for every one, then check they all arrived.
    page.evaluate(
        "() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=15_000)
    broken = page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.src.slice(0, 80))"
    )
    assert not broken, f"{page_path}: images that did not load: {broken}"
    assert_icon_glyphs_present(page, page_path)
    assert not problems, f"{page_path}:\n" + "\n".join(problems)
    context.close()


# Every character the stylesheets draw in Font Awesome's font (admonition titles, link
# arrows), with the font weight it is drawn in; the site ships that font cut to these
# glyphs (_ext/site_speed.py), so a glyph the cut missed would show as an empty box.
ICON_CHARACTERS = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      const match = style.content.match(/^"(.+)"$/u);
      if (!match || !style.fontFamily.includes('Font Awesome')) continue;
      for (const character of match[1]) {
        found.push([character.codePointAt(0), style.fontWeight, style.fontFamily]);
      }
    }
  }
  return found;
}"""


def assert_icon_glyphs_present(page, page_path):
    from fontTools.ttLib import TTFont

    site = Path(os.environ["LOSSBOOK_SITE"])
    fonts = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => /fontawesome\\/webfonts\\//.test(n))"
    )
    assert all(name.endswith(".icons.woff") for name in fonts), (
        f"{page_path}: the whole icon font is fetched: {fonts}"
    )
    webfonts = site / "_static" / "vendor" / "fontawesome" / "webfonts"
    cmaps = {
        ("Brands" if "brands" in f.name else "Free", "400" if "-400" in f.name else "900"): set(
            TTFont(f).getBestCmap()
        )
        for f in webfonts.glob("*.icons.woff")
    }
    missing = [
        hex(codepoint)
        for codepoint, weight, family in page.evaluate(ICON_CHARACTERS)
        if codepoint >= 0xE000
        and codepoint not in cmaps.get(("Brands" if "Brands" in family else "Free", weight), ())
    ]
    assert not missing, f"{page_path}: icons with no glyph in the cut icon font: {missing}"


@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_every_explorer_slider_changes_its_figure(browser, server, page_path):
    context, page, problems = open_page(browser, server, page_path)
    explorers = page.query_selector_all(".lossbook-explorer")
    assert explorers, f"{page_path}: no explorer on a chapter page"
    assert page.evaluate(
        "() => [...document.querySelectorAll('.lossbook-explorer')]"
        ".every(e => e.querySelector('.lbx-caption').getAttribute('aria-live') === 'polite' "
        "&& e.querySelector('.lbx-figure').getAttribute('width'))"
    ), f"{page_path}: a caption is not a live region, or a first frame has no size"
    name = page_path.replace("/", "_").removesuffix(".html")
    for index, explorer in enumerate(explorers):
        explorer.scroll_into_view_if_needed()
        for slider in explorer.query_selector_all("input[type=range]"):
            before = explorer.eval_on_selector(".lbx-figure", "img => img.src")
            caption = explorer.eval_on_selector(".lbx-caption", "p => p.textContent")
            at_max = slider.evaluate("s => +s.value === +s.max")
            slider.focus()
            slider.press("ArrowLeft" if at_max else "ArrowRight")  # as a keyboard user moves it
            after = explorer.eval_on_selector(".lbx-figure", "img => img.src")
            assert after != before, f"{page_path}: explorer {index}: the figure did not change"
            # frames are image files beside the page (_ext/explorer_frames.py), not in it
            assert "/_images/explorers/" in after, f"{page_path}: frame not a file: {after[:60]}"
            explorer.wait_for_selector(".lbx-figure", state="attached")
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0",
                arg=explorer.query_selector(".lbx-figure"),
                timeout=5_000,
            )
            new_caption = explorer.eval_on_selector(".lbx-caption", "p => p.textContent")
            assert new_caption != caption, f"{page_path}: explorer {index}: caption unchanged"
            # a screen reader hears the value and the caption; the image says the same
            assert slider.get_attribute("aria-valuetext") not in (None, "", slider.input_value())
            assert new_caption in explorer.eval_on_selector(".lbx-figure", "img => img.alt")
            slider.press("End")
            assert slider.evaluate("s => s.value === s.max"), f"{page_path}: End key"
            slider.press("Home")
            assert slider.evaluate("s => s.value === s.min"), f"{page_path}: Home key"
        explorer.screenshot(path=str(SHOTS / f"{name}-explorer{index}-moved.png"))
    assert not problems, f"{page_path}:\n" + "\n".join(problems)
    context.close()


@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_dark_mode_screenshot(browser, server, page_path):
    context, page, problems = open_page(browser, server, page_path, scheme="dark")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    name = page_path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(SHOTS / f"{name}-dark.png"), full_page=True)
    assert not problems, f"{page_path}:\n" + "\n".join(problems)
    context.close()


def test_download_binder_and_colab_buttons(browser, server):
    context, page, _ = open_page(browser, server, "chapters/01_what_is_a_loss.html")
    html = page.content()
    assert "_sources/chapters/01_what_is_a_loss.ipynb" in html, "no .ipynb download"
    assert "mybinder.org/v2/gh/" in html and "colab.research.google.com/github/" in html
    response = page.request.get(f"{server}/_sources/chapters/01_what_is_a_loss.ipynb")
    assert response.ok and response.json()["nbformat"] == 4, "the download is not a notebook"
    # solutions and quiz answers are closed until clicked
    closed = page.evaluate(
        "() => [...document.querySelectorAll('details.dropdown, .dropdown.toggle-hidden, "
        ".solution.dropdown')].length"
    )
    assert closed > 0, "no hidden solution or answer"
    context.close()


def test_search_from_a_chapter_finds_the_chapter(browser, server):
    """The search dialog of any page sends the query to search.html, the one page that
    loads the search index (_ext/site_speed.py drops it from the others)."""
    context, page, problems = open_page(browser, server, "chapters/01_what_is_a_loss.html")
    assert page.evaluate("() => typeof Search") == "undefined", "a chapter loads the search index"
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    field.fill("log-cosh")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=log-cosh*")
    results = page.locator("#search-results li a")
    results.first.wait_for(timeout=15_000)
    targets = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("05_huber_logcosh_quantile" in t for t in targets), targets
    assert not problems, "\n".join(problems)
    context.close()
