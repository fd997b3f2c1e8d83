"""The offline website in a real browser (``make test-site``).

Serves the site built by ``make book-offline`` on 127.0.0.1, opens every page in
Debian's Chromium driven by Playwright, and fails on a console error, a failed or
off-site request, math left untypeset, an image that does not load, or an explorer
whose slider does not change its figure. Screenshots of every page, in light and
dark mode and with a slider moved, go to ``screenshots/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "offline" / "_build" / "html"))
SHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags this machine's headless Chromium needs: no sandbox as root, and no
# background connections to Google's hosts, which the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Console messages that are not the site's fault. Keep this list short and say why.
ALLOWED_CONSOLE = [
    # Chromium asks every site for /favicon.ico; the book has none.
    re.compile(r"Failed to load resource.*404"),
]

PAGES = sorted(
    str(p.relative_to(SITE))
    for p in SITE.rglob("*.html")
    if not p.relative_to(SITE).parts[0].startswith("_")
)


@pytest.fixture(scope="session")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail(f"no site at {SITE}: run make book-offline first")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, server, page_path, *, scheme="light"):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems = []

    def on_console(message):
        if message.type == "error" and not any(p.search(message.text) for p in ALLOWED_CONSOLE):
            problems.append(f"console error: {message.text}")

    def on_request(request):
        host = urlparse(request.url).hostname
        if request.url.startswith("http") and host != "127.0.0.1":
            problems.append(f"off-site request: {request.url}")

    def on_failed(request):
        if not request.url.endswith("favicon.ico"):
            problems.append(f"failed request: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    page.on("requestfailed", on_failed)
    page.goto(f"{server}/{page_path}", wait_until="networkidle")
    page.wait_for_function(
        "() => !document.querySelector('.math') || "
        "(window.MathJax && MathJax.startup && MathJax.startup.document && "
        "document.querySelectorAll('mjx-container').length > 0)",
        timeout=20_000,
    )
    return context, page, problems


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(browser, server, page_path):
    context, page, problems = open_page(browser, server, page_path)
    SHOTS.mkdir(exist_ok=True)
    name = page_path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(SHOTS / f"{name}-light.png"), full_page=True)

    raw_math = page.evaluate(
        "() => [...document.querySelectorAll('.math')]"
        ".filter(e => !e.querySelector('mjx-container') && e.tagName !== 'MJX-CONTAINER')"
        ".map(e => e.textContent.slice(0, 40))"
    )
    assert not raw_math, f"{page_path}: math not typeset: {raw_math[:3]}"
    body = page.inner_text("article") if page.query_selector("article") else ""
    assert "\\(" not in body and "$$" not in body, f"{page_path}: raw TeX left on the page"

    broken = page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.src.slice(0, 80))"
    )
    assert not broken, f"{page_path}: images that did not load: {broken}"
    assert not problems, f"{page_path}:\n" + "\n".join(problems)
    context.close()


@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("chapters/")])
def test_every_explorer_slider_changes_its_figure(browser, server, page_path):
    context, page, problems = open_page(browser, server, page_path)
    explorers = page.query_selector_all(".lossbook-explorer")
    assert explorers, f"{page_path}: no explorer on a chapter page"
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
            assert explorer.eval_on_selector(
                ".lbx-figure", "img => img.complete && img.naturalWidth > 0"
            ), f"{page_path}: explorer {index}: the new frame is not an image"
            new_caption = explorer.eval_on_selector(".lbx-caption", "p => p.textContent")
            assert new_caption != caption, f"{page_path}: explorer {index}: caption unchanged"
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
