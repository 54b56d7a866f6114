"""mrv new-sector: the scaffold installs, is discovered, lints clean, passes its golden cases,
and computes a report through `mrv calc`, in a fresh virtual environment next to mrv-engine.

The scaffold's expected figure (100 t × 0.12 tC/t × 44/12 = 44 tCO2) is hand arithmetic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine import Engine
from mrv_engine.cli.main import cli
from mrv_engine.core.maintain.golden import find_golden_files, run_files
from mrv_engine.core.maintain.lint import lint
from mrv_engine.core.maintain.scaffold import ScaffoldError, new_sector

ENGINE = Engine()


def test_scaffold_layout(tmp_path):
    target = new_sector("lime", "石灰", "Lime", tmp_path / "lime", 2024)
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == [
        "README.md", "examples/submission.json", "pyproject.toml",
        "src/mrv_sector_lime/__init__.py",
        "src/mrv_sector_lime/rulesets/lime-2024.golden.yaml",
        "src/mrv_sector_lime/rulesets/lime-2024.yaml",
        "tests/test_plugin.py",
    ]
    pyproject = (target / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points."mrv_engine.sectors"]\nlime = "mrv_sector_lime:plugin"' in pyproject
    assert 'name = "mrv-sector-lime"' in pyproject


def test_fresh_scaffold_lints_clean_and_passes_its_golden_cases(tmp_path):
    target = new_sector("lime_kiln", "石灰窑", "Lime kiln", tmp_path / "x", 2021)
    result = lint([str(target)], engine=ENGINE)
    assert len(result.rulesets) == 1
    assert not result.errors, "\n".join(f.text() for f in result.errors)
    # the TODO citations are there for the maintainer to fill in, and lint says so
    assert {f.code for f in result.warnings} == {"placeholder"}
    outcomes = [o for _, o in run_files(find_golden_files([target]))]
    assert len(outcomes) == 2 and all(o.passed for o in outcomes), [o.report() for o in outcomes]


def test_the_plugin_distribution_is_checked(tmp_path):
    target = new_sector("lime", "石灰", "Lime", tmp_path / "x", 2021)
    assert not [f for f in lint([str(target)], engine=ENGINE).findings if f.code == "plugin"]
    pyproject = target / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert 'lime = "mrv_sector_lime:plugin"' in text and 'mrv_sector_lime = ["rulesets/*.yaml"]\n' in text
    pyproject.write_text(text.replace('lime = "mrv_sector_lime:plugin"', 'limes = "mrv_sector_lime:plugin"')
                         .replace('mrv_sector_lime = ["rulesets/*.yaml"]\n', ""), encoding="utf-8")
    found = [f for f in lint([str(target)], engine=ENGINE).findings if f.code == "plugin"]
    error = [f for f in found if f.severity == "error"]
    assert len(error) == 1 and "'limes'" in error[0].message
    assert error[0].line == text.splitlines().index('lime = "mrv_sector_lime:plugin"') + 1
    assert [f.severity for f in found if "package-data" in f.message] == ["warning"]


def test_cli_new_sector(tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["new-sector", "glass", "--name-zh", "平板玻璃", "--name-en", "Flat glass",
                              "-o", str(tmp_path / "g"), "--year", "2022"], catch_exceptions=False)
    assert out.exit_code == 0 and "created" in out.output
    assert (tmp_path / "g" / "src" / "mrv_sector_glass" / "rulesets" / "glass-2022.yaml").exists()
    out = runner.invoke(cli, ["new-sector", "glass", "--name-zh", "平板玻璃", "--name-en", "Flat glass", "-o", str(tmp_path / "g")])
    assert out.exit_code == 1 and "not empty" in out.output


@pytest.mark.parametrize("sector_id", ["Lime", "1lime", "lime-kiln", "general", ""])
def test_bad_sector_ids_are_refused(tmp_path, sector_id):
    with pytest.raises(ScaffoldError):
        new_sector(sector_id, "石灰", "Lime", tmp_path / "x", 2024)


ROOT = Path(__file__).resolve().parents[2]


def test_scaffold_installed_in_a_fresh_venv_computes_a_report(tmp_path):
    """End to end, as its README tells a maintainer: new-sector → a fresh venv with pip → pip
    installs the scaffold *with its dependencies*, mrv-engine coming from a local wheel (it is
    not on the package index) → mrv sectors / lint / test / calc → the plugin's own pytest.

    The scaffold's dependency on mrv-engine is resolved by pip for real (no --no-deps), which
    is what failed before: the generated plugin named a distribution no index had.
    """
    wheels = tmp_path / "wheels"
    target = new_sector("lime", "石灰", "Lime", tmp_path / "mrv-sector-lime", 2024)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, symlinks=os.name != "nt").create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(*args, cwd=None, check=True, python=py):
        proc = subprocess.run([str(python), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
        if check:
            assert proc.returncode == 0, f"{args}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        return proc

    run("-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, ROOT, python=sys.executable)
    # what the scaffold's README says for an mrv-engine that is not on the index
    run("-m", "pip", "install", "-q", "--find-links", wheels, f"{target}[test]")
    mrv = ("-c", "import sys; from mrv_engine.cli.main import main; sys.argv[0] = 'mrv'; main()")
    # installed next to mrv-engine, outside its tree: discovered through the entry point
    out = run(*mrv, "sectors", "--format", "json", cwd=tmp_path)
    sectors = {s["id"]: s for s in json.loads(out.stdout)}
    assert sectors["lime"]["status"] == "ok" and sectors["lime"]["rulesets"] == ["lime-2024"]
    assert sectors["general"]["status"] == "ok"
    assert "site-packages" in run("-c", "import mrv_sector_lime; print(mrv_sector_lime.__file__)").stdout
    run(*mrv, "lint", "--sector", "lime", cwd=tmp_path)
    run(*mrv, "lint", target, cwd=tmp_path)
    out = run(*mrv, "test", "--sector", "lime", "-v", cwd=tmp_path)
    assert out.stdout.count("ok ") == 2
    out = run(*mrv, "calc", target / "examples" / "submission.json", "--format", "json", cwd=tmp_path)
    report = json.loads(out.stdout)
    assert report["sector"] == "lime" and report["totals"]["total_co2e"] == "44.0000"
    assert report["totals"]["by_category"]["process"]["co2e"] == "44.0000"
    # the plugin's own suite, golden cases included, through mrv-engine's pytest plugin
    out = run("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=target)
    assert "4 passed" in out.stdout, out.stdout
