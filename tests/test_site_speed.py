"""The build-time rewrites of _ext/site_speed.py that decide what a page may lose: the cut
theme stylesheet must keep every rule a page or script can match, and the cut icon font
every glyph a kept rule can draw."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("site_speed", ROOT / "_ext" / "site_speed.py")
site_speed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site_speed)

WORDS = {"admonition", "admonition-title", "tip", "bd-content", "cell_output", "text_html", "show"}


@pytest.mark.parametrize(
    "selector",
    [
        "p",
        "html[data-theme=dark] .bd-content",
        ".admonition.tip>.admonition-title:after",
        ".bd-content div.cell_output .text_html:not(:has(table.dataframe))",  # .dataframe nowhere
        ":is(.tip, .unused) p",  # one alternative is enough
        ".tip.show",  # a class a script adds
        ".bs-tooltip-top .tip",  # Bootstrap builds bs-* names in its script
    ],
)
def test_a_rule_a_page_can_match_is_kept(selector):
    css = f"{selector}{{color:red}}"
    assert site_speed.purge_css(css, WORDS) == css


@pytest.mark.parametrize(
    "selector", [".fa-bell:before", ".tip .sd-card", "#unused-id", ".table-dark td"]
)
def test_a_rule_no_page_can_match_goes(selector):
    assert site_speed.purge_css(f"{selector}{{color:red}}", WORDS) == ""


def test_only_the_unmatched_selectors_of_a_list_go_and_at_rules_stay():
    css = (
        '@charset "utf-8";'
        "@font-face{font-family:X;src:url(x.woff)}"
        "@media (min-width:960px){.unused{top:0}.tip,.unused-b{left:0}}"
        "@media print{.unused{top:0}}"
        "@keyframes spin{0%{top:0}to{top:1px}}"
        '.tip:after{content:"{";color:red}'
    )
    assert site_speed.purge_css(css, WORDS) == (
        '@charset "utf-8";'
        "@font-face{font-family:X;src:url(x.woff)}"
        "@media (min-width:960px){.tip{left:0}}"
        "@keyframes spin{0%{top:0}to{top:1px}}"
        '.tip:after{content:"{";color:red}'
    )


def test_icon_codepoints_skip_font_awesomes_own_rules():
    css = (
        '.fa-bell:before{content:"\\f0f3"}'
        ':root{--pst-icon-tip:"\uf0eb"}'
        '.onthispage:after{content:"\\f107";font-family:Font Awesome\\ 6 Free}'
    )
    assert site_speed.icon_codepoints([css]) == {0xF0EB, 0xF107}


def test_the_shipped_theme_stylesheet_is_cut_to_a_fraction():
    css = site_speed.theme_stylesheet_source(ROOT)
    words = set(site_speed.WORD.findall("admonition admonition-title bd-content bd-article"))
    cut = site_speed.purge_css(css, words)
    assert 0 < len(cut) < len(css) / 3
    assert ".admonition" in cut and ".fa-bell:before" not in cut


# A chapter's <head> as Sphinx writes it, before any rewrite.
SPHINX_HEAD = """\
<html><head>
    <script src="../_static/documentation_options.js?v=9eb32ce0"></script>
    <script src="../_static/doctools.js?v=9a2dae69"></script>
    <script>DOCUMENTATION_OPTIONS.search_as_you_type = false;</script>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js?v=c5ed2b2f"></script>
    <script src="../searchindex.js"></script>
  </head>
<body><pre>x = 1</pre></body></html>
"""


def rewrite(html, tmp_path, name="chapters/01.html"):
    return site_speed.rewrite_page(html, tmp_path / name, Path(name), None, {})


def test_a_chapter_written_by_sphinx_loses_the_search_scripts_in_one_pass(tmp_path):
    page = rewrite(SPHINX_HEAD, tmp_path)
    assert "searchtools" not in page and "language_data" not in page
    assert "searchindex" not in page
    assert '<script defer src="../_static/doctools.js' in page
    assert '<script src="../_static/documentation_options.js' in page  # read by inline scripts


def test_the_search_page_keeps_its_scripts(tmp_path):
    page = rewrite(SPHINX_HEAD, tmp_path, "search.html")
    assert page.count("<script defer src=") == 4


def test_a_rewritten_page_is_rewritten_to_itself(tmp_path):
    """An incremental build rewrites only the pages it wrote again: a page must come out the
    same whether its rewrite starts from Sphinx's text or from its own."""
    once = rewrite(SPHINX_HEAD, tmp_path)
    assert rewrite(once, tmp_path) == once


def test_an_unclosed_string_ends_the_sheet_instead_of_looping():
    blocks = list(site_speed.css_blocks('.a { color: red } .b { content: "x }'))
    assert blocks[0] == (".a ", " color: red ")
    assert len(blocks) == 2
