"""The service loads every lazily imported part of the engine when it starts.

Request handlers run in a thread pool; a part first imported there races the other threads
(CPython 3.11 has failed compiling two modules at once), so the app must not leave any to them."""

import subprocess
import sys


def test_create_app_loads_every_lazy_part():
    code = (
        "import sys\n"
        "from mrv_engine import Engine\n"
        "from mrv_engine.service import create_app\n"
        "create_app(Engine())\n"
        "missing = [p for p in Engine._LAZY_PARTS if 'mrv_engine.core.' + p not in sys.modules]\n"
        "print(missing)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_lazy_part_exists():
    import importlib

    from mrv_engine import Engine

    for part in Engine._LAZY_PARTS:
        importlib.import_module(f"mrv_engine.core.{part}")
