"""``mrv serve`` as a user starts it: a real process on a local port, two uvicorn workers.

The other service tests reach the app through the ASGI test client; this one checks the command
itself (its options, the app factory each worker process builds, the body limit passed to the
workers) and stops the process it started.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, data=None, timeout=30):
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.headers.get("content-type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read()


def test_the_default_address_is_localhost_8000():
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    text = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "127.0.0.1" in text and "8000" in text and "--workers" in text and "--max-body-mb" in text


def test_mrv_serve_answers_on_its_port_with_two_workers(examples_dir):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mrv_engine.cli.main", "serve", "--port", str(port), "--workers", "2",
                             "--max-body-mb", "0.01"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # two workers each load the engine; a shared machine is slow
        while True:
            if proc.poll() is not None:
                pytest.fail(f"mrv serve exited {proc.returncode}: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            try:
                if _get(f"{base}/health", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("mrv serve did not answer /health within 120 s")
            time.sleep(0.5)
        status, kind, page = _get(f"{base}/")
        assert status == 200 and kind.startswith("text/html") and b"app.js" in page
        coke = (examples_dir / "hubei-coke.json").read_bytes()
        status, _, body = _get(f"{base}/calculate", data=coke, timeout=120)
        assert status == 200, body[:500]
        # Seed 000's coke row: 35264 t x 28.435 GJ/t x 0.108167 tCO2/GJ x 1 = 108462.494937... -> 108462.4949
        assert json.loads(body)["pages"][0]["rows"][0]["emissions"] == "108462.4949"
        big = b'{"sector": "general", "year": 2022, "pages": {}, "enterprise": {"name": "' + b"x" * 20000 + b'"}}'
        status, kind, body = _get(f"{base}/validate", data=big)  # over --max-body-mb 0.01, in every worker
        assert status == 413 and kind.startswith("application/problem+json"), body[:300]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        proc.stderr.close()
