"""The layering the design promises: core imports no sector and no CLI; the CLI only the public API;
``import mrv_engine`` and ``mrv --help`` stay light (heavy libraries load on first use)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


def test_core_imports_no_sector_and_no_cli():
    for path in (ROOT / "core").glob("*.py"):
        for name in imports(path):
            assert "plugins" not in name and "cli" not in name.split("."), f"{path.name} imports {name}"


def test_cli_uses_only_the_public_api():
    for path in (ROOT / "cli").glob("*.py"):
        for name in imports(path):
            if name.startswith("mrv_engine"):
                assert name.startswith(("mrv_engine.cli",)) or name.count(".") <= 1, f"{path.name} imports {name}"
                assert not name.startswith("mrv_engine.core"), f"{path.name} imports {name}"


def test_import_is_light():
    code = "import sys, mrv_engine; print(sorted(m for m in ('pint', 'jsonschema', 'pydantic', 'ruamel', 'click') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_does_not_load_heavy_libraries():
    code = ("import sys; from click.testing import CliRunner; from mrv_engine.cli.main import cli; "
            "CliRunner().invoke(cli, ['--help']); "
            "print(sorted(m for m in ('pint', 'jsonschema', 'pydantic', 'ruamel', 'pluggy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
