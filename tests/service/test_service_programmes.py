"""The HTTP service takes the programme as the CLI does: a pilot's form and editions, and the
pilot report calculated under its editions (figures by hand in tests/api/test_pilot_programmes.py)."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "aluminium-2014-hubei-pilot.json"


def test_pilot_form_rulesets_and_calculation(client):
    r = client.get("/forms/aluminium", params={"year": 2014, "programme": "hubei_pilot", "lang": "en"})
    assert r.status_code == 200 and r.json()["properties"]["programme"]["const"] == "hubei_pilot"
    r = client.get("/rulesets", params={"programme": "hubei_pilot"})
    assert r.status_code == 200 and {x["id"] for x in r.json()} >= {"hubei-general-2014", "hubei-aluminium-2014"}
    assert all(x["programme"] == "hubei_pilot" for x in r.json())
    r = client.get("/forms/cement", params={"year": 2014, "programme": "hubei_pilot"})
    assert r.status_code >= 400 and "national rules are not used" in r.text
    r = client.post("/calculate", content=EXAMPLE.read_text(encoding="utf-8"), headers={"content-type": "application/json"})
    body = r.json()
    assert r.status_code == 200, r.text
    # 150304 (anode) + 52570 (electricity, factor given) + 3075.728645 (coke) = 205949.728645 -> 205949.7286
    assert body["totals"]["total_co2e"] == "205949.7286" and body["programme"]["id"] == "hubei_pilot"
    assert json.loads(EXAMPLE.read_text(encoding="utf-8"))["programme"] == "hubei_pilot"
