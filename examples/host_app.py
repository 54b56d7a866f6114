"""How a host application uses mrv-engine, with nothing but its public API.

Run: python examples/host_app.py
"""

import json
from pathlib import Path

from mrv_engine import Engine, InputError

HERE = Path(__file__).parent

engine = Engine()  # loads every installed sector plugin; a broken one is listed, not fatal

# 1. What can be reported, and under which rules?
for sector in engine.sectors():
    print(sector["id"], sector["status"], sector["rulesets"])
for rs in engine.rulesets(sector="general"):
    print(rs.id, rs.years_text, rs.title["en"])

# 2. The form to render for a sector and reporting year (JSON Schema 2020-12)
form = engine.form("general", year=2022)
print("pages:", form["x-page-order"])

# 3. Validate a submission: every finding with its JSON path
broken = {"sector": "general", "year": 2022, "pages": {"fuel_combustion": [
    {"source_name": "boiler", "kind": "stationary", "fuel": "wood", "consumption": "-3"}]}}
for finding in engine.validate(broken):
    print("finding:", finding.place, finding.code, finding.message)

# 4. Calculate, and show where each figure comes from
submission = json.loads((HERE / "hubei-summary.json").read_text(encoding="utf-8"))
try:
    result = engine.calculate(submission)
except InputError as exc:
    raise SystemExit(f"invalid submission: {exc}")
report = engine.report(result)  # JSON-ready dict, see schemas/report.schema.json
print("total:", report["totals"]["total_co2e"], report["totals"]["unit"])
print(engine.explain(result, lang="en").splitlines()[1])
