"""Issue 19, item 2: a plugin or ruleset file failing in any way breaks its own sector, never another.

The acceptance test installs a real third-party distribution (a dist-info folder with entry points on
PYTHONPATH) whose plugins ship each hostile file of the issue, and runs ``mrv sectors`` and
``mrv lint`` in a fresh process: every built-in sector stays ok, each hostile one is broken with its
reason, nothing hangs and nothing prints a traceback.
"""

import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from importlib.metadata import entry_points

import pytest
from click.testing import CliRunner
from mrv_engine.cli.main import cli
from mrv_engine.core.base.errors import FormulaError
from mrv_engine.core.plugin import host as host_mod
from mrv_engine.core.plugin.host import Host

BUILT_IN = {"general", "power", "cement", "glass", "steel", "aluminium", "paper", "refining"}

SANDBOX_ESCAPES = {
    "esc_import": "__import__('os')",
    "esc_subclasses": "().__class__.__bases__[0].__subclasses__()",
}

#: sector id -> (file name, what to write or make) and the words its reason must hold
HOSTILE = {
    "bad_alias": "recursive alias",
    "bad_deep": "nested more than 64 levels",
    "bad_bigint": "5000 characters",
    "bad_gbk": "not UTF-8",
    "bad_utf16": "UTF-16",
    "bad_dir": "is a directory",
    "bad_link": "broken symbolic link",
    "bad_fifo": "FIFO",
    "bad_huge": "bytes",
    "bad_keys": "bytes",
    "bad_laughs": "nodes once its aliases are expanded",
    "esc_import": "not allowed",
    "esc_subclasses": "only plain function calls are allowed",
    "hook_raises": "mrv_process_pages",
}


def _make_hostile_files(root, ruleset_text):
    """One folder per hostile sector, each holding the one bad ruleset file of the issue."""
    def folder(sector):
        path = root / sector
        path.mkdir(parents=True)
        return path

    folder("bad_alias").joinpath("x.yaml").write_text("a: &x [1, *x]\n", encoding="utf-8")
    folder("bad_deep").joinpath("x.yaml").write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    folder("bad_bigint").joinpath("x.yaml").write_text(
        ruleset_text(id="bad-bigint", sector="bad_bigint").replace('value: "2"', "value: " + "9" * 5000), encoding="utf-8")
    folder("bad_gbk").joinpath("x.yaml").write_bytes(ruleset_text(id="bad-gbk", sector="bad_gbk").encode("gbk"))
    folder("bad_utf16").joinpath("x.yaml").write_bytes(ruleset_text(id="bad-utf16", sector="bad_utf16").encode("utf-16"))
    folder("bad_dir").joinpath("x.yaml").mkdir()
    folder("bad_link").joinpath("x.yaml").symlink_to(root / "no-such-target.yaml")
    os.mkfifo(folder("bad_fifo") / "x.yaml")
    with open(folder("bad_huge") / "x.yaml", "wb") as handle:  # 50 MB: sparse, refused by its size alone
        handle.truncate(50 * 2**20)
    folder("bad_keys").joinpath("x.yaml").write_text("".join(f"k{i}: {i}\n" for i in range(300_000)), encoding="utf-8")
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
    folder("bad_laughs").joinpath("x.yaml").write_text(laughs, encoding="utf-8")
    for sector, expr in SANDBOX_ESCAPES.items():
        folder(sector).joinpath("x.yaml").write_text(
            ruleset_text(id=sector.replace("_", "-"), sector=sector, expr=f'"{expr}"'), encoding="utf-8")
    folder("hook_raises").joinpath("x.yaml").write_text(ruleset_text(id="hook-raises", sector="hook_raises"), encoding="utf-8")
    folder("check_raises").joinpath("x.yaml").write_text(ruleset_text(id="check-raises", sector="check_raises"), encoding="utf-8")
    folder("cement_again").joinpath("x.yaml").write_text(ruleset_text(id="cement-again", sector="cement"), encoding="utf-8")


PLUGIN_MODULE = '''
from pathlib import Path

from mrv_engine.plugin import DataSector, hookimpl

ROOT = Path({root!r})


def sector(sid, **kw):
    return DataSector(id=sid, name_zh="恶意", name_en="Hostile", rulesets=ROOT / sid, **kw)


class HookRaises(DataSector):
    @hookimpl
    def mrv_process_pages(self, sector, ruleset):
        raise RuntimeError("boom in a hook")


def failing_check(result):
    raise ZeroDivisionError("a check that divides by zero")


{assignments}
hook_raises = HookRaises(id="hook_raises", name_zh="恶意", name_en="Hostile", rulesets=ROOT / "hook_raises")
check_raises = sector("check_raises", checks={{"always": failing_check}})
# registers the id of a built-in sector; sorts before it by entry-point name, and must still lose
aaa_cement = DataSector(id="cement", name_zh="水泥", name_en="Shadow cement", rulesets=ROOT / "cement_again")
'''


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, ruleset_text):
    """A site folder holding the distribution ``hostile-sectors`` (code + dist-info with entry points)."""
    site = tmp_path_factory.mktemp("site")
    data = site / "hostile_data"
    _make_hostile_files(data, ruleset_text)
    package = site / "hostile_sectors"
    package.mkdir()
    simple = [s for s in HOSTILE if s != "hook_raises"]
    (package / "__init__.py").write_text(PLUGIN_MODULE.format(
        root=str(data), assignments="\n".join(f"{s} = sector({s!r})" for s in simple)), encoding="utf-8")
    (package / "import_fails.py").write_text("import numpyy_not_installed\n", encoding="utf-8")
    (package / "slow_import.py").write_text("import time\ntime.sleep(3600)\n", encoding="utf-8")
    dist = site / "hostile_sectors-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: hostile-sectors\nVersion: 1.0\n", encoding="utf-8")
    eps = [f"{s} = hostile_sectors:{s}" for s in [*simple, "hook_raises", "check_raises", "aaa_cement"]]
    eps += ["import_fails = hostile_sectors.import_fails:plugin", "slow_import = hostile_sectors.slow_import:plugin"]
    (dist / "entry_points.txt").write_text("[mrv_engine.sectors]\n" + "\n".join(eps) + "\n", encoding="utf-8")
    return site


def _mrv(site, *args, timeout=120, env_extra=None):
    env = dict(os.environ, PYTHONPATH=str(site), MRV_PLUGIN_LOAD_SECONDS="2", **(env_extra or {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "from mrv_engine.cli.main import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=timeout, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, cpu, time.perf_counter() - start


def test_mrv_sectors_with_every_hostile_file_keeps_every_built_in_sector(hostile_site):
    proc, cpu, wall = _mrv(hostile_site, "sectors", "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    by_id = {}
    for r in rows:
        by_id.setdefault(r["id"], r)
    for sid in BUILT_IN:  # every built-in sector still works, and kept its own plugin
        assert by_id[sid]["status"] == "ok", by_id[sid]
        assert by_id[sid]["plugin"] == sid
    for sid, words in HOSTILE.items():
        assert by_id[sid]["status"] == "broken", by_id[sid]
        assert words in by_id[sid]["reason"], (sid, by_id[sid]["reason"])
    assert by_id["check_raises"]["status"] == "ok"  # a raising check is reported when it runs
    shadow = by_id["aaa_cement"]
    assert shadow["status"] == "broken"
    assert "'cement'" in shadow["reason"] and "mrv-engine" in shadow["reason"] and "hostile-sectors" in shadow["reason"]
    assert "numpyy_not_installed" in by_id["import_fails"]["reason"]
    assert "did not finish within 2 s" in by_id["slow_import"]["reason"]
    # The bound: within 5 s (CPU time of the process: wall time on a shared machine
    # depends on its load; here the slow import's 2 s watchdog is wall time on top).
    assert cpu < 5, f"mrv sectors took {cpu:.1f} s of CPU ({wall:.1f} s wall)"


def test_mrv_lint_reports_each_hostile_sector_and_still_lints_the_others(hostile_site):
    sectors = [arg for s in [*HOSTILE, "cement", "glass"] for arg in ("--sector", s)]
    proc, _cpu, _wall = _mrv(hostile_site, "lint", "--format", "json", *sectors)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    text = "\n".join(f"{f['file']}:{f['line']} [{f['code']}] {f['message']}" for f in errors)
    for sid, words in HOSTILE.items():
        assert any(sid in f["file"] or sid in f["message"] for f in errors), (sid, text)
    for words in ("recursive alias", "not UTF-8", "UTF-16", "FIFO", "broken symbolic link", "not allowed", "mrv_process_pages"):
        assert words in text, (words, text)
    assert {"encoding", "not_a_file", "too_large", "number_range", "formula", "plugin"} <= {f["code"] for f in errors}
    built_in_errors = [f for f in errors if f["file"].startswith("rulesets")]
    assert built_in_errors == []


# -- in process, through the host's test hooks --------------------------------------------

def test_a_sector_id_already_taken_is_refused_naming_both(write_sector, tmp_path, engine_with):
    first = write_sector(tmp_path / "a", sector="lime")
    second = write_sector(tmp_path / "b", sector="lime")
    engine = engine_with(("lime", first), ("lime_too", second))
    status = {s["plugin"]: s for s in engine.sectors()}
    assert status["lime"]["status"] == "ok"
    assert status["lime_too"]["status"] == "broken"
    assert "'lime'" in status["lime_too"]["reason"]
    assert "plugin 'lime'" in status["lime_too"]["reason"] and "plugin 'lime_too'" in status["lime_too"]["reason"]


def test_built_in_sectors_are_registered_before_any_third_party_one(monkeypatch, write_sector, tmp_path):
    shadow = write_sector(tmp_path, sector="cement")

    class EP:  # sorts first by name, belongs to another distribution
        name, value = "aaa", "evil:plugin"
        dist = type("D", (), {"name": "evil-dist", "version": "6.6"})()

        def load(self):
            return shadow

    real = list(entry_points(group="mrv_engine.sectors"))
    monkeypatch.setattr(host_mod, "entry_points", lambda group: [EP(), *real])
    host = Host()
    assert host.sectors["cement"].plugin_name == "cement"
    assert host.plugins["aaa"].status == "broken"
    assert "evil-dist 6.6" in host.plugins["aaa"].reason and "mrv-engine" in host.plugins["aaa"].reason


def test_a_formula_the_sandbox_refuses_marks_its_sector_broken_at_load(write_sector, tmp_path, engine_with, ruleset_text):
    for i, expr in enumerate(SANDBOX_ESCAPES.values()):
        sector = f"esc{i}"
        plugin = write_sector(tmp_path, sector=sector,
                              files={"x.yaml": ruleset_text(id=f"esc-{i}", sector=sector, expr=f'"{expr}"')})
        engine = engine_with((sector, plugin))
        status = {s["id"]: s for s in engine.sectors()}
        assert status[sector]["status"] == "broken", status[sector]
        assert "allowed" in status[sector]["reason"] and "x.yaml:28" in status[sector]["reason"]
        assert status["general"]["status"] == "ok"
        with pytest.raises(FormulaError):  # asked for, it is refused with the formula's own error
            engine.composition(sector, 2022)


def test_a_slow_plugin_import_is_cut_off(monkeypatch):
    import threading

    release = threading.Event()

    class Slow:
        name, value, dist = "slow", "slow:plugin", None

        def load(self):
            release.wait(30)
            return object()

    monkeypatch.setattr(host_mod, "entry_points", lambda group: [Slow()])
    monkeypatch.setattr(host_mod, "LOAD_SECONDS", 0.2)
    start = time.perf_counter()
    host = Host()
    release.set()
    assert time.perf_counter() - start < 10
    assert host.plugins["slow"].status == "broken" and "did not finish within 0.2 s" in host.plugins["slow"].reason


def test_a_raising_check_is_a_finding_of_mrv_calc_naming_the_plugin(monkeypatch, tmp_path, write_sector):
    def failing(result):
        raise ZeroDivisionError("divided by zero on purpose")

    plugin = write_sector(tmp_path, sector="demo")
    plugin.checks = {"ratio": failing}

    class EP:
        name, value, dist = "demo", "demo:plugin", None

        def load(self):
            return plugin

    real = list(entry_points(group="mrv_engine.sectors"))
    monkeypatch.setattr(host_mod, "entry_points", lambda group: [*real, EP()])
    sub = tmp_path / "s.json"
    sub.write_text(json.dumps({"sector": "demo", "year": 2022, "pages": {"demo_base": [{"item": "a", "qty": "3"}]}}),
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["calc", str(sub), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    report = json.loads(result.stdout)
    failed = [f for f in report["findings"] if f["code"] == "plugin.check_failed"]
    assert failed and "'demo'" in failed[0]["message"] and "ratio" in failed[0]["message"]
    assert "divided by zero on purpose" in failed[0]["message"]
    # 3 t x 2 tCO2/t = 6 tCO2: the figures are unaffected by the failing check
    assert Decimal(report["totals"]["by_category"]["process"]["co2e"]) == 6


def test_load_seconds_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("MRV_PLUGIN_LOAD_SECONDS", "nonsense")
    assert host_mod.load_seconds() == host_mod.LOAD_SECONDS
    monkeypatch.setenv("MRV_PLUGIN_LOAD_SECONDS", "2.5")
    assert host_mod.load_seconds() == 2.5
