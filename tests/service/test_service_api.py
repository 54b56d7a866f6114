"""Every route of the HTTP service through the ASGI test client: statuses, bodies, problem details.

Golden figures are the Hubei system's (seed 000, as the README's Quick start states them):
the coke row 35264 t × 28.435 GJ/t × 0.108167 tCO2/GJ × 1 = 108462.4949 tCO2, and the
emission-category summary 120477 / 25695.6 / 0 / 162.6242, total 146335.2242 tCO2e.
"""

import asyncio
import json

import pytest

PROBLEM = "application/problem+json"


def problem(response, status, kind):
    """The problem document of ``response``, checked against RFC 9457's members and our kinds."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"] == PROBLEM
    doc = response.json()
    assert doc["type"] == f"urn:mrv-engine:problem:{kind}"
    assert doc["status"] == status and doc["title"] and doc["detail"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return doc


def coke_row(**changes):
    row = {"source_name": "001", "kind": "stationary", "fuel": "coke", "method": "emission_factor",
           "consumption": "35264", "ncv": {"value": "28435", "unit": "kJ/kg"},
           "ef": {"value": "108167", "unit": "kgCO2/TJ"}, "of": "1"}
    row.update(changes)
    return {"sector": "general", "year": 2014, "pages": {"fuel_combustion": [row]}}


# -- reading ---------------------------------------------------------------------------------

def test_health(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_sectors_lists_every_builtin_sector(client):
    ids = {s["id"] for s in client.get("/sectors").json()}
    assert {"general", "power", "cement", "glass", "steel", "aluminium", "paper", "refining"} <= ids


def test_rulesets_by_sector_and_year(client):
    r = client.get("/rulesets", params={"sector": "power", "year": 2022})
    assert r.status_code == 200
    # 2022 is split (环办气候函〔2022〕111号): both editions govern months of it, each with its months.
    assert [(rs["id"], rs["years"]) for rs in r.json()] == [
        ("power-2021-guideline-229", {"from": 2021, "to": 2022, "to_month": 3}),
        ("power-2022-revision", {"from": 2022, "to": 2022, "from_month": 4})]
    problem(client.get("/rulesets", params={"sector": "nope"}), 404, "not-found")


def test_form_in_each_language(client):
    zh = client.get("/forms/general", params={"year": 2022}).json()
    en = client.get("/forms/general", params={"year": 2022, "lang": "en"}).json()
    assert zh["properties"]["sector"]["const"] == "general" and zh["properties"]["year"]["const"] == 2022
    fuel_zh = zh["properties"]["pages"]["properties"]["fuel_combustion"]
    fuel_en = en["properties"]["pages"]["properties"]["fuel_combustion"]
    assert fuel_zh["title"] == "化石燃料燃烧排放" and fuel_en["title"] == "Fossil-fuel combustion"


def test_form_of_an_unknown_sector_or_year_is_404(client):
    assert "unknown sector 'nope'" in problem(client.get("/forms/nope", params={"year": 2022}), 404, "not-found")["detail"]
    assert "1990" in problem(client.get("/forms/power", params={"year": 1990}), 404, "not-found")["detail"]


def test_bad_query_parameters_are_400_naming_the_parameter(client):
    doc = problem(client.get("/forms/power", params={"year": "twenty"}), 400, "malformed-request")
    assert doc["findings"][0]["place"] == "query parameter year"
    problem(client.get("/forms/power", params={"year": 2022, "lang": "fr"}), 400, "malformed-request")
    problem(client.get("/forms/power"), 400, "malformed-request")


def test_unknown_route_and_method_are_problems(client):
    problem(client.get("/nowhere"), 404, "not-found")
    problem(client.get("/calculate"), 405, "method-not-allowed")


# -- submissions ------------------------------------------------------------------------------

def test_calculate_the_hubei_summary(client, body):
    r = client.post("/calculate", content=body("hubei-summary.json"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    totals = r.json()["totals"]
    by = {k: v["co2e"] for k, v in totals["by_category"].items()}
    # seed 000's summary: indirect 120477, stationary 25695.6, mobile 0, process 162.6242 (at the report's 4 decimals)
    assert by == {"energy_indirect": "120477.0000", "energy_direct_stationary": "25695.6000",
                  "energy_direct_mobile": "0.0000", "process": "162.6242"}
    assert totals["total_co2e"] == "146335.2242"


def test_calculate_reads_json_numbers_exactly(client):
    """2.67485 has no binary float: the nearest double is 2.67484999999999994...; read as a float, the
    emissions 1 t × 1 GJ/t × ef × 1 would round half up to 2.6748, read from its text they are 2.6749."""
    sub = coke_row(consumption=1, ncv=1, ef=None, of=1)
    text = json.dumps(sub).replace('"ef": null', '"ef": 2.67485')
    r = client.post("/calculate", content=text)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["totals"]["total_co2e"] == "2.6749"
    assert doc["pages"][0]["rows"][0]["ef"] == "2.67485"


def test_calculate_numbers_in_json_give_the_seed_figure(client):
    text = json.dumps(coke_row(consumption=35264, ncv={"value": 28435, "unit": "kJ/kg"},
                               ef={"value": 108167, "unit": "kgCO2/TJ"}, of=1))
    assert client.post("/calculate", content=text).json()["totals"]["total_co2e"] == "108462.4949"


def test_refused_data_is_422_with_every_finding_at_its_json_path(client):
    sub = coke_row(consumption="-5", of="1.5")
    doc = problem(client.post("/calculate", json=sub), 422, "refused")
    places = {(f["code"], f["place"]) for f in doc["findings"]}
    assert ("below_minimum", "$.pages.fuel_combustion[0].consumption") in places
    assert ("above_maximum", "$.pages.fuel_combustion[0].of") in places
    assert all(f["message_zh"] for f in doc["findings"] if f["code"] in ("below_minimum", "above_maximum"))


def test_an_unknown_sector_or_year_in_the_body_is_404(client):
    doc = problem(client.post("/calculate", json={"sector": "nope", "year": 2022, "pages": {}}), 404, "not-found")
    assert doc["findings"][0]["place"] == "$.sector"
    doc = problem(client.post("/calculate", json={"sector": "power", "year": 2010, "pages": {}}), 404, "not-found")
    assert doc["findings"][0]["place"] == "$.year"


@pytest.mark.parametrize("text, where", [
    ('{"sector": "general", "year": 2022,, }', "body:1:36"),
    ('{"sector": NaN}', "body:1:12"),
    ("", None),
])
def test_malformed_json_is_400_with_its_place(client, text, where):
    doc = problem(client.post("/calculate", content=text), 400, "malformed-request")
    if where:
        assert doc["findings"][0]["place"] == where


def test_not_utf8_and_too_deep_are_400(client):
    problem(client.post("/validate", content=b"\xff\xfe{}"), 400, "malformed-request")
    problem(client.post("/validate", content="[" * 50000 + "]" * 50000), 400, "malformed-request")


def test_a_6_mb_body_is_413_declared_or_streamed(client):
    big = b'{"sector": "general", "year": 2022, "pages": {}, "enterprise": {"name": "' + b"x" * (6 * 1024 * 1024) + b'"}}'
    problem(client.post("/calculate", content=big), 413, "body-too-large")

    def chunks():  # no Content-Length: the limit holds while the body streams in
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]

    problem(client.post("/calculate", content=chunks()), 413, "body-too-large")


def test_the_body_limit_is_configurable(engine):
    from fastapi.testclient import TestClient
    from mrv_engine.service import create_app

    small = TestClient(create_app(engine, max_body=100), raise_server_exceptions=False)
    problem(small.post("/validate", json=coke_row()), 413, "body-too-large")


def test_nothing_in_a_request_names_a_file(client):
    doc = problem(client.post("/calculate", json={**coke_row(), "ruleset": "/etc/passwd"}), 404, "not-found")
    assert "unknown ruleset id '/etc/passwd'" in doc["detail"]
    problem(client.post("/diff", params={"from": "../../etc/passwd", "to": "2022"}, json=coke_row()), 404, "not-found")
    problem(client.get("/forms/..%2F..%2Fetc%2Fpasswd", params={"year": 2022}), 404, "not-found")
    problem(client.get("/static/../service/app.py"), 404, "not-found")


def test_validate_answers_200_with_findings(client):
    ok = client.post("/validate", json=coke_row()).json()
    assert ok == {"valid": True, "findings": []}
    bad = client.post("/validate", json=coke_row(month="13")).json()
    assert bad["valid"] is False
    assert {f["place"] for f in bad["findings"]} == {"$.pages.fuel_combustion[0].month"}


def test_explain_one_figure(client, body):
    r = client.post("/explain", params={"figure": "$.pages.fuel_combustion[0].emissions", "lang": "en"},
                    content=body("hubei-coke.json"))
    assert r.status_code == 200
    [fig] = r.json()["figures"]
    assert fig["value"] == "108462.4949" and fig["unit"] == "tCO2"
    assert fig["rounding"] == {"method": "half_up", "decimals": 4, "unrounded": "108462.494937280"}
    ncv = next(o for o in fig["operands"] if o["name"] == "ncv")
    assert ncv["value"] == "28.435" and ncv["original"] == {"value": "28435", "unit": "kJ/kg"}
    assert "35264 t × 28.435 GJ/t × 0.108167 tCO2/GJ × 1 = 108462.4949 tCO2" in fig["text"]
    problem(client.post("/explain", params={"figure": "$.pages.nowhere[0].x"}, content=body("hubei-coke.json")), 404, "not-found")


def test_explain_every_figure(client, body):
    figs = client.post("/explain", content=body("power-plant-2022.json")).json()["figures"]
    assert len(figs) > 100 and all(f["place"].startswith("$.pages.") for f in figs)


def test_verify_as_json_and_html(client, body):
    r = client.post("/verify", content=body("verify-defects.json"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json()["findings"]
    html = client.post("/verify", params={"format": "html", "lang": "en"}, content=body("verify-defects.json"))
    assert html.headers["content-type"].startswith("text/html") and html.text.lstrip().lower().startswith("<!doctype html")


def test_diff_of_two_years(client, body):
    r = client.post("/diff", params={"from": "2022", "to": "2023"}, content=body("power-plant-2023.json"))
    assert r.status_code == 200, r.text[:300]
    assert r.json()


def test_openapi_lists_every_route(client):
    doc = client.get("/openapi.json").json()
    assert {"/health", "/sectors", "/rulesets", "/forms/{sector}", "/validate", "/calculate", "/explain", "/verify", "/diff"} \
        <= set(doc["paths"])
    assert doc["paths"]["/calculate"]["post"]["requestBody"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/Submission"}
    assert "Submission" in doc["components"]["schemas"] and "Problem" in doc["components"]["schemas"]


def test_concurrent_requests_give_identical_results(service_app, body):
    import httpx

    power = body("power-plant-2022.json")
    coke = body("hubei-coke.json")

    async def run():
        transport = httpx.ASGITransport(app=service_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mrv") as c:
            return await asyncio.gather(*[c.post("/calculate", content=power if i % 2 else coke) for i in range(24)])

    responses = asyncio.run(run())
    assert all(r.status_code == 200 for r in responses)
    assert len({r.content for r in responses[0::2]}) == 1 and len({r.content for r in responses[1::2]}) == 1
    assert json.loads(responses[0].content)["totals"]["total_co2e"] == "108462.4949"


def test_concurrent_first_requests_on_a_cold_engine(examples_dir):
    """In a fresh process, eight first requests arrive together and each builds what is built on first
    use (the unit registry, compositions): all must still agree (once, two unit registries were built
    and pint refused to mix their units: a 500)."""
    import subprocess
    import sys

    code = f"""
import asyncio, httpx, json
from mrv_engine.service import create_app
app = create_app()
bodies = [open({str(examples_dir / 'power-plant-2022.json')!r}, 'rb').read(), open({str(examples_dir / 'hubei-coke.json')!r}, 'rb').read()]
async def main():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mrv") as c:
        rs = await asyncio.gather(*[c.post("/calculate", content=bodies[i % 2]) for i in range(8)])
    print(json.dumps([r.status_code for r in rs]), len({{r.content for r in rs[0::2]}}), len({{r.content for r in rs[1::2]}}))
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip() == f"{json.dumps([200] * 8)} 1 1", out.stdout + out.stderr[-2000:]
