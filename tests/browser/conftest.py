"""Browser fixtures: the sample site served on 127.0.0.1, and a headless Chromium page sized like a phone.

Reuse them from any test in tests/browser/:

    def test_something(site_url, page):
        page.goto(site_url + "san-pham/")

`site_url` ends with `/`. Chromium is the system one (/usr/bin/chromium); the tests are skipped
when it or Playwright is missing. Every test in this folder is marked `browser`.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MOBILE_VIEWPORT = {"width": 412, "height": 915}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".webp": "image/webp", ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve root from a background thread; yield its base URL (with a trailing `/`)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL (with a trailing `/`) of the built sample site, served from a background thread."""
    root = built_site / "site"
    assert (root / "index.html").is_file(), f"no built site in {root}"
    with serve(root) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page in its own context: 412×915 phone viewport, touch, Vietnamese locale.

    Uncaught JavaScript errors are collected in `page.js_errors` (a list of messages).
    """
    context = browser.new_context(viewport=MOBILE_VIEWPORT, is_mobile=True, has_touch=True, locale="vi-VN",
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    try:
        yield page
    finally:
        context.close()
