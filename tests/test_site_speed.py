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
