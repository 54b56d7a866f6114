"""The architecture as a machine checks it (docs/architecture.md).

The layer contract, the CLI's and the plugins' forbidden imports and the absence of import
cycles are import-linter contracts in pyproject.toml; this module runs ``lint-imports`` on
them and checks what import-linter cannot: where modules may sit, which function-local
imports are allowed, that plugins use only the public plugin API, and that the code base
has exactly one finding type. ``import mrv_engine`` and ``mrv --help`` stay light.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [p for p in ROOT.glob("*.py")] + list((ROOT / "core").rglob("*.py")) + list((ROOT / "cli").rglob("*.py")) \
    + list((ROOT / "plugins").rglob("*.py")) + list((ROOT / "service").rglob("*.py")) + list((ROOT / "batch").rglob("*.py"))

#: The only function-local imports of the project's own modules, each kept for start-up time.
LAZY_IMPORTS = {
    "__init__.py": "`import mrv_engine` stays light: the public names load on first use",
    "cli/shared.py": "`mrv --help` loads no engine: commands import the public API when they run",
    "cli/maintainer.py": "as cli/shared.py",
    "cli/batch.py": "as cli/shared.py: mrv_engine.batch and rich load when mrv batch / mrv screen run",
    "batch/__init__.py": "`import mrv_engine.batch` stays light, as `import mrv_engine`",
    "core/maintain/pytest_plugin.py": "imported by every pytest run where mrv-engine is installed",
    "core/api.py": "`mrv calc` loads no verifier, differ, compliance, workbook or trace code: each method imports its own",
}


def imports(path: Path, local_only: bool = False) -> set[str]:
    """Modules ``path`` imports (relative ones resolved against its package); with ``local_only``,
    only those inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["mrv_engine"] + list(path.relative_to(ROOT).parent.parts)
    nodes = ast.walk(tree)
    if local_only:
        nodes = (n for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(fn))
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            out.add(module)
    return out


def test_lint_imports_keeps_every_contract():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install '.[test]')"
    run = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_core_modules_sit_in_a_subpackage():
    loose = sorted(p.name for p in (ROOT / "core").glob("*.py") if p.name not in ("__init__.py", "api.py"))
    assert loose == [], f"core/ holds only subpackages, its __init__ and the Engine facade (api.py): {loose}"
    for package in (p for p in (ROOT / "core").iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        if any(package.glob("*.py")):
            doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
            assert doc and "import" in doc, f"core/{package.name}/__init__.py says what it is and what it may import"


def test_function_local_imports_of_our_own_modules_are_the_listed_ones():
    found = {}
    for path in PRODUCT:
        own = {m for m in imports(path, local_only=True) if m.startswith("mrv_engine")}
        if own:
            found[str(path.relative_to(ROOT))] = own
    assert set(found) <= set(LAZY_IMPORTS), {k: v for k, v in found.items() if k not in LAZY_IMPORTS}


def test_sector_plugins_import_only_the_public_plugin_api():
    for path in (ROOT / "plugins").rglob("*.py"):
        for name in imports(path):
            if name.startswith("mrv_engine") and not name.startswith("mrv_engine.plugins"):
                assert name == "mrv_engine.plugin", f"{path.relative_to(ROOT)} imports {name}"


def test_the_scaffold_plugin_imports_only_the_public_plugin_api():
    template = (ROOT / "core" / "maintain" / "templates" / "sector" / "plugin.py.tmpl").read_text(encoding="utf-8")
    mentioned = {line.split()[1] for line in template.splitlines() if line.startswith(("from mrv_engine", "import mrv_engine"))}
    assert mentioned == {"mrv_engine.plugin"}


def test_the_cli_uses_only_the_public_api():
    for path in (ROOT / "cli").glob("*.py"):
        for name in imports(path):
            if name.startswith("mrv_engine"):
                assert name in ("mrv_engine", "mrv_engine.maintain", "mrv_engine.batch") or name.startswith("mrv_engine.cli"), \
                    f"{path.name} imports {name}"


def test_the_service_uses_only_the_public_api():
    for path in (ROOT / "service").glob("*.py"):
        for name in imports(path):
            if name.startswith("mrv_engine"):
                assert name == "mrv_engine" or name.startswith("mrv_engine.service"), f"service/{path.name} imports {name}"


def test_exactly_one_finding_class():
    classes = []
    for path in PRODUCT:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and "finding" in node.name.lower():
                classes.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert classes == ["core/base/findings.py:Finding"]


def test_import_is_light():
    code = "import sys, mrv_engine; print(sorted(m for m in ('pint', 'jsonschema', 'pydantic', 'ruamel', 'click', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["calc", "--help"], ["lint", "--help"], ["serve", "--help"], ["template", "--help"], ["batch", "--help"], ["screen", "--help"]])
def test_help_does_not_load_heavy_libraries(args):
    code = ("import sys; from click.testing import CliRunner; from mrv_engine.cli.main import cli; "
            f"CliRunner().invoke(cli, {args!r}); "
            "print(sorted(m for m in ('pint', 'jsonschema', 'pydantic', 'ruamel', 'pluggy', 'fastapi', 'starlette', 'uvicorn', 'openpyxl', 'rich', 'sqlite3')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


#: What a one-document calculation must never load (issue 17: `mrv calc` in under 300 ms):
#: the verifier, the differs, allocation and compliance, workbooks, the trace, the HTTP
#: service, the batch store and the libraries only they need.
NOT_FOR_CALC = ("openpyxl", "fastapi", "starlette", "uvicorn", "rich", "sqlite3", "mrv_engine.core.verify",
                "mrv_engine.core.diff", "mrv_engine.core.compliance", "mrv_engine.core.workbook.report",
                "mrv_engine.core.workbook.template", "mrv_engine.core.output.trace", "mrv_engine.batch",
                "mrv_engine.service")


def test_calc_loads_only_what_a_calculation_needs(repo_root):
    example = repo_root / "examples" / "power-plant-2022.json"
    code = ("import sys; from click.testing import CliRunner; from mrv_engine.cli.main import cli; "
            f"r = CliRunner().invoke(cli, ['calc', {str(example)!r}]); assert r.exit_code == 0, r.output; "
            f"print(sorted(m for m in {NOT_FOR_CALC!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
