"""Benchmark: what each kind of page of the repository's site loads, and Lighthouse's mobile
performance score for it.

Builds the site for the repository's knowledge base, serves it on 127.0.0.1 with gzip
compression of text files, as static hosts such as GitHub Pages serve it, and for one page of
each kind (the largest where size varies):

- loads it in headless Chromium with an empty cache and adds up every response body,
  uncompressed (HTML, scripts, styles, data such as the search index), as the issue's
  page-weight budget counts it (a claim page at most 1 MiB), and what went over the wire;
- runs Lighthouse (the npm package, mobile form factor, simulated throttling) against the
  system Chromium (CHROME_PATH), offline.

Writes the table into benchmarks/site.md, between the markers of its "Page weight" section.
Run: python3 benchmarks/page_weight_bench.py
"""

from __future__ import annotations

import functools
import gzip
import json
import mimetypes
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import kb
from kb.site.argtree import responses
from kb.site.build import build_site
from kb.site.context import SiteData

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
START, END = "<!-- page-weight:start -->", "<!-- page-weight:end -->"
RUNS = 3  # Lighthouse runs a page: the median is reported (a shared machine's noise)


class Gzipped(SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the browser accepts it (as GitHub Pages)."""

    TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (
            not path.is_file()
            or path.suffix not in self.TEXT
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "text/plain")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def pages(base: kb.KnowledgeBase) -> dict[str, str]:
    """Page kind → address (relative to the site): the largest of each kind where it varies."""
    data = SiteData(base)
    claim = max(
        base.claims, key=lambda c: (sum(a.size() for a in responses(data, f"claim:{c}")), c)
    )
    term = max(base.terms, key=lambda t: (data.graph.degree(f"term:{t}"), t))
    source = max(base.sources, key=lambda s: (data.graph.degree(f"source:{s}"), s))
    thread = max(data.discussions, key=lambda r: sum(1 for _ in data.discussions[r].walk()))
    return {
        "home": "",
        f"claim (largest argument tree: {claim})": f"arguments/{claim}/",
        f"term (most linked: {term})": f"terms/{term}/",
        f"source (most linked: {source})": f"sources/{source}/",
        f"thread (longest: {thread})": f"threads/{thread}/",
        "glossary": "glossary/",
        "graph explorer": "graph/",
    }


def page_bytes(browser, url: str) -> tuple[int, int, int]:
    """(bytes of every response body uncompressed, bytes over the wire, number of requests)
    for one fresh load of ``url``."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sizes: dict[str, tuple[int, int]] = {}

    def finished(request) -> None:
        response = request.response()
        body = len(response.body()) if response else 0
        sizes[request.url] = (body, request.sizes()["responseBodySize"])

    page.on("requestfinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "/graph/" in url:  # everything, drawing included (a phone draws it when scrolled to)
        page.locator("#kb-graph").scroll_into_view_if_needed()
        page.wait_for_selector("#kb-graph[data-drawn=yes]")
    context.close()
    return sum(b for b, _ in sizes.values()), sum(w for _, w in sizes.values()), len(sizes)


def lighthouse(url: str) -> dict:
    """One Lighthouse mobile performance run: score and the main timings."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            check=True,
            timeout=300,
        )
        report = json.loads(out.read_text("utf-8"))
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    }


def median_run(url: str) -> dict:
    """The run with the median score of :data:`RUNS` Lighthouse runs, and every score."""
    runs = sorted((lighthouse(url) for _ in range(RUNS)), key=lambda r: r["score"])
    return {**runs[len(runs) // 2], "scores": [r["score"] for r in runs]}


def main() -> int:
    from playwright.sync_api import sync_playwright

    base = kb.load(REPO)
    kinds = pages(base)
    rows = []
    with tempfile.TemporaryDirectory() as site:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Gzipped, directory=site))
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        build_site(REPO / "mkdocs.yml", site, REPO, strict=False, site_url=url)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                for kind, path in kinds.items():
                    size, wire, requests = page_bytes(browser, url + path)
                    rows.append((kind, size, wire, requests, median_run(url + path)))
                    print(kind, size, rows[-1][3], flush=True)
                browser.close()
        finally:
            server.shutdown()
            server.server_close()

    table = [
        START,
        f"Measured {date.today().isoformat()} ({platform.machine()}, Linux, Chromium "
        f"headless, Lighthouse 12 mobile with simulated throttling; the median of {RUNS} runs, "
        "all scores in brackets: 2 CPU cores shared with other work make single runs noisy).",
        "",
        "| page | loads (KiB) | over the wire, gzip (KiB) | requests | Lighthouse performance | "
        "FCP (s) | LCP (s) | TBT (ms) | CLS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, size, wire, requests, lh in rows:
        table.append(
            f"| {kind} | {size / 1024:,.0f} | {wire / 1024:,.0f} | {requests} | {lh['score']} "
            f"({', '.join(map(str, lh['scores']))}) | {lh['fcp']:.1f} | {lh['lcp']:.1f} | {lh['tbt']:.0f} | {lh['cls']:.3f} |"
        )
    table.append(END)
    target = HERE / "site.md"
    text = target.read_text("utf-8")
    block = "\n".join(table)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n## Page weight and Lighthouse (mobile)\n\n" + block + "\n"
    target.write_text(text, "utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
