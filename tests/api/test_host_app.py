"""examples/host_app.py, the README's tour of the public API, runs as written."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_host_app_tour_runs():
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "host_app.py")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "finding: $." in run.stdout and "total:" in run.stdout
