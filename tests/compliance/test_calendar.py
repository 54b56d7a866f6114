"""The compliance calendar: Chongqing's deadlines as 渝环规〔2023〕2号 states them (seed document),
the national ones, the plans' surrender deadlines, the iCalendar export, and late monthly evidence."""

from __future__ import annotations

import pytest
from mrv_engine import InputError


def by_id(cal, eid, month=None):
    return [e for e in cal.events if e.id == eid and (month is None or e.month == month)]


def test_chongqing_power_deadlines_from_the_notice(engine):
    cal = engine.calendar(2024, province="重庆", sector="power")
    dates = {e.id: e.date.isoformat() for e in cal.events if e.month is None}
    assert dates["plan_power"] == "2023-10-15"         # plan for 2024 by 15 Oct of the year before
    assert dates["names_power"] == "2023-12-31"
    assert dates["report_power"] == "2025-02-01"       # report by 1 Feb of the next year
    assert dates["verification_power"] == "2025-04-30"
    assert dates["surrender_power"] == "2025-12-31"    # from the 2023-2024 plan
    (feb,) = by_id(cal, "monthly_power", 2)
    assert feb.date.isoformat() == "2024-03-20"        # 20 natural days after 29 Feb 2024
    assert feb.verified and "渝环规〔2023〕2号" in feb.citation
    assert not by_id(cal, "report_non_power")


def test_chongqing_2021_2022_surrender_dates(engine):
    cal = engine.calendar(2022, province="cq")
    assert [e.date.isoformat() for e in cal.events if e.id.startswith("surrender_") and e.id != "surrender_power"] == \
        ["2023-10-15", "2023-12-15"]


def test_other_sectors_in_chongqing(engine):
    cal = engine.calendar(2023, province="重庆市", sector="cement")
    # Chongqing's own dates beside the national ones (the 2023 key-sector notice), each with its programme
    assert {e.id for e in cal.events} == {"report_non_power", "verification_non_power", "report_key_sectors", "verification_cement_al_steel"}
    assert {e.programme["en"] for e in cal.events if e.id.endswith("non_power")} == {"National ETS (Chongqing)"}
    assert by_id(cal, "report_non_power")[0].date.isoformat() == "2024-09-15"


def test_unknown_province_is_refused(engine):
    with pytest.raises(InputError) as exc:
        engine.calendar(2023, province="北京")
    assert exc.value.findings[0].code == "calendar.no_data"


def test_ics_export(engine, tmp_path, repo_root):
    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    out = tmp_path / "c.ics"
    r = CliRunner().invoke(cli, ["calendar", "2024", "--province", "重庆", "--format", "ics", "-o", str(out)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == len(engine.calendar(2024, province="重庆").events)
    assert "DTSTART;VALUE=DATE:20250201" in text
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # RFC 5545 line folding


def test_late_monthly_evidence(engine, example):
    sub = example("power-plant-2023.json")  # enterprise in 重庆: 20 days after the month's end
    sub["evidence"] = {"deposits": [{"month": 1, "submitted": "2023-02-20"}, {"month": 2, "submitted": "2023-03-25"}]}
    late = [f for f in engine.verify(sub).findings if f.code == "evidence.late_monthly"]
    assert len(late) == 1
    (f,) = late
    assert f.place == "$.evidence.deposits[1]" and f.severity == "observation"
    assert f.data["deadline"] == "2023-03-20" and f.data["days_late"] == 5
    assert "渝环规〔2023〕2号" in f.citation


def test_national_deadline_without_province(engine, example):
    sub = example("power-plant-2023.json")
    sub["enterprise"] = {"name": "x"}
    sub["evidence"] = {"deposits": [{"month": 2, "submitted": "2023-04-09"}, {"month": 2, "submitted": "2023-04-10"}]}
    late = [f for f in engine.verify(sub).findings if f.code == "evidence.late_monthly"]
    assert [f.place for f in late] == ["$.evidence.deposits[1]"]  # 40 days after 28 Feb is 9 Apr


def test_national_cement_aluminium_steel_deadlines(engine):
    # the 2023 key-sector notice (two reprints of its text, each date seen in one): report by 31 Mar,
    # verification of cement, aluminium and steel by 30 Sep; the 2024 surrender from the 2024-2025 plan
    for sector in ("cement", "aluminium", "steel"):
        cal = engine.calendar(2024, sector=sector)
        dates = {e.id: (e.date.isoformat(), e.verified) for e in cal.events}
        assert dates == {"report_key_sectors": ("2025-03-31", False), "verification_cement_al_steel": ("2025-09-30", False),
                         f"surrender_{sector}": ("2025-12-31", True)}
        kinds = [k for m in cal.missing for k in m["kinds"]]
        assert kinds == ["monthly_evidence", "allocation"]  # said, not invented
    other = {e.id: e.date.isoformat() for e in engine.calendar(2023, sector="paper").events}
    assert other == {"report_key_sectors": "2024-03-31", "verification_other_key_sectors": "2024-12-31"}
    assert {e.id for e in engine.calendar(2022, sector="glass").events} == {"report_key_sectors_2022"}
    assert not [e for e in engine.calendar(2024, sector="power").events if "key_sectors" in e.id]


def test_table_says_what_is_not_known(engine):
    text = engine.render(engine.calendar(2024, sector="cement"), "table", "en")
    assert "Not known: the monthly-evidence deadline of steel, cement and aluminium" in text


def test_no_data_says_what_is_missing_and_what_there_is(engine):
    with pytest.raises(InputError) as exc:
        engine.calendar(2026, sector="cement")
    (f,) = exc.value.findings
    assert f.code == "calendar.no_data"
    assert "data year 2026, sector cement" in f.message
    assert "known gap: the report and verification deadlines of 2025 data on were not found" in f.message
    assert "cement, aluminium, steel (2023–2024)" in f.message and "power 2019–2024" in f.message
    assert "全国碳市场（重庆市）" in f.message_zh and "2026年度" in f.message_zh


def test_power_2025_says_what_is_not_known(engine):
    cal = engine.calendar(2025, sector="power")
    assert {e.kind for e in cal.events} == {"names", "monthly_evidence"}  # 43号 covers reports up to 2024 data
    assert sorted(k for m in cal.missing for k in m["kinds"]) == ["report", "surrender", "verification"]
