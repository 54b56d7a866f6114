"""The service, served for the browser tests (``service_url``); the browser itself (``browser_page``)
is in tests/conftest.py, since other pages (the batch screening's HTML) are tested in it too."""

import socket
import threading
import time

import pytest


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
