"""Fixtures of the HTTP service's tests: a client to the shared app (``service_app``, tests/conftest.py)."""

import warnings

import pytest


@pytest.fixture(scope="session")
def client(service_app):
    """A synchronous ASGI test client; a server error comes back as the 500 response a client sees."""
    with warnings.catch_warnings():
        # Starlette's test client warns that httpx is deprecated in favour of httpx2; it works.
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
        from fastapi.testclient import TestClient

    return TestClient(service_app, raise_server_exceptions=False)


@pytest.fixture
def body(examples_dir):
    """``body(name) -> bytes``: an example submission's file, as a host would send it."""
    return lambda name: (examples_dir / name).read_bytes()
