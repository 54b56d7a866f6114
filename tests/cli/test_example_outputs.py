"""The bundled examples' outputs, byte for byte: a guard for changes that must not change behaviour.

These files are *not* golden figures (those come from the methodology, the seeds or cited
worked examples and are tested elsewhere): they are snapshots of what ``mrv calc --format json``,
``mrv explain`` (zh and en) and ``mrv verify --format json`` print for every file in
``examples/``, taken before the v0.2 architecture reshape, so that a refactor that claims to
change nothing is held to it. A deliberate change of output regenerates them, in its own
commit that says why: ``python tests/cli/test_example_outputs.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = Path(__file__).with_name("example_outputs")
COMMANDS = {
    "calc.json": ["calc", "--format", "json"],
    "explain.zh.txt": ["explain"],
    "explain.en.txt": ["explain", "--lang", "en"],
    "verify.json": ["verify", "--format", "json"],
}
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.json"))
CASES = [(ex, out) for ex in EXAMPLES for out in COMMANDS]


def run(example: str, output: str) -> str:
    from mrv_engine.cli.main import cli

    result = CliRunner().invoke(cli, COMMANDS[output] + [f"examples/{example}"], catch_exceptions=False)
    return f"exit {result.exit_code}\n{result.stdout}"


@pytest.mark.parametrize("example,output", CASES, ids=[f"{e}:{o}" for e, o in CASES])
def test_output_unchanged(example, output, monkeypatch):
    monkeypatch.chdir(ROOT)
    expected = (OUTPUTS / Path(example).stem / output).read_text(encoding="utf-8")
    assert run(example, output) == expected


if __name__ == "__main__":  # regenerate after a deliberate change of output
    import os

    os.chdir(ROOT)
    for example, output in CASES:
        target = OUTPUTS / Path(example).stem / output
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(run(example, output), encoding="utf-8")
    sys.exit(0)
