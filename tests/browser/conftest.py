"""Browser-test fixtures: the fixture site built once per session, served over HTTP on
127.0.0.1 (a free port, from a thread of this process), and headless Debian Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

import kb
from kb.site.build import build_site

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
# Every wait is on a condition (a URL, an element's state, a script's answer); these are only
# the limits after which a condition that never comes true fails, generous for a loaded machine.
WAIT_MS = 60_000
expect.set_options(timeout=WAIT_MS)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def fixture_base() -> kb.KnowledgeBase:
    return kb.load(FIXTURE)


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    """The fixture site, built for the address it is served at (so that Material's instant
    navigation, which follows only links listed under the site's URL, is active)."""
    site = tmp_path_factory.mktemp("browser-site")
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build_site(REPO / "mkdocs.yml", site, FIXTURE, site_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/test installs the chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((base_url, "data:", "blob:"))
            else None
        ),
    )
    page.errors = errors
    page.outside_requests = outside
    yield page
    context.close()
