"""The mrv_checks contract (docs/writing-a-sector-plugin.md), enforced in one place for calc and verify alike.

A plugin's check that raises, or returns what the contract does not allow, becomes the
finding ``plugin.check_failed`` naming the plugin and the check: ``mrv calc`` and
``mrv verify`` both go on, never with a traceback.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from mrv_engine import Engine, InputError
from mrv_engine.cli.main import cli
from mrv_engine.core.plugin.host import Host
from mrv_engine.plugin import DataSector, Finding, bundled_rulesets, hookimpl

ROOT = Path(__file__).resolve().parents[2]
COKE = json.loads((ROOT / "examples" / "hubei-coke.json").read_text(encoding="utf-8"))


def engine_checking(**checks) -> Engine:
    """An engine whose ``general`` sector plugin registers ``checks`` (code -> check)."""
    plugin = DataSector(id="general", name_zh="通用", name_en="General", rulesets=bundled_rulesets("general"), checks=checks)
    return Engine(Host(entry_points=False, plugins=[("general", plugin)]))


def boom(result):
    raise ZeroDivisionError("the plugin's own bug")


def failed(findings) -> list[Finding]:
    return [f for f in findings if f.code == "plugin.check_failed"]


def test_a_check_that_raises_is_a_finding_in_calc_naming_plugin_and_check():
    result = engine_checking(ratio=boom).calculate(COKE)
    [f] = failed(result.findings)
    assert f.origin == "general" and "'ratio'" in f.message and "'general'" in f.message and "ZeroDivisionError" in f.message
    assert f.severity == "warning" and f.message_zh
    assert result.total == Decimal("108462.4949")  # the figures are still the guideline's (seed 000)


def test_the_same_check_is_an_observation_in_verify():
    report = engine_checking(ratio=boom).verify(COKE)
    [f] = failed(report.findings)
    assert f.origin == "general" and f.severity == "observation" and "'ratio'" in f.message


@pytest.mark.parametrize("returned, why", [
    ([{"code": "x", "severity": "info", "place": "$"}], "severity 'info'"),
    (["not a finding"], "not a finding"),
    ([{"code": "x", "colour": "red"}], "unknown key(s) colour"),
    (7, "TypeError"),
])
def test_what_breaks_the_contract_is_a_finding_not_an_exception(returned, why):
    result = engine_checking(bad=lambda r: returned).calculate(COKE)
    [f] = failed(result.findings)
    assert why in f.message


def test_other_checks_still_run_and_errors_still_refuse():
    def wrong(result):
        return [{"code": "coke_too_much", "place": "$.pages.fuel_combustion[0].consumption",
                 "message": "too much coke", "message_zh": "焦炭过多"}]  # severity defaults to error

    engine = engine_checking(a=boom, b=wrong)
    with pytest.raises(InputError) as exc:
        engine.calculate(COKE)
    assert [(f.code, f.severity, f.origin) for f in exc.value.findings] == [("coke_too_much", "error", "general")]
    codes = {f.code: f for f in engine.verify(COKE).findings}
    assert codes["general.coke_too_much"].severity == "error" and "plugin.check_failed" in codes


def test_a_hook_that_cannot_register_its_checks_is_a_finding():
    class Broken(DataSector):
        @hookimpl
        def mrv_checks(self, sector, register):
            raise RuntimeError("cannot register")

    plugin = Broken(id="general", name_zh="通用", name_en="General", rulesets=bundled_rulesets("general"))
    engine = Engine(Host(entry_points=False, plugins=[("general", plugin)]))
    [f] = failed(engine.calculate(COKE).findings)
    assert "mrv_checks" in f.message and "cannot register" in f.message


@pytest.mark.parametrize("command", [["calc", "--format", "json"], ["verify", "--format", "json"]])
def test_the_cli_reports_it_without_a_traceback(command, monkeypatch):
    monkeypatch.setattr("mrv_engine.cli.shared.new_engine", lambda: engine_checking(ratio=boom))
    run = CliRunner().invoke(cli, command + [str(ROOT / "examples" / "hubei-coke.json")])
    assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
    assert "Traceback" not in run.output and "plugin.check_failed" in run.stdout


def test_a_finding_object_is_attributed_to_the_plugin_that_returned_it():
    found = Finding("too_hot", "$.pages.fuel_combustion[0]", "too hot", "过热", "warning")
    [f] = engine_checking(hot=lambda r: [found]).calculate(COKE).findings
    assert (f.code, f.origin, f.severity) == ("too_hot", "general", "warning")
