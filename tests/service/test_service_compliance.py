"""Allocation, compliance and the calendar over HTTP: the same figures as the public API gives."""

from __future__ import annotations

import json


def test_allocate_matches_the_api(client, body, engine, example):
    r = client.post("/allocate", content=body("power-plant-2022.json"), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:300]
    doc = r.json()
    assert doc["plan"]["id"] == "power-2021-2022"
    assert doc["total"]["allowance"] == str(engine.allocate(example("power-plant-2022.json")).total)


def test_allocate_without_a_benchmark_is_a_problem(client, body):
    r = client.post("/allocate", content=body("power-plant-2023.json"), headers={"content-type": "application/json"})
    assert r.status_code == 422 and "b_gen" in r.text and "Traceback" not in r.text


def test_comply_with_amounts(client, body):
    r = client.post("/comply?ccer=1000&banked=0", content=body("power-plant-2022.json"), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:300]
    figures = r.json()["figures"]
    assert figures["ccer_used"] == "1000" and int(figures["obligation"]) > 0
    r = client.post("/comply?ccer=1.5e3", content=body("power-plant-2022.json"), headers={"content-type": "application/json"})
    assert r.status_code in (400, 422)


def test_calendar_json_and_ics(client):
    r = client.get("/calendar?year=2024&province=重庆&sector=power")
    assert r.status_code == 200
    events = r.json()["events"]
    assert any(e["id"] == "report_power" and e["date"] == "2025-02-01" for e in events)
    r = client.get("/calendar?year=2024&format=ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert r.text.startswith("BEGIN:VCALENDAR")
    r = client.get("/calendar?year=2024&province=北京")
    assert r.status_code in (400, 404, 422) and json.loads(r.text)["detail"]
