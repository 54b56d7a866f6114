"""The README's count of confirmed figures is recounted from the installed rulesets.

Whoever confirms a figure (or adds an edition) updates the README line in the same change;
this test fails until they do, so the README never claims more (or less) than the rulesets.
"""

from __future__ import annotations

import re
from pathlib import Path

from mrv_engine import Engine

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_states_the_confirmed_figure_count():
    rulesets = Engine().rulesets()
    total = sum(len(rs.figures()) for rs in rulesets)
    unconfirmed = sum(len(rs.unverified()) for rs in rulesets)
    m = re.search(r"Confirmed today: \*\*(\d+) of (\d+) default figures\*\*", README.read_text(encoding="utf-8"))
    assert m, "README.md lost its 'Confirmed today: **N of M default figures**' line"
    assert (int(m.group(1)), int(m.group(2))) == (total - unconfirmed, total), (
        f"README says {m.group(1)} of {m.group(2)}; the rulesets have {total - unconfirmed} of {total} confirmed: update README.md")


def test_mrv_rulesets_shows_the_same_counts():
    import json

    from click.testing import CliRunner
    from mrv_engine.cli.main import cli

    rs = Engine().ruleset("cement-2024")
    out = CliRunner().invoke(cli, ["rulesets", "--sector", "cement", "--lang", "en"], catch_exceptions=False)
    assert f"unverified figures: {len(rs.unverified())} of {len(rs.figures())}" in out.output
    data = json.loads(CliRunner().invoke(cli, ["rulesets", "--sector", "cement", "--format", "json"]).output)
    summary = next(r for r in data if r["id"] == "cement-2024")
    assert summary["figures"] == len(rs.figures()) and len(summary["unverified"]) == len(rs.unverified())
