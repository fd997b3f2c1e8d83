"""Lighthouse (mobile) over every page of the offline site, served gzip-compressed.

    .venv/bin/python benchmarks/site.py [--site DIR] [--pages intro.html chapters/02...]

Serves the site built by ``make book-offline`` on 127.0.0.1 the way a static host does
(text responses gzip-compressed, with Content-Encoding), then runs Lighthouse in its
default mobile mode (simulated slow 4G, 4x slower CPU) over each page with Debian's
Chromium and prints one row per page: performance score, largest contentful paint,
total blocking time, cumulative layout shift and bytes transferred.

Lighthouse is pinned and installed from npm on first use into ``.site-vendor/lighthouse``
(ignored by git), outside the book's sources. This is a benchmark, not a test: it
prints numbers and fails only when it cannot measure them.

Headless Chromium 156 here often holds a page's first frame until a whole second after
navigation (0.26, 1.26 or 2.24 s for the same bytes: viz stops offering frames to a page
that did not answer the last ones, Lighthouse issue #17148, seen on PageSpeed Insights
too), and Lighthouse's simulation then counts every request started before that paint
as needed for it. The "seen FCP" column shows that unthrottled first paint, so a stalled
run can be told apart. It happens with chrome-launcher's flags (which switch Chromium's
RenderDocument off for Lighthouse 12); with RenderDocument on, the stall goes but
Lighthouse 12.2.3 misreads the trace, so the benchmark keeps the flags Lighthouse ships.
Each page is measured ``--runs`` times and the median run (by performance score) is
shown, as Lighthouse's documentation on variability advises.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "offline" / "_build" / "html"
LIGHTHOUSE_PREFIX = ROOT / ".site-vendor" / "lighthouse"
LIGHTHOUSE = "lighthouse@12.2.3"
LIGHTHOUSE_BIN = LIGHTHOUSE_PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# Core Web Vitals "good" thresholds and Lighthouse's own "good" score.
GOALS = {"performance": 90, "lcp_s": 2.5, "tbt_ms": 200, "cls": 0.1}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the client accepts it."""

    cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if (
            "gzip" not in self.headers.get("Accept-Encoding", "")
            or not os.path.isfile(path)
            or not ctype.startswith(COMPRESSIBLE)
        ):
            return super().do_GET()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # Chromium drops connections it no longer needs (favicon, prefetches)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def install_lighthouse() -> None:
    if LIGHTHOUSE_BIN.exists():
        return
    LIGHTHOUSE_PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--no-save"]
        + ["--prefix", str(LIGHTHOUSE_PREFIX), LIGHTHOUSE],
        check=True,
    )


def pages_of(site: Path) -> list[str]:
    pages = [str(p.relative_to(site)) for p in site.rglob("*.html")]
    pages = [p for p in pages if not p.startswith("_")]
    # the front pages first, then the chapters in order
    return sorted(pages, key=lambda p: (p.startswith("chapters/"), p))


CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --no-first-run "
    "--disable-background-networking --disable-component-update"
)


def lighthouse(url: str, report: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    command = [
        str(LIGHTHOUSE_BIN),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    subprocess.run(command, env=env, check=True, timeout=300)
    result = json.loads(report.read_text())
    audits = result["audits"]
    observed = audits["metrics"]["details"]["items"][0]
    return {
        "observed_fcp_s": observed["observedFirstContentfulPaint"] / 1000,
        "performance": round(100 * (result["categories"]["performance"]["score"] or 0)),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def meets(row: dict) -> bool:
    return (
        row["performance"] >= GOALS["performance"]
        and row["lcp_s"] <= GOALS["lcp_s"]
        and row["tbt_ms"] <= GOALS["tbt_ms"]
        and row["cls"] <= GOALS["cls"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--pages", nargs="*", help="pages relative to the site (default: all)")
    parser.add_argument("--keep-reports", type=Path, help="folder for Lighthouse's JSON reports")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is shown")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"no site at {args.site}: run `make book-offline` first")
    install_lighthouse()
    pages = args.pages or pages_of(args.site)
    httpd, base = serve(args.site)
    reports = args.keep_reports or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    print(
        f"Lighthouse 12.2.3, mobile (simulated slow 4G, 4x CPU), gzip, {len(pages)} pages, "
        f"median of {args.runs} runs"
    )
    # "seen FCP" is the first paint Chromium reported unthrottled: the simulation starts there.
    header = (
        f"{'page':<44} {'perf':>4} {'LCP':>6} {'TBT':>7} {'CLS':>6} {'bytes':>9} "
        f"{'seen FCP':>9}  good"
    )
    print(header)
    print("-" * len(header))
    try:
        for page in pages:
            name = page.replace("/", "_").removesuffix(".html")
            runs = [
                lighthouse(f"{base}/{page}", reports / f"{name}-{run}.json")
                for run in range(args.runs)
            ]
            row = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
            print(
                f"{page.removesuffix('.html'):<44} {row['performance']:>4} "
                f"{row['lcp_s']:>5.1f}s {row['tbt_ms']:>5.0f}ms {row['cls']:>6.3f} "
                f"{row['kib']:>5.0f} KiB {row['observed_fcp_s']:>8.2f}s  "
                f"{'yes' if meets(row) else 'NO'}",
                flush=True,
            )
    finally:
        httpd.shutdown()
    print(f"goal: performance >= 90, LCP <= 2.5 s, TBT <= 200 ms, CLS <= 0.1; reports in {reports}")


if __name__ == "__main__":
    main()
