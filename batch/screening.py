"""``mrv screen``: what looks wrong across the reports of a batch database, for a reviewer.

Sections, each a list of rows:

* **intensity outliers**: every emission intensity the rules compute (figures whose id names an
  intensity: ``intensity``, ``direct_intensity``, ``power_intensity``, ``per_t``...; tCO2 per MWh
  supplied, per t clinker, per t crude steel, per t aluminium...), grouped by sector, figure and
  unit, against the distribution of the batch: outside Tukey's far-out fences (Q1 − 3·IQR,
  Q3 + 3·IQR, but at least 25 % of the median beyond the quartiles) in a group of at least
  :data:`MIN_GROUP` values;
* **year-on-year jumps**: the same enterprise (credit code, else name) whose total emissions
  change by more than a factor :data:`JUMP_TOTAL`, or an intensity by more than :data:`JUMP_INTENSITY`,
  between consecutive reporting years;
* **defaults and unconfirmed figures**: reports that fill fields from default values, or whose
  calculation used a figure shipped ``verified: false``;
* **findings by code**: how many reports have each finding code, and how often;
* **against the allocation benchmarks**: where the rules carry them (the power plans' supply
  benchmarks by unit category and year), each unit's intensity beside its category's benchmark:
  per category and year how many units are above it, and the units more than :data:`BENCH_FACTOR`
  times it. The benchmarks are drawn on the intensity plots too.

The factors and fences are screening choices, not figures of any guideline: they pick reports for a
look, they do not judge them. Statistics use the binary copies of the exact figures (value_real),
good enough to rank; every figure shown is the exact one.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path

from mrv_engine import Engine, MrvError, code_text, severity_text


def _ratio(x) -> float:
    """A screening ratio to three decimals, half up on the exact decimal like every figure the
    project shows (the built-in rounding is half-to-even on the binary float); a ratio stays a
    number for CSV and plots."""
    return float(Decimal(str(x)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))

#: A figure is an intensity when its id matches (the rulesets' naming of per-product figures).
INTENSITY = re.compile(r"(^|_)intensity(_|$)|^per_t(_|$)")
#: Smallest group whose distribution is used to name outliers.
MIN_GROUP = 8
#: Tukey's far-out fences: Q1 - K * IQR, Q3 + K * IQR ...
FENCE_K = 3.0
#: ... but never closer to the quartiles than this share of the median, so that a batch of nearly
#: equal plants (an IQR near zero) does not name every small difference.
FENCE_FLOOR = 0.25
#: Year-on-year factors beyond which a change is shown (either way).
JUMP_TOTAL = 2.0
JUMP_INTENSITY = 1.5
#: A unit whose intensity is more than this factor of its category's benchmark is listed by name.
BENCH_FACTOR = 1.2


@dataclass
class Group:
    sector: str
    name: str
    unit: str
    label: dict
    points: list[dict]  # {document, path, enterprise, year, place, value (exact text), x (float)}
    stats: dict = field(default_factory=dict)
    outliers: list[dict] = field(default_factory=list)
    marks: list[dict] = field(default_factory=list)  # allocation benchmarks of this figure: {x, value, label}


@dataclass
class Screening:
    database: str
    documents: dict  # status -> count
    groups: list[Group]
    jumps: list[dict]
    defaults: list[dict]
    codes: list[dict]
    benchmarks: list[dict] = field(default_factory=list)  # per sector, figure, category and year
    above: list[dict] = field(default_factory=list)  # units above BENCH_FACTOR x their benchmark
    sectors: dict = field(default_factory=dict)  # sector id -> {zh, en}: its name where the engine knows the sector

    plans: dict = field(default_factory=dict)  # allocation plan id -> title {zh, en}

    def plan(self, pid, lang: str) -> str:
        """An allocation plan by its title (the document a reviewer looks up), else its id."""
        return (self.plans.get(pid) or {}).get(lang) or str(pid)

    def sector(self, sid, lang: str) -> str:
        """A sector by its name in ``lang`` (电解铝, Electrolytic aluminium), not its id; an unknown one by its id."""
        return (self.sectors.get(sid) or {}).get(lang) or str(sid)

    @property
    def outliers(self) -> list[dict]:
        return [dict(o, sector=g.sector, figure=g.name, unit=g.unit, label=g.label["en"], label_zh=g.label["zh"])
                for g in self.groups for o in g.outliers]


def _quartiles(xs: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[1], q[2]


def screen(database: str | Path) -> Screening:
    """Screen the batch database at ``database`` (read only)."""
    path = Path(database)
    if not path.is_file():
        raise MrvError("no such batch database", where=str(database))
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version < 1:
            raise MrvError("not a batch database (mrv batch writes one)", where=str(database))
        found = _screen(db, str(database))
    except sqlite3.DatabaseError as exc:
        raise MrvError(f"not a batch database (SQLite) or cannot be read: {exc}", where=str(database)) from None
    engine = Engine()
    found.sectors = {x["id"]: x["name"] for x in engine.sectors() if x.get("name")}
    found.plans = {p.id: p.title for p in engine.plans()}
    return found


def _screen(db, name: str) -> Screening:
    documents = {r["status"]: r["n"] for r in db.execute("SELECT status, count(*) AS n FROM documents GROUP BY status")}
    # a title missing in one language falls back to the other, then to the id: never an empty heading
    labels = {(r["sector"], r["page"], r["name"]): {"zh": r["label_zh"] or r["label_en"] or r["name"], "en": r["label_en"] or r["label_zh"] or r["name"]}
              for r in db.execute("SELECT * FROM labels")}
    rows = db.execute(
        "SELECT d.id, d.path, d.enterprise, d.enterprise_key, d.year, d.sector, f.page, f.name, f.unit, f.place, f.value, f.value_real "
        "FROM figures f JOIN documents d ON d.id = f.document_id "
        "WHERE d.status = 'ok' AND f.kind IN ('formula', 'summary') AND f.unit LIKE 'tCO2%/%' "
        "ORDER BY d.sector, f.name, f.unit, d.path, f.place")
    groups: dict[tuple, Group] = {}
    for r in rows:
        if not INTENSITY.search(r["name"]) or r["value_real"] is None:
            continue
        key = (r["sector"], r["name"], r["unit"])
        g = groups.get(key)
        if g is None:
            label = labels.get((r["sector"], r["page"], r["name"]), {"zh": r["name"], "en": r["name"]})
            g = groups[key] = Group(r["sector"], r["name"], r["unit"], label, [])
        g.points.append({"document": r["id"], "path": r["path"], "enterprise": r["enterprise"] or Path(r["path"]).name,
                         "enterprise_key": r["enterprise_key"], "year": r["year"], "place": r["place"], "value": r["value"],
                         "x": r["value_real"]})
    for g in groups.values():
        xs = [p["x"] for p in g.points]
        g.stats = {"n": len(xs), "min": min(xs), "max": max(xs)}
        if len(xs) >= MIN_GROUP:
            q1, med, q3 = _quartiles(xs)
            reach = max(FENCE_K * (q3 - q1), FENCE_FLOOR * abs(med))
            lo, hi = q1 - reach, q3 + reach
            g.stats.update(q1=q1, median=med, q3=q3, low=lo, high=hi)
            g.outliers = [dict(p, side="high" if p["x"] > hi else "low") for p in g.points if p["x"] < lo or p["x"] > hi]
    bench, above = _benchmarks(db, groups)
    return Screening(name, documents, sorted(groups.values(), key=lambda g: (g.sector, g.name, g.unit)),
                     _jumps(db, groups), _defaults(db, labels), _codes(db), bench, above)


def _benchmarks(db, groups: dict) -> tuple[list[dict], list[dict]]:
    """Each unit's intensity against its category's allocation benchmark (schema 2 on; none before)."""
    if db.execute("PRAGMA user_version").fetchone()[0] < 2:
        return [], []
    rows = db.execute(
        "SELECT d.id, d.path, d.enterprise, d.year, d.sector, b.place, b.unit_key, b.category, b.category_zh, b.category_en, "
        "b.benchmark_name, b.benchmark, b.unit, b.plan, b.verified, f.name, f.value, f.value_real "
        "FROM benchmarks b JOIN documents d ON d.id = b.document_id "
        "JOIN figures f ON f.document_id = b.document_id AND f.place = b.place "
        "WHERE d.status = 'ok' ORDER BY d.sector, f.name, b.category, d.year, d.path, b.place")
    by: dict[tuple, dict] = {}
    above = []
    for r in rows:
        bench = float(r["benchmark"])
        if r["value_real"] is None or bench <= 0:
            continue
        ratio = r["value_real"] / bench
        key = (r["sector"], r["name"], r["unit"], r["category"], r["year"], r["benchmark"])
        s = by.setdefault(key, {"sector": r["sector"], "figure": r["name"], "unit": r["unit"], "category": r["category"],
                                "category_zh": r["category_zh"], "category_en": r["category_en"], "year": r["year"],
                                "benchmark": r["benchmark"], "plan": r["plan"], "verified": bool(r["verified"]), "ratios": []})
        s["ratios"].append(ratio)
        if ratio > BENCH_FACTOR:
            above.append({"enterprise": r["enterprise"] or Path(r["path"]).name, "sector": r["sector"], "year": r["year"],
                          "unit_key": r["unit_key"], "category": r["category_en"], "category_zh": r["category_zh"], "figure": r["name"], "value": r["value"],
                          "benchmark": r["benchmark"], "unit": r["unit"], "ratio": _ratio(ratio), "place": r["place"],
                          "path": r["path"], "verified": bool(r["verified"])})
        g = groups.get((r["sector"], r["name"], r["unit"]))
        if g is not None and not any(m["value"] == r["benchmark"] and m["category"] == r["category"] for m in g.marks):
            g.marks.append({"x": bench, "value": r["benchmark"], "category": r["category"],
                            "label": f"{r['category_en']} {r['year']}: {r['benchmark']}",
                            "label_zh": f"{r['category_zh']} {r['year']}：{r['benchmark']}"})
    out = []
    for s in by.values():
        ratios = s.pop("ratios")
        out.append(dict(s, units=len(ratios), above=sum(1 for x in ratios if x > 1), median_ratio=_ratio(statistics.median(ratios))))
    return out, sorted(above, key=lambda a: -a["ratio"])


def _jumps(db, groups: dict) -> list[dict]:
    out = []
    series: dict = {}
    for r in db.execute("SELECT id, path, enterprise, enterprise_key, sector, year, total_co2e FROM documents "
                        "WHERE status = 'ok' AND enterprise_key IS NOT NULL AND year IS NOT NULL ORDER BY enterprise_key, year, path"):
        series.setdefault(r["enterprise_key"], []).append(r)
    for key, docs in series.items():
        for a, b in pairwise(docs):
            if b["year"] != a["year"] + 1:
                continue
            ta, tb = float(a["total_co2e"] or 0), float(b["total_co2e"] or 0)
            if ta > 0 and tb > 0 and max(ta / tb, tb / ta) > JUMP_TOTAL:
                out.append({"enterprise": b["enterprise"] or key, "what": "total emissions (tCO2e)",
                            "what_zh": "排放总量（tCO2e）", "from_year": a["year"],
                            "to_year": b["year"], "from": a["total_co2e"], "to": b["total_co2e"], "factor": _ratio(tb / ta),
                            "path": b["path"]})
    by_doc: dict = {}
    for g in groups.values():
        for p in g.points:
            by_doc.setdefault((p["enterprise_key"], g.sector, g.name, g.unit, p["place"]), {})[p["year"]] = (p, g)
    for (key, _sector, _name, unit, place), years in by_doc.items():
        for y in sorted(years):
            if y + 1 in years:
                (pa, g), (pb, _) = years[y], years[y + 1]
                if pa["x"] > 0 and pb["x"] > 0 and max(pa["x"] / pb["x"], pb["x"] / pa["x"]) > JUMP_INTENSITY:
                    out.append({"enterprise": pb["enterprise"], "what": f"{g.label['en']} ({unit}) at {place}",
                                "what_zh": f"{g.label['zh']}（{unit}），位置 {place}", "from_year": y,
                                "to_year": y + 1, "from": pa["value"], "to": pb["value"], "factor": _ratio(pb["x"] / pa["x"]),
                                "path": pb["path"]})
    return sorted(out, key=lambda j: -max(j["factor"], 1 / j["factor"] if j["factor"] else 0))


def _defaults(db, labels: dict) -> list[dict]:
    """Reports that used defaults or unconfirmed figures; the figures by their titles in each language (the
    labels the batch stored with page ''; a database written before it stored them shows the ids)."""
    out = []
    for r in db.execute("SELECT path, enterprise, sector, year, defaults_used, unverified_used FROM documents "
                        "WHERE status = 'ok' AND (defaults_used > 0 OR unverified_used != '[]') "
                        "ORDER BY defaults_used DESC, path"):
        unverified = json.loads(r["unverified_used"])
        named = [labels.get((r["sector"], "", n), {"zh": n, "en": n}) for n in unverified]
        out.append({"enterprise": r["enterprise"] or Path(r["path"]).name, "sector": r["sector"], "year": r["year"],
                    "defaults_used": r["defaults_used"], "unverified_used": len(unverified), "unverified_ids": unverified,
                    "unverified": {"zh": "、".join(x["zh"] for x in named), "en": "; ".join(x["en"] for x in named)},
                    "path": r["path"]})
    return out


def _codes(db) -> list[dict]:
    """Per code and severity: how many reports, how many findings, and what the code means in each language
    (its registered meaning; for a plugin's own code, one stored message of it)."""
    out = []
    for r in db.execute("SELECT code, severity, count(DISTINCT document_id) AS documents, count(*) AS findings, "
                        "min(message) AS message, min(message_zh) AS message_zh FROM findings "
                        "GROUP BY code, severity ORDER BY documents DESC, code"):
        c = dict(r)
        en, zh = c.pop("message") or "", c.pop("message_zh") or ""
        c["meaning"] = {"en": code_text(c["code"], "en") or en, "zh": code_text(c["code"], "zh") or zh or en}
        out.append(c)
    return out


# -- renderings --------------------------------------------------------------------------
# Every sentence in the field's language, Chinese or English (``lang``), by the engine's one way of
# pairing them (core/output/text.py's ``_t``: the Chinese and the English side by side at the place of
# use); figure titles from the rulesets' bilingual labels, severities and codes from the Finding registry.


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def render(s: Screening, fmt: str = "table", lang: str = "en") -> str:
    return {"table": render_table, "csv": render_csv, "html": render_html}[fmt](s, lang)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


_STATUS = {"ok": ("已计算", "ok"), "refused": ("被拒绝", "refused"), "failed": ("失败", "failed")}
_SIDE = {"high": ("偏高", "high"), "low": ("偏低", "low")}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0 if lang == "zh" else 1]


def _docs(s: Screening, lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{_pick(_STATUS.get(k, (k, k)), lang)} {n}" if lang == "zh" else f"{n} {k}"
                    for k, n in sorted(s.documents.items())) or _t(lang, "无", "none")


def _spread(st: dict, lang: str, fences: bool = False) -> str:
    if "median" not in st:
        return _t(lang, "过少，不作判断", "too few to judge")
    text = _t(lang, f"中位数 {_fmt(st['median'])}，Q1 {_fmt(st['q1'])}，Q3 {_fmt(st['q3'])}",
              f"median {_fmt(st['median'])}, Q1 {_fmt(st['q1'])}, Q3 {_fmt(st['q3'])}")
    if fences:
        text += _t(lang, f"，界限 {_fmt(st['low'])} … {_fmt(st['high'])}", f", fences {_fmt(st['low'])} … {_fmt(st['high'])}")
    return text


def _figure(s: Screening, b: dict, lang: str) -> str:
    """A benchmarked figure by its title in the rules (its id where the batch holds no title of it)."""
    for g in s.groups:
        if (g.sector, g.name, g.unit) == (b["sector"], b["figure"], b["unit"]):
            return g.label[lang]
    return b["figure"]


def _what(j: dict, lang: str) -> str:
    return j["what_zh"] if lang == "zh" else j["what"]


def render_table(s: Screening, lang: str = "en") -> str:
    out = [_t(lang, f"批量筛查 {s.database}：共 {sum(s.documents.values())} 份报告（{_docs(s, lang)}）",
              f"Screening of {s.database}: {sum(s.documents.values())} reports ({_docs(s, lang)})"), ""]
    out.append(_t(lang, f"单位产品排放强度与本批次分布的比较（超出 Q1 − {FENCE_K:g}·IQR、Q3 + {FENCE_K:g}·IQR，且距四分位数至少为中位数的 "
                        f"{FENCE_FLOOR:.0%}；仅判断 {MIN_GROUP} 个值及以上的组）：",
                  f"Emission intensities against the batch (outside Q1 - {FENCE_K:g}·IQR, Q3 + {FENCE_K:g}·IQR, at least "
                  f"{FENCE_FLOOR:.0%} of the median; groups of {MIN_GROUP} or more):"))
    for g in s.groups:
        st = g.stats
        out.append(_t(lang, f"  {s.sector(g.sector, 'zh')} · {g.label['zh']}（{g.unit}）：{st['n']} 个值，{_spread(st, lang)}；异常值 {len(g.outliers)} 个",
                      f"  {s.sector(g.sector, 'en')} · {g.label['en']} ({g.unit}): {st['n']} values, {_spread(st, lang)}; {len(g.outliers)} outliers"))
        for o in g.outliers:
            out.append(f"    {_pick(_SIDE[o['side']], lang):>4}  {o['value']} {g.unit}  {o['enterprise']} {o['year']}  {o['place']}  ({o['path']})")
    none = ["  " + _t(lang, "无", "none")]
    out += ["", _t(lang, f"同一企业的年度变化（排放总量 ×{JUMP_TOTAL:g}、排放强度 ×{JUMP_INTENSITY:g}，增减均计）：",
                   f"Year-on-year jumps (total ×{JUMP_TOTAL:g}, intensity ×{JUMP_INTENSITY:g}, either way):")]
    out += [f"  {j['enterprise']}: {_what(j, lang)} {j['from']} ({j['from_year']}) → {j['to']} ({j['to_year']}), ×{j['factor']}"
            for j in s.jumps] or none
    out += ["", _t(lang, "使用缺省值或未核实数值的报告：", "Reports using default values or unconfirmed figures:")]
    out += [_t(lang, f"  {d['enterprise']} {s.sector(d['sector'], 'zh')} {d['year']}：缺省值 {d['defaults_used']} 处，未核实数值 {d['unverified_used']} 个",
               f"  {d['enterprise']} {s.sector(d['sector'], 'en')} {d['year']}: {d['defaults_used']} defaults, {d['unverified_used']} unconfirmed")
            + (_t(lang, f"（{d['unverified']['zh']}）", f" ({d['unverified']['en']})") if d["unverified_ids"] else "") for d in s.defaults] or none
    out += ["", _t(lang, f"与配额分配基准值的比较（列出强度超过所属类别基准值 ×{BENCH_FACTOR:g} 的机组）：",
                   f"Against the allocation benchmarks (units above ×{BENCH_FACTOR:g} their category's benchmark named):")]
    out += [_t(lang, f"  {s.sector(b['sector'], 'zh')} · {_figure(s, b, lang)} · {b['category_zh']} {b['year']}：基准值 {b['benchmark']} {b['unit']}"
                     f"{'' if b['verified'] else '（未核实）'}（{s.plan(b['plan'], 'zh')}）；机组 {b['units']} 台，高于基准值 {b['above']} 台，中位比值 ×{b['median_ratio']}",
               f"  {s.sector(b['sector'], 'en')} · {_figure(s, b, lang)} · {b['category_en']} {b['year']}: benchmark {b['benchmark']} {b['unit']}"
               f"{'' if b['verified'] else ' (unconfirmed)'} ({s.plan(b['plan'], 'en')}); {b['units']} units, {b['above']} above it, median ×{b['median_ratio']}")
            for b in s.benchmarks] or ["  " + _t(lang, "无（没有规则给出基准值的机组）", "none (no unit whose rules carry a benchmark)")]
    out += [_t(lang, f"    {a['enterprise']} {a['year']} {a['unit_key']}：{a['value']} {a['unit']}，为基准值 {a['benchmark']} 的 ×{a['ratio']}  ({a['path']})",
               f"    {a['enterprise']} {a['year']} {a['unit_key']}: {a['value']} {a['unit']} = ×{a['ratio']} the benchmark {a['benchmark']}  ({a['path']})")
            for a in s.above]
    out += ["", _t(lang, "发现项（按代码：严重程度，报告数，发现数，含义）：", "Findings by code (severity, reports, findings, meaning):")]
    out += [f"  {c['code']:<40} {severity_text(c['severity'], lang):<13} {c['documents']:>6} {c['findings']:>7}  {c['meaning'][lang]}"
            for c in s.codes] or none
    return "\n".join(out) + "\n"


def render_csv(s: Screening, lang: str = "en") -> str:
    """One row per thing to look at. The section names and column heads stay the same in both languages (a
    program reads them); what a person reads (what, detail) is in ``lang``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "sector", "enterprise", "year", "what", "value", "unit", "detail", "path"])
    for g in s.groups:
        for o in g.outliers:
            side, st = _pick(_SIDE[o["side"]], lang), g.stats
            w.writerow(["intensity_outlier", g.sector, o["enterprise"], o["year"], f"{g.label[lang]} {o['place']}", o["value"], g.unit,
                        _t(lang, f"{side}：中位数 {_fmt(st['median'])}，界限 {_fmt(st['low'])}..{_fmt(st['high'])}",
                           f"{side}: median {_fmt(st['median'])}, fences {_fmt(st['low'])}..{_fmt(st['high'])}"), o["path"]])
    for j in s.jumps:
        w.writerow(["year_on_year", "", j["enterprise"], j["to_year"], _what(j, lang), j["to"], "",
                    f"{j['from_year']}: {j['from']}, ×{j['factor']}", j["path"]])
    for d in s.defaults:
        w.writerow(["defaults", d["sector"], d["enterprise"], d["year"],
                    _t(lang, "使用缺省值处数 / 使用未核实数值个数", "defaults used / unconfirmed figures used"), d["defaults_used"], "",
                    (_t(lang, f"未核实 {d['unverified_used']} 个 ", f"{d['unverified_used']} unconfirmed ") + d["unverified"][lang]).strip(), d["path"]])
    for a in s.above:
        cat = a["category_zh"] if lang == "zh" else a["category"]
        w.writerow(["above_benchmark", a["sector"], a["enterprise"], a["year"], f"{_figure(s, a, lang)} {a['unit_key']} {a['place']}", a["value"],
                    a["unit"], _t(lang, f"为{cat}基准值 {a['benchmark']} 的 ×{a['ratio']}" + ("" if a["verified"] else "（未核实）"),
                                  f"×{a['ratio']} the {cat} benchmark {a['benchmark']}" + ("" if a["verified"] else " (unconfirmed)")),
                    a["path"]])
    for c in s.codes:
        w.writerow(["findings", "", "", "", f"{c['code']}: {c['meaning'][lang]}", c["documents"], _t(lang, "份报告", "reports"),
                    _t(lang, f"{severity_text(c['severity'], lang)}，发现 {c['findings']} 条", f"{severity_text(c['severity'], lang)}, {c['findings']} findings"), ""])
    return buf.getvalue()


# -- HTML with inline SVG box plots --------------------------------------------------------

def _box_svg(g: Group, lang: str = "en", width: int = 720) -> str:
    """A horizontal box plot of the group: box Q1-Q3, median, fences, every value a dot, outliers named."""
    xs = [p["x"] for p in g.points]
    st = g.stats
    lo = min(xs + [st.get("low", min(xs))]) if "low" in st else min(xs)
    hi = max(xs + [st.get("high", max(xs))]) if "high" in st else max(xs)
    lo, hi = min(lo, min(xs)), max(hi, max(xs))
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad, left, right = 0.04 * (hi - lo), 20, width - 20

    def sx(x):
        return left + (x - (lo - pad)) / ((hi + pad) - (lo - pad)) * (right - left)

    rows = len(g.outliers)
    h = 70 + 16 * rows
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" viewBox="0 0 {width} {h}" role="img" '
             f'aria-label="{html.escape(g.label[lang])}">')]
    parts.append(f'<line x1="{left}" y1="50" x2="{right}" y2="50" stroke="#999"/>')
    for x in (lo, hi):
        parts.append(f'<text x="{sx(x):.1f}" y="64" font-size="10" text-anchor="middle" fill="#555">{_fmt(x)}</text>')
    if "median" in st:
        q1, q3 = sx(st["q1"]), sx(st["q3"])
        parts.append(f'<line x1="{sx(st["low"]):.1f}" y1="30" x2="{sx(st["high"]):.1f}" y2="30" stroke="#888" stroke-dasharray="3,3"/>')
        for f in ("low", "high"):
            parts.append(f'<line x1="{sx(st[f]):.1f}" y1="20" x2="{sx(st[f]):.1f}" y2="40" stroke="#c00" stroke-dasharray="2,2">'
                         f'<title>{_t(lang, "界限", "fence")} {_fmt(st[f])}</title></line>')
        parts.append(f'<rect x="{q1:.1f}" y="20" width="{max(q3 - q1, 1):.1f}" height="20" fill="#dbe8f6" stroke="#36c"/>')
        parts.append(f'<line x1="{sx(st["median"]):.1f}" y1="20" x2="{sx(st["median"]):.1f}" y2="40" stroke="#036" stroke-width="2"/>')
    for i, m in enumerate(sorted(g.marks, key=lambda m: m["x"])):
        if lo - pad <= m["x"] <= hi + pad:  # a benchmark far off the batch's values would squash the plot: left out of it
            x = sx(m["x"])
            ty = 7 if i % 2 == 0 else 16  # neighbouring benchmarks' labels on two rows, so that they do not overlap
            parts.append(f'<line x1="{x:.1f}" y1="{ty + 2}" x2="{x:.1f}" y2="46" stroke="#080" stroke-width="1.5">'
                         f'<title>{_t(lang, "基准值", "benchmark")} {html.escape(m["label_zh"] if lang == "zh" else m["label"])}</title></line>')
            parts.append(f'<text x="{x:.1f}" y="{ty}" font-size="9" text-anchor="middle" fill="#060">{html.escape(m["value"])}</text>')
    flagged = {(o["document"], o["place"]) for o in g.outliers}
    for p in g.points:
        bad = (p["document"], p["place"]) in flagged
        parts.append(f'<circle cx="{sx(p["x"]):.1f}" cy="30" r="{4 if bad else 2.5}" fill="{"#c00" if bad else "#36c"}" '
                     f'fill-opacity="{0.9 if bad else 0.35}"><title>{html.escape(str(p["enterprise"]))} {p["year"]}: '
                     f'{html.escape(p["value"])} {html.escape(g.unit)}</title></circle>')
    for i, o in enumerate(g.outliers):
        y = 82 + 16 * i
        x = sx(o["x"])
        anchor = "end" if x > width / 2 else "start"
        parts.append(f'<line x1="{x:.1f}" y1="34" x2="{x:.1f}" y2="{y - 10}" stroke="#c00" stroke-width="0.5"/>')
        parts.append(f'<text x="{x:.1f}" y="{y}" font-size="11" text-anchor="{anchor}" fill="#900">'
                     f'{html.escape(str(o["enterprise"]))} {o["year"]}: {html.escape(o["value"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1em;margin:1.2em 0 .2em}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-size:.9em}.bad{color:#900}"""


def _table(head: list[str], rows: list[list], nums=(), lang: str = "en") -> str:
    if not rows:
        return f'<p class="note">{_t(lang, "无。", "None.")}</p>'
    out = ["<table><thead><tr>", *(f"<th>{html.escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td{" class=num" if i in nums else ""}>{html.escape(str(c))}</td>' for i, c in enumerate(r)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(s: Screening, lang: str = "en") -> str:
    total = sum(s.documents.values())

    def table(head, rows, nums=()):
        return _table(head, rows, nums, lang)

    body = [_t(lang, f"<h1>批量筛查</h1><p>{html.escape(s.database)}：共 {total} 份报告（{html.escape(_docs(s, lang))}）。</p>",
               f"<h1>Screening of a batch</h1><p>{html.escape(s.database)}: {total} reports ({html.escape(_docs(s, lang))}).</p>"),
            '<p class="note">' + _t(
                lang,
                f"以下界限是筛查时的选择，不是指南规定的数值：某组单位产品排放强度超出 Q1 − {FENCE_K:g}·IQR 与 Q3 + {FENCE_K:g}·IQR"
                f"（且距四分位数至少为中位数的 {FENCE_FLOOR:.0%}）即列为异常值（仅判断 {MIN_GROUP} 份及以上报告的组）；同一企业相邻年度"
                f"排放总量变化超过 ×{JUMP_TOTAL:g}、排放强度变化超过 ×{JUMP_INTENSITY:g} 即列出。它们只挑出值得一看的报告，不作判断。",
                f"Screening choices, not guideline figures: an intensity is shown as an outlier outside Q1 − {FENCE_K:g}·IQR and "
                f"Q3 + {FENCE_K:g}·IQR of its group (at least {FENCE_FLOOR:.0%} of the median beyond the quartiles) (groups of {MIN_GROUP} "
                f"or more reports); a year-on-year change beyond ×{JUMP_TOTAL:g} (total) or ×{JUMP_INTENSITY:g} (intensity). They pick "
                "reports for a look; they do not judge them.") + "</p>",
            _t(lang, "<h2>单位产品排放强度</h2>", "<h2>Emission intensities</h2>")]
    for g in s.groups:
        st = g.stats
        body.append(f"<h3>{html.escape(s.sector(g.sector, lang))} · {html.escape(g.label[lang])} ({html.escape(g.unit)})</h3>"
                    + _t(lang, f'<p class="note">{st["n"]} 个值；{_spread(st, lang, fences=True)}；<span class="bad">异常值 {len(g.outliers)} 个</span></p>',
                         f'<p class="note">{st["n"]} values; {_spread(st, lang, fences=True)}; <span class="bad">{len(g.outliers)} outliers</span></p>'))
        body.append(_box_svg(g, lang))
        if g.outliers:
            body.append(table(_t(lang, "企业|年度|数值|方向|位置|文件", "enterprise|year|value|side|place|file").split("|"),
                              [[o["enterprise"], o["year"], f"{o['value']} {g.unit}", _pick(_SIDE[o["side"]], lang), o["place"], o["path"]]
                               for o in g.outliers]))
    if not s.groups:
        body.append(f'<p class="note">{_t(lang, "本批次没有单位产品排放强度数值。", "No intensity figures in this batch.")}</p>')
    body.append(_t(lang, "<h2>同一企业的年度变化</h2>", "<h2>Year-on-year jumps</h2>"))
    body.append(table(_t(lang, "企业|数值|从|到|倍数|文件", "enterprise|figure|from|to|factor|file").split("|"),
                      [[j["enterprise"], _what(j, lang), f"{j['from']} ({j['from_year']})", f"{j['to']} ({j['to_year']})", f"×{j['factor']}",
                        j["path"]] for j in s.jumps], nums=(4,)))
    body.append(_t(lang, "<h2>缺省值与未核实数值</h2>", "<h2>Defaults and unconfirmed figures</h2>"))
    body.append(table(_t(lang, "企业|行业|年度|使用缺省值处数|使用未核实数值个数|哪些数值|文件",
                         "enterprise|sector|year|fields from defaults|unconfirmed figures used|which|file").split("|"),
                      [[d["enterprise"], s.sector(d["sector"], lang), d["year"], d["defaults_used"], d["unverified_used"], d["unverified"][lang], d["path"]]
                       for d in s.defaults], nums=(3, 4)))
    body.append(_t(lang, "<h2>与配额分配基准值的比较</h2>", "<h2>Against the allocation benchmarks</h2>"))
    body.append('<p class="note">' + _t(
        lang,
        f"规则给出基准值（配额分配方案）时，每台机组的排放强度与其类别、年度的基准值并列（见上图绿线）；强度超过基准值 ×{BENCH_FACTOR:g} "
        "的机组逐一列出。未核实的基准值另有标注。",
        f"Where the rules carry them (the allocation plans), each unit's intensity beside the benchmark of its category and year "
        f"(green lines on the plots above); units above ×{BENCH_FACTOR:g} their benchmark are named. An unconfirmed benchmark is marked so.")
        + "</p>")
    unconfirmed = _t(lang, "（未核实）", " (unconfirmed)")
    body.append(table(_t(lang, "行业|数值|类别|年度|基准值|分配方案|机组数|高于基准值|比值中位数",
                         "sector|figure|category|year|benchmark|plan|units|above it|median ratio").split("|"),
                      [[s.sector(b["sector"], lang), _figure(s, b, lang), b[f"category_{lang}"], b["year"],
                        f"{b['benchmark']} {b['unit']}" + ("" if b["verified"] else unconfirmed), s.plan(b["plan"], lang), b["units"], b["above"],
                        f"×{b['median_ratio']}"] for b in s.benchmarks], nums=(6, 7, 8)))
    if s.above:
        body.append(table(_t(lang, "企业|年度|机组|类别|排放强度|基准值|比值|文件", "enterprise|year|unit|category|intensity|benchmark|ratio|file").split("|"),
                          [[a["enterprise"], a["year"], a["unit_key"], a["category_zh"] if lang == "zh" else a["category"],
                            f"{a['value']} {a['unit']}", a["benchmark"], f"×{a['ratio']}", a["path"]] for a in s.above], nums=(6,)))
    body.append(_t(lang, "<h2>发现项（按代码）</h2>", "<h2>Findings by code</h2>"))
    body.append(table(_t(lang, "代码|含义|严重程度|报告数|发现数", "code|meaning|severity|reports|findings").split("|"),
                      [[c["code"], c["meaning"][lang], severity_text(c["severity"], lang), c["documents"], c["findings"]] for c in s.codes],
                      nums=(3, 4)))
    title = _t(lang, "批量筛查", "Screening of a batch")
    return (f"<!DOCTYPE html>\n<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\"><title>{title} · mrv screen</title>"
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n")
