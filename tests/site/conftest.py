"""What every browser test of the offline site shares: the site's pages, a local server
over it, Debian's Chromium driven by Playwright, and ``open_page``, which loads a page and
collects what went wrong while it loaded (console errors, failed or off-site requests).
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


def open_page(browser, server, page_path, *, scheme="light", width=1200):
    """Open a page of the site at this window width and colour scheme, math typeset.

    Returns the browser context (close it), the page, and a list that fills with the
    console errors and failed or off-site requests seen while the page lives.
    """
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
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
    # Math is typeset either at build time (KaTeX) or by MathJax once the page runs.
    page.wait_for_function(
        "() => !document.querySelector('.math') || document.querySelector('.katex') || "
        "(window.MathJax && MathJax.startup && MathJax.startup.document && "
        "document.querySelectorAll('mjx-container').length > 0)",
        timeout=20_000,
    )
    return context, page, problems
