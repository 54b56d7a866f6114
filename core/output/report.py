"""The report of a calculation: a JSON-ready dict, and its table and Markdown renderings."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..base.numbers import NumberRange, fmt, round_half_up
from ..calc.compose import fill
from ..calc.engine import names_read
from ..formula import units as U
from ..rules.ruleset import CATEGORIES
from .text import _pad, _w

CATEGORY_LABELS = {
    "energy_direct_stationary": ("能源直接固定排放", "Energy, direct, stationary"),
    "energy_direct_mobile": ("能源直接移动排放", "Energy, direct, mobile"),
    "energy_indirect": ("能源间接排放", "Energy, indirect"),
    "process": ("工艺过程排放", "Process"),
}


@lru_cache(maxsize=1)
def engine_version() -> str:
    """The installed version, read once per process (importlib.metadata parses the package's
    metadata on every call: 10 ms a report in a batch)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mrv-engine")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


#: Provenance kinds the rules filled in (not the submission): shown in a row only where a formula read them.
_FILLED = ("default", "substituted")


def figure(value, decimals=None) -> str:
    """A figure of the report: at its declared ``decimals`` when it has some, else exact with no
    trailing zeros past the point (a unit conversion's ``28.435000…``); never ``-0``."""
    if not isinstance(value, Decimal):
        return value
    if decimals is not None:
        try:
            value = round_half_up(value, decimals)
        except NumberRange:
            pass
    elif value.as_tuple().exponent < 0 and value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    elif value.as_tuple().exponent < 0:
        value = value.normalize()
    return fmt(value)


def _row(pr, r, report_decimals: int) -> dict:
    """A row as the report shows it: what the submission gave, the defaults a formula read, and the
    formulas' figures at their declared decimals (an emission at the report's); an intermediate
    without declared decimals, and a default no formula read (the carbon content of a fuel
    reported by emission factor), are only in the trace."""
    formulas = {f.id: f for f in pr.spec.formulas}
    read = None
    out = {}
    for k, v in r.values.items():
        f = formulas.get(k)
        if f is not None:
            decimals = f.decimals if f.decimals is not None else (report_decimals if f.raw.get("gas") else None)
            if decimals is None and isinstance(v, Decimal):
                continue
            out[k] = figure(v, decimals)
            continue
        prov = r.prov.get(k)
        if prov is not None and prov.kind in _FILLED:
            read = names_read(pr, r) if read is None else read
            if k not in read:
                continue
        field = pr.spec.fields.get(k)
        out[k] = v if not isinstance(v, Decimal) else (fmt(v) if prov is not None and prov.kind not in _FILLED
                                                        and prov.original is None else figure(v, field.raw.get("decimals") if field else None))
    return out


def _unverified_in(comp) -> list[str]:
    """Every unconfirmed figure of the composition's rulesets, worked out once per composition
    (a batch reports thousands of documents under the same few)."""
    got = getattr(comp, "_unverified", None)
    if got is None:
        got = comp._unverified = sorted({f"{rs.id}:{name}" for rs in comp.rulesets for name in rs.unverified()})
    return got


def to_dict(result, pages: bool = True) -> dict:
    """The report as JSON-ready data; ``pages=False`` leaves out the pages' rows and summaries (an
    empty list), for a host that keeps the figures by place anyway (``mrv batch``)."""
    comp = result.comp
    sub = result.submission
    decimals = comp.report["decimals"]
    page_list = []
    for pr in result.pages if pages else ():
        rows = [_row(pr, r, decimals) for r in pr.rows]
        specs = {f.id: f for s in pr.spec.summaries for f, _c in s.formulas}
        summaries = [{"summary": s["summary"], "group": s["group"],
                      "values": {k: figure(v, specs[k].decimals if k in specs else None) for k, v in s["values"].items()}}
                     for s in pr.summaries]
        page = {"id": pr.spec.id, "role": pr.spec.role, "title": pr.spec.title, "ruleset": pr.spec.ruleset.id, "rows": rows}
        if summaries:
            page["summaries"] = summaries
        page_list.append(page)
    rulesets = list(comp.rulesets) + [e.period.ruleset for e in result.editions if e.comp is not comp]
    unverified = list(_unverified_in(comp))
    if len(rulesets) > len(comp.rulesets):  # a year split between editions: theirs too
        unverified = sorted({*unverified, *(f"{rs.id}:{name}" for rs in rulesets[len(comp.rulesets):] for name in rs.unverified())})
    used_unverified = result.unverified_used()
    out = {
        "engine": {"name": "mrv-engine", "version": engine_version()},
        "enterprise": sub.get("enterprise", {}),
        "sector": comp.sector,
        "year": result.year,
        "rulesets": [{"id": rs.id, "sector": rs.sector, "sha256": rs.digest, "path": rs.path} for rs in rulesets],
        **({"programme": programme_of_report(comp)} if programme_of_report(comp) else {}),
        "gwp": {"set": comp.gwp["set"], "values": comp.gwp["values"]} if comp.gwp else None,
        "totals": {
            "by_category": {c: {"co2e": fmt(result.totals[c]), "share_percent": fmt(result.shares[c]) if result.shares[c] is not None else None}
                            for c in CATEGORIES},
            "by_gas": {g: {"mass": fmt(v["mass"]), "unit": f"t{g}", "co2e": fmt(v["co2e"])} for g, v in sorted(result.gases.items())},
            "total_co2e": fmt(result.total),
            "unit": "tCO2e",
        },
        "emissions": [  # each at the report's decimals, as the totals it adds up to
            {"page": e.page, "row": e.row, "figure": e.formula, "gas": e.gas, "category": e.category,
             "mass": figure(e.mass, decimals), "co2e": figure(e.co2e, decimals)}
            for e in result.emissions
        ],
        "pages": page_list,
        "findings": [f.as_dict() for f in result.findings],
        "unverified_parameters_used": used_unverified,
        "unverified_figures_in_rulesets": unverified,
    }
    if result.editions:  # a reporting year split between editions: which governed which months, and why
        out["periods"] = [e.period.as_dict(result.year) for e in result.editions]
    return out


def periods_text(result, lang: str = "zh") -> list[str]:
    """Lines naming the edition of each month of a split reporting year (none otherwise)."""
    if not result.editions:
        return []
    head = "分月适用的规则版本：" if lang == "zh" else "Editions by month:"
    return [head, *(f"  {e.period.why(result.year, title=True)[lang]}" for e in result.editions)]


def programme_of_report(comp) -> dict | None:
    """{id, label, why} of a provincial pilot's report (its editions were chosen by the submission's
    ``programme``), or None for a national report, whose output stays as it always was."""
    p = comp.ruleset.programme
    if p == "national":
        return None
    g = comp.general.grid
    label = dict(g.programmes[p]["label"]) if g is not None and p in g.programmes else {"zh": p, "en": p}
    ids = [rs.id for rs in comp.rulesets]
    return {"id": p, "label": label, "why": {
        "zh": f"报告类型：{label['zh']}（填报数据注明 programme {p}）；按其规则版本 {'、'.join(ids)} 计算，不用全国规则",
        "en": f"programme: {label['en']} (the submission names programme {p}); calculated under its editions "
              f"{', '.join(ids)}, not the national rules"}}


def render_table(result, lang: str = "zh") -> str:
    zh = lang == "zh"
    comp = result.comp
    out = []
    name = result.submission.get("enterprise", {}).get("name", "")
    out.append(f"{name}  {comp.sector} {result.year}  ({', '.join(rs.id for rs in comp.rulesets)})".strip())
    pilot = programme_of_report(comp)
    if pilot:
        out.append(pilot["why"][lang if lang in ("zh", "en") else "zh"])
    out.append("")
    head = ("排放类别", "排放量(tCO2e)", "比例(%)") if zh else ("Category", "tCO2e", "Share (%)")
    rows = [(CATEGORY_LABELS[c][0 if zh else 1], fmt(result.totals[c]), fmt(result.shares[c]) if result.shares[c] is not None else "—")
            for c in CATEGORIES]
    rows.append(("合计" if zh else "Total", fmt(result.total), "100" if result.total else "—"))
    widths = [max(_w(r[i]) for r in rows + [head]) for i in range(3)]
    out.append("  ".join(_pad(h, widths[i], i) for i, h in enumerate(head)))
    for r in rows:
        out.append("  ".join(_pad(v, widths[i], i) for i, v in enumerate(r)))
    if result.gases:
        out.append("")
        for gas, v in sorted(result.gases.items()):
            out.append(f"{gas}: {fmt(v['mass'])} t{gas} = {fmt(v['co2e'])} tCO2e")
        if comp.gwp and set(result.gases) - {"CO2"}:
            out.append(("全球变暖潜势: " if zh else "GWP set: ") + comp.gwp["set"])
    supp = [pr for pr in result.pages if pr.spec.role == "supplementary" and (pr.rows or pr.summaries)]
    for pr in supp:
        out.append("")
        out.append(pr.spec.title[lang] + ("（边界不同，不计入上表）" if zh else " (its own boundary; not in the totals above)"))
        specs = {f.id: f for s in pr.spec.summaries for f, _c in s.formulas}
        for s in pr.summaries:
            group = " ".join(str(v) for v in s["group"].values())
            if group:
                out.append(f"  {group}")
            for k, v in s["values"].items():
                f = specs.get(k)
                label = f.raw["label"][lang] if f else k
                unit = U.display(f.raw["unit"]) if f and f.raw["unit"] != "1" else ""
                out.append(f"    {label}: {fmt(v)} {unit}".rstrip())
    if result.editions:
        out.append("")
        out.extend(periods_text(result, lang))
    unverified = result.unverified_used()
    if unverified:
        out.append("")
        # by what the rules call them (a parameter's title, a fuel table's row), not by their ids
        names = [result.figure_label(n)[lang] for n in unverified]
        out.append(("使用了未核实的参数：" + "、".join(names)) if zh else ("Unverified parameters used: " + "; ".join(names)))
    return "\n".join(out) + "\n"


def render_markdown(result, lang: str = "zh") -> str:
    zh = lang == "zh"
    comp = result.comp
    name = result.submission.get("enterprise", {}).get("name", "")
    out = [f"# {name} — {comp.sector} {result.year}", ""]
    out.append(("规则集: " if zh else "Rulesets: ") + ", ".join(f"`{rs.id}` (sha256 {rs.digest[:12]})" for rs in comp.rulesets))
    out.append("")
    if result.editions:
        out.extend(line.strip() if i == 0 else "-" + line[1:] for i, line in enumerate(periods_text(result, lang)))
        out.append("")
    out.append("| " + (" | ".join(("排放类别", "排放量 (tCO2e)", "比例 (%)") if zh else ("Category", "tCO2e", "Share (%)"))) + " |")
    out.append("|---|---:|---:|")
    for c in CATEGORIES:
        share = fmt(result.shares[c]) if result.shares[c] is not None else "—"
        out.append(f"| {CATEGORY_LABELS[c][0 if zh else 1]} | {fmt(result.totals[c])} | {share} |")
    out.append(f"| **{'合计' if zh else 'Total'}** | **{fmt(result.total)}** | 100 |")
    out.append("")
    for pr in result.pages:
        if not pr.rows:
            continue
        out.append(f"## {pr.spec.title[lang]}")
        out.append("")
        cols = [f.id for f in pr.spec.formulas if f.raw.get("gas")] or [f.id for f in pr.spec.formulas][-1:]
        ident = [fid for fid, f in pr.spec.fields.items() if not f.numeric][:3]
        heads = [pr.spec.fields[i].label[lang] for i in ident] + [next(f.raw["label"][lang] for f in pr.spec.formulas if f.id == c) for c in cols]
        out.append("| " + " | ".join(heads) + " |")
        out.append("|" + "---|" * len(heads))
        for r in pr.rows:
            vals = [str(r.values.get(i, "")) for i in ident]
            for c in cols:
                unit = next(U.display(fill(f.raw["unit"], dict(r.binding))) for f in pr.spec.formulas if f.id == c)
                vals.append(f"{fmt(r.values.get(c))} {unit}")
            out.append("| " + " | ".join(vals) + " |")
        out.append("")
    return "\n".join(out)
