"""A real headless browser for the tests of web pages: the distribution's Chromium driven by Playwright.

``browser_page`` is a fresh page (1400x900) in the system's Chromium (``/usr/bin/chromium``, from
``apt-get install chromium``; Playwright's own browser download cannot reach the network here).
It skips, saying why, where no Chromium or no Playwright is installed; .ci/run installs both.
Any page can use it: the service's (``service_url``) or a file (``page.goto(path.as_uri())``).
"""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MRV_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API holds an event loop on the main thread while
    it runs, which later tests that start one of their own (asyncio.run) must not find."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium: install the distribution's (apt-get install chromium) or set MRV_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # a test asserts there were none
    yield page
    context.close()


@pytest.fixture(scope="session")
def service_url(service_app):
    """The service on a free local port, served by uvicorn in a thread for the session."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(service_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
