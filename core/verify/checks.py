"""The host's common verification checks.

Each check is a small function ``check(ctx) -> list[Finding]`` over a
:class:`~mrv_engine.core.verify.recompute.CheckContext`; every code it can emit is declared
once in :data:`RULES` with its severity, the rule in Chinese and English and the
citation, so a finding always carries the rule that makes it one.

Severities: ``error`` (a figure does not hold), ``must_correct`` (the report or the
plan breaks a rule and must be corrected), ``observation`` (worth a verifier's look).

Where a check uses a screening threshold that no guideline states (the plausible
band around a default, the ×1000 unit-slip window) the threshold is a named module
constant and the finding says it is a screening rule, never a guideline figure.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date as _date
from decimal import Decimal

from ..base.errors import UnitError
from ..base.findings import Finding
from ..base.numbers import NotANumber, fmt, to_decimal
from ..calc.compose import fill
from ..calc.resolve import rule_value, year_values
from ..calc.results import FREQUENCIES
from ..compliance.calendar import monthly_deadline
from ..formula import units as U
from ..output.figures import figures_of
from .compare import agrees, number_text, tolerance_of
from .ranges import fuel_ranged, outside_ranges

# -- citations ---------------------------------------------------------------------
VERIFY_GUIDE = "企业温室气体排放报告核查指南（试行）（环办气候函〔2021〕130号）"
QA = "全国碳市场百问百答（国家应对气候变化战略研究和国际合作中心，2022）第一章"
SYSTEM = "全国碳排放数据报送系统 填报说明（2021年培训材料所载）"
HUBEI = "湖北省温室气体监测报告管理系统介绍（中国质量认证中心武汉分中心）"

#: Screening band of a measured value around the guideline default (value / default).
#: A verifier's screening rule, not a guideline figure: outside it the value is shown as implausible.
PLAUSIBLE_RATIO = (Decimal("0.5"), Decimal("2"))
#: value / default near 1000 or 1/1000 (within this band after scaling) reads as a kJ-vs-MJ slip.
SLIP_BAND = (Decimal("0.5"), Decimal("2"))
#: value / default near 4.1868 (kcal given as kJ or the reverse); kJ per kcal as in Q&A 42.
KCAL = Decimal("4.1868")
KCAL_BAND = (Decimal("0.9"), Decimal("1.1"))

#: Generic ladder of data sources, best first, used to compare two plans when the ruleset gives
#: the field no ``priority`` list: own measurement, then supplier data, then the default
#: (Q&A 30 orders 入炉煤/入厂煤实测, 供应商检测, 缺省值; Q&A 22/41: the order must not fall).
SOURCE_LADDER = ["measured", "calculated", "supplier", "estimated", "default"]

#: The six situations in which a data quality control plan must be revised (Q&A 21).
SITUATIONS = {
    "new_source": {"zh": "排放设施发生变化或使用新燃料、物料产生了新的排放", "en": "emission facilities changed, or a new fuel or material causes new emissions"},
    "better_measurement": {"zh": "采用新的测量仪器和方法，提高了数据的准确度", "en": "new measuring instruments or methods improved data accuracy"},
    "incorrect_data": {"zh": "发现之前采用的测量方法所产生的数据不正确", "en": "the measuring method used so far was found to produce incorrect data"},
    "improves_accuracy": {"zh": "发现修订数据质量控制计划可提高报告数据的准确度", "en": "revising the plan was found to improve the accuracy of reported data"},
    "noncompliant_plan": {"zh": "发现原数据质量控制计划不符合相关行业核算报告指南的要求", "en": "the plan was found not to meet the sector guideline"},
    "authority_request": {"zh": "生态环境部明确的其他需要修订的情况", "en": "another case the Ministry of Ecology and Environment names"},
}


@dataclass(frozen=True)
class Rule:
    severity: str
    zh: str
    en: str
    citation: str


RULES: dict[str, Rule] = {
    "figure.differs": Rule("error", "报告值应与按报告年度核算指南复算的结果一致（按报告值的小数位比较，差值不超过末位半个单位）",
                           "A reported figure must agree with the recomputation under the reporting year's guideline, at its reported decimals (within half a unit of its last decimal)",
                           f"{VERIFY_GUIDE} 4.2.1 文件评审要点"),
    "figure.unknown_place": Rule("observation", "报告值须对应报告中的某一数值", "A reported figure must name a figure of the report",
                                 f"{VERIFY_GUIDE} 4.2.1 文件评审要点"),
    "figure.not_a_number": Rule("error", "报告值须为数字", "A reported figure must be a number", f"{VERIFY_GUIDE} 4.2.1 文件评审要点"),
    "measurement.frequency_below_guideline": Rule(
        "must_correct", "检测频次未达到核算指南要求的实测值不予采纳，应使用指南规定的缺省值",
        "A value measured less often than the guideline requires is not used; the guideline default applies", f"{QA} 问题25"),
    "missing_data.no_plan_procedure": Rule(
        "must_correct", "数据缺失时应按数据质量控制计划中的缺失处理预案获取数据", "Missing data must be handled by the procedure the plan sets for that parameter",
        f"{QA} 问题22、26"),
    "missing_data.not_conservative": Rule(
        "must_correct", "数据缺失处理应符合保守性原则，不得低估排放量", "A substitution for missing data must be conservative: it must not under-estimate emissions",
        f"{QA} 问题22、26（保守性原则）"),
    "missing_data.not_per_plan": Rule(
        "observation", "数据缺失处理应与数据质量控制计划的预案一致", "A substitution should follow the procedure in the plan", f"{QA} 问题26"),
    "value.unit_slip": Rule(
        "error", "数值的单位应与填报单位一致；与缺省值相差约1000倍或约4.1868倍，疑为单位换算错误（kJ/MJ、kcal/kJ）",
        "A value must be in the unit it is reported in; about 1000× or 4.1868× its default reads as a unit slip (kJ vs MJ, kcal vs kJ)",
        f"{HUBEI}：单位转换错误；{QA} 问题42"),
    "value.percent_as_fraction": Rule(
        "observation", "百分数字段填报值不大于 1，而方法学缺省值远高于此：可能把比例当作百分数填报，应核实单位",
        "A percentage of at most 1 where the methodology's defaults are far above it may be a fraction given as a percentage: check the unit",
        f"{HUBEI}：单位转换错误为主要错误来源"),
    "value.implausible": Rule(
        "observation", "实测值与缺省值相差超过一倍（筛查规则，非指南数值），应核实原始记录",
        "A measured value more than a factor of two from its default (a screening rule, not a guideline figure) should be checked against the records",
        f"{HUBEI}：单位转换错误为主要错误来源"),
    "value.outside_fuel_range": Rule(
        "observation", "燃料的低位发热量、含碳量和碳氧化率应在该燃料的物理或文献范围之内；超出时应核实化验报告与单位（范围及其出处见数据）",
        "A fuel's NCV, carbon content and oxidation rate lie within the physical or documented range for that fuel; outside it, "
        "check the assay report and the unit (the range and its source are in the data)",
        "规则集所列范围的出处（见数据）"),
    "intensity.outside_category_range": Rule(
        "observation", "机组的排放强度应在其类别的合理范围之内；超出时应核实燃料、电量与供热数据（范围及其出处见数据）",
        "A unit's emission intensity lies within the plausible range of its category; outside it, check its fuel, "
        "electricity and heat figures (the range and its source are in the data)",
        "规则集所列范围的出处（见数据）"),
    "monthly.jump": Rule(
        "observation", "燃料特性或机组单耗的月度实测值与上月相差超过三倍（筛查规则，非指南数值），应核实原始记录（化验、换表或单位错误）",
        "A measured monthly property or rate (NCV, carbon content, coal rate) more than three times, or under a third of, the previous "
        "month's (a screening rule, not a guideline figure) should be checked against the records: the assay, a meter change, a unit slip",
        f"{SYSTEM}：燃料信息表、购入使用电量表按月填报；{HUBEI}：单位转换错误为主要错误来源"),
    "monthly.sum_mismatch": Rule(
        "must_correct", "年度值应等于各月数值之和", "The annual figure must equal the sum of the monthly figures", f"{SYSTEM}：燃料信息表、购入使用电量表按月填报"),
    "monthly.unweighted_mean": Rule(
        "must_correct", "月度低位发热量等参数应按消耗量加权平均，不得算术平均",
        "Parameters such as the net calorific value are averaged weighted by quantity, not arithmetically",
        f"{SYSTEM}：燃料信息表 填报说明1（加权计算）；同材料“需要加权平均的数据，如：燃料热值”"),
    "monthly.mean_mismatch": Rule(
        "must_correct", "年度值应等于各月数值按消耗量的加权平均", "The annual figure must equal the quantity-weighted mean of the monthly figures",
        f"{SYSTEM}：燃料信息表 填报说明1"),
    "electricity.meter_mismatch": Rule(
        "must_correct", "净购入电量=购入电量−外供电量，应与计量表（结算单）读数一致",
        "Net purchased electricity = purchased − exported, and both must agree with the meters (settlement records)",
        f"{QA} 问题24、37、40"),
    "parameter.wrong_year": Rule(
        "error", "应使用报告年度的参数值（如报告年度的全国电网平均排放因子）", "The parameter value of the reporting year must be used (e.g. that year's national grid factor)",
        "参数在规则集中的依据（见数据）"),
    "parameter.overrides_rule": Rule(
        "must_correct", "核算指南已规定本年度取值的参数，不得自行替换", "A parameter the guideline fixes for the year may not be replaced by the reporter",
        "参数在规则集中的依据（见数据）"),
    "electricity.renewable_contract_factor": Rule(
        "must_correct", "法人边界外购电力不论来源，均使用核算指南规定的电网排放因子；直购可再生能源电力不得降低排放因子",
        "Purchased electricity takes the guideline's grid factor whatever its source; a renewable direct-purchase contract may not lower it",
        f"{QA} 问题38"),
    "plan.absent": Rule("observation", "应依据数据质量控制计划核查数据的获取", "Data are verified against the data quality control plan",
                        f"{VERIFY_GUIDE}；{SYSTEM}：数据质量控制计划"),
    "plan.determination_missing": Rule(
        "must_correct", "数据质量控制计划应写明每个参数的确定方式（方式类型、具体描述、监测设备等）",
        "The plan must state how every parameter is determined (type, description, instrument...)",
        f"{SYSTEM}：数据质量控制计划-数据的确定方式"),
    "plan.priority_lowered": Rule(
        "must_correct", "按优先序选取数据源，之后各核算年度的获取优先序不应降低", "Data sources follow the priority order, and the priority may not fall in later years",
        f"{QA} 问题22、41"),
    "plan.revision_required": Rule(
        "must_correct", "出现六种情形之一时应及时修订数据质量控制计划", "The plan must be revised when one of the six situations occurs",
        f"{QA} 问题21"),
    "evidence.unknown_place": Rule("observation", "佐证数据须对应报告中的某一数值", "Evidence must name a figure of the report", f"{VERIFY_GUIDE} 4.2.1 文件评审要点"),
    "evidence.late_monthly": Rule(
        "observation", "月度信息化存证应在规定期限内上传（期限见履约日历）", "Monthly evidence is uploaded within the deadline (see the compliance calendar)",
        "履约日历所引文件（见数据）"),
}


def finding(code: str, place: str, zh: str, en: str, **data) -> Finding:
    """A finding of the host's check ``code``, with the rule, severity and citation :data:`RULES` gives it."""
    r = RULES[code]
    return Finding(code, place, en, zh, r.severity, {"zh": r.zh, "en": r.en}, data.pop("citation", None) or r.citation,
                   "host", data)


def input_finding(f: Finding) -> Finding:
    """A calculation finding of a submission that cannot be computed, as a verification finding ``input.<code>``."""
    return Finding(f"input.{f.code}", f.place, f.message, f.message_zh or f.message, "error",
                   {"zh": "报告数据须能按核算指南计算", "en": "The report's data must be computable under the guideline"},
                   f"{VERIFY_GUIDE} 4.2.1 文件评审要点")


# -- figures ----------------------------------------------------------------------

def check_reported(ctx) -> list[Finding]:
    out = []
    for c in ctx.comparisons:
        if c.reported is None:
            out.append(finding("figure.not_a_number", f"$.reported['{c.place}']", f"报告值 {c.reported_text!r} 不是数字",
                               f"reported value {c.reported_text!r} is not a number"))
        elif c.verified is None:
            out.append(finding("figure.unknown_place", f"$.reported['{c.place}']", f"报告值位置 {c.place} 在复算结果中不存在",
                               f"the reported place {c.place} is no figure of the recomputed report"))
        elif not c.agrees:
            u = U.display(c.unit)
            share = f"{fmt(c.share)} %" if c.share is not None else "—"
            out.append(finding(
                "figure.differs", c.place,
                f"{c.label['zh']}：报告值 {c.reported_text} {u}，复算值 {c.show(c.verified)} {u}，差值 {c.show(c.difference)}（{share}）",
                f"{c.label['en']}: reported {c.reported_text} {u}, recomputed {c.show(c.verified)} {u}, difference {c.show(c.difference)} ({share})",
                reported=c.reported_text, verified=c.verified, difference=c.difference, share_percent=c.share, tolerance=c.tolerance))
    return out


# -- measurement frequency --------------------------------------------------------

def check_frequency(ctx) -> list[Finding]:
    out = []
    for pr in ctx.result.pages:
        for r in pr.rows:
            for fid, (value, prov) in sorted(r.discarded.items()):
                f = pr.spec.fields[fid]
                need = f.raw.get("min_frequency")
                used = r.values.get(fid)
                unit = U.display(fill(f.raw["unit"], dict(r.binding)))
                cit = f.citation.text() if f.citation else ""
                rule = (r.prov[fid].rule or {}) if fid in r.prov else {}
                out.append(finding(
                    "measurement.frequency_below_guideline", f"$.pages.{pr.spec.id}[{r.index}].{fid}",
                    f"{f.label['zh']} 实测值 {fmt(value)} {unit} 的检测频次为 {prov.frequency}，低于指南要求的 {need}，不予采纳；"
                    f"复算使用 {fmt(used)}（{rule.get('zh', '缺省值')}）",
                    f"{f.label['en']} measured {fmt(value)} {unit} {prov.frequency}, less often than the required {need}: not used; "
                    f"the recomputation uses {fmt(used)} ({rule.get('en', 'the default')})",
                    citation=f"{RULES['measurement.frequency_below_guideline'].citation}" + (f"；{cit}" if cit else ""),
                    given=value, frequency=prov.frequency, required=need, used=used))
    return out


# -- missing data -------------------------------------------------------------------

def plan_entry(plan: dict | None, page: str, fid: str, row: dict):
    """(index, entry) of the plan's determination entry for a field of a row, or (None, None)."""
    if not plan:
        return None, None
    best = (None, None, -1)
    for i, e in enumerate(plan.get("parameters") or []):
        if e.get("page") != page or e.get("field") != fid:
            continue
        match = e.get("match") or {}
        if all(str(row.get(k)) == str(v) for k, v in match.items()) and len(match) > best[2]:
            best = (i, e, len(match))  # the most specific entry wins
    return best[0], best[1]


def _raw_rows(sub: dict):
    for page, rows in (sub.get("pages") or {}).items():
        for i, row in enumerate(rows or []):
            if isinstance(row, dict):
                yield page, i, row


def check_missing_data(ctx) -> list[Finding]:
    out = []
    for page, i, row in _raw_rows(ctx.verified_submission):
        for fid, raw in row.items():
            if not (isinstance(raw, dict) and raw.get("source") == "estimated"):
                continue
            place = f"$.pages.{page}[{i}].{fid}"
            k, entry = plan_entry(ctx.plan, page, fid, row)
            md = (entry or {}).get("missing_data")
            if not md:
                out.append(finding("missing_data.no_plan_procedure", place,
                                   f"{place} 为缺失数据的替代值（{number_text(raw.get('value'))}），但数据质量控制计划没有该参数的缺失处理预案",
                                   f"{place} substitutes missing data ({number_text(raw.get('value'))}) but the plan has no missing-data procedure for it"))
                continue
            variant = copy.deepcopy(ctx.verified_submission)
            vrow = variant["pages"][page][i]
            method = md.get("method")
            if method == "default":
                vrow.pop(fid)
            elif method == "value" and "value" in md:
                vrow[fid] = {"value": md["value"], **({"unit": md["unit"]} if md.get("unit") else {})}
            else:
                continue  # a procedure the engine cannot replay (described in words)
            ref = ctx.recalc(variant)
            if ref is None:
                continue
            got = ctx.row(place)
            used = got[1].values.get(fid) if got else None
            ref_rows = [r for r in ref.page(page).rows if r.index == i]
            ref_value = ref_rows[0].values.get(fid) if ref_rows else None
            if ctx.result.total < ref.total:
                out.append(finding(
                    "missing_data.not_conservative", place,
                    f"替代值 {fmt(used)} 低于计划预案（{method}）的 {fmt(ref_value)}，排放总量少计 {fmt(ref.total - ctx.result.total)} tCO2e",
                    f"the substitute {fmt(used)} is below the plan's ({method}) {fmt(ref_value)}: total emissions under-estimated by {fmt(ref.total - ctx.result.total)} tCO2e",
                    used=used, plan_value=ref_value, plan_entry=f"$.plan.parameters[{k}]", effect=ref.total - ctx.result.total))
            elif used is not None and ref_value is not None and used != ref_value:
                out.append(finding(
                    "missing_data.not_per_plan", place,
                    f"替代值 {fmt(used)} 与计划预案（{method}）的 {fmt(ref_value)} 不同（偏保守）",
                    f"the substitute {fmt(used)} differs from the plan's ({method}) {fmt(ref_value)} (conservatively)",
                    used=used, plan_value=ref_value, plan_entry=f"$.plan.parameters[{k}]"))
    return out


# -- plausibility and unit slips ----------------------------------------------------

#: (what, id of a page spec) -> (the spec, what the check needs of it): worked out from the rules once per page
#: spec rather than once per report (the spec is kept beside, so a reused id cannot match).
_PER_SPEC: dict[tuple, tuple] = {}


def _per_spec(what: str, spec, make):
    got = _PER_SPEC.get((what, id(spec)))
    if got is None or got[1] is not spec:
        got = _PER_SPEC[(what, id(spec))] = (make(spec), spec)
    return got[0]


def _table_field(spec):
    """The page's first field that chooses a row of a table (its fuel...), or None."""
    return next((x for x in spec.fields.values() if x.raw.get("table")), None)


def _default_of(ctx, pr, f, r, table_field=False):
    """The value the field's fallbacks would give this row (column or parameter defaults only);
    ``table_field``: the page's (:func:`_table_field`), when the caller has it already."""
    unit_field = fill(f.raw["unit"], dict(r.binding))
    if table_field is False:
        table_field = _table_field(pr.spec)
    for fb in f.raw.get("fallbacks", []):
        try:
            if "param" in fb and fb["param"] in ctx.result.params:
                pv = ctx.result.params[fb["param"]]
                return pv.value * U.factor(pv.unit, unit_field)
            if "column" in fb and table_field is not None and table_field.id in r.values:
                table = ctx.comp.tables[table_field.raw["table"]][0]
                row = table["rows"][r.values[table_field.id]]
                raw = row.get(fb["column"])
                if raw is None:
                    continue
                col_unit = fill(table["columns"].get(fb["column"], {}).get("unit", unit_field),
                                {k: str(row.get(k)) for k in table["columns"]})
                return to_decimal(raw) * U.factor(col_unit, unit_field)
        except (UnitError, NotANumber, KeyError):
            continue
    return None


def _within(x: Decimal, band) -> bool:
    return band[0] <= x <= band[1]


def _plausible_plan(spec) -> tuple:
    """(the numeric fields with fallbacks, in the page's order; the page's table field)."""
    return [(fid, f) for fid, f in spec.fields.items() if f.numeric and f.raw.get("fallbacks")], _table_field(spec)


_GIVEN = frozenset(("input", "measured", "supplier", "calculated", "estimated"))  # the reporter's own figures
_RATIO_PLACES = Decimal("0.0001")


def check_plausible(ctx) -> list[Finding]:
    out = []
    ctx.slips = set()  # places read as unit slips: the range checks (run after) leave them to this finding
    for pr in ctx.result.pages:
        fields, table_field = _per_spec("plausible", pr.spec, _plausible_plan)
        for fid, f in fields:
            for r in pr.rows:
                prov = r.prov.get(fid)
                if fid not in r.values or prov is None or prov.kind not in _GIVEN:
                    continue
                default = _default_of(ctx, pr, f, r, table_field)
                if not default:
                    continue
                value = r.values[fid]
                ratio = value / default
                slip = None
                if _within(ratio / 1000, SLIP_BAND):
                    slip = ("约为缺省值的1000倍", "about 1000 times the default", "×1000")
                elif _within(ratio * 1000, SLIP_BAND):
                    slip = ("约为缺省值的千分之一", "about a thousandth of the default", "÷1000")
                elif _within(ratio / KCAL, KCAL_BAND) or _within(ratio * KCAL, KCAL_BAND):
                    slip = ("与缺省值相差约4.1868倍（kcal/kJ）", "about 4.1868 times off the default (kcal vs kJ)", "kcal")
                shown_ratio = ratio.quantize(_RATIO_PLACES)
                if not slip and (_within(ratio, PLAUSIBLE_RATIO) or fuel_ranged(ctx.comp, pr.spec, r, fid)):
                    continue  # plausible: no finding, so none of its text is made
                place = f"$.pages.{pr.spec.id}[{r.index}].{fid}"
                unit = U.display(fill(f.raw["unit"], dict(r.binding)))
                data = dict(value=value, unit=unit, default=default, ratio=shown_ratio)
                if slip:
                    shown = f"{fmt(value)} {unit}"
                    given = f"{prov.original[0]} {U.display(prov.original[1])}（{shown}）" if prov.original else shown
                    ctx.slips.add(place)
                    out.append(finding("value.unit_slip", place,
                                       f"{f.label['zh']} {given} {slip[0]} {fmt(default)} {unit}，疑为单位换算错误",
                                       f"{f.label['en']} {given} is {slip[1]} {fmt(default)} {unit}: likely a unit slip",
                                       slip=slip[2], **data))
                else:
                    out.append(finding("value.implausible", place,
                                       f"{f.label['zh']} {fmt(value)} {unit} 与缺省值 {fmt(default)} 之比为 {data['ratio']}，超出筛查范围 {PLAUSIBLE_RATIO[0]}–{PLAUSIBLE_RATIO[1]}",
                                       f"{f.label['en']} {fmt(value)} {unit} is {data['ratio']} times its default {fmt(default)}, outside the screening band {PLAUSIBLE_RATIO[0]}–{PLAUSIBLE_RATIO[1]}",
                                       **data))
    return out


# -- monthly values -----------------------------------------------------------------

def _annual(ctx, place):
    """(text, unit) of the annual figure at ``place``: the reporter's own text when it is an input."""
    got = ctx.row(place)
    fig = ctx.figures.get(place)
    if got:
        pr, r, fid = got
        raw = ctx.raw_value(pr.spec.id, r.index, fid)
        if raw is not None and fid in pr.spec.fields:
            if isinstance(raw, dict):
                return number_text(raw.get("value")), raw.get("unit") or fig.unit
            if not isinstance(raw, list):
                return number_text(raw), fig.unit
    return fmt(fig.value), fig.unit


def _numbers(values, factor):
    return [to_decimal(number_text(v)) * factor for v in values]


def check_monthly(ctx) -> list[Finding]:
    out = []
    monthly = ctx.evidence.get("monthly") or {}
    for place, spec in monthly.items():
        eplace = f"$.evidence.monthly['{place}']"
        fig = ctx.figures.get(place)
        if fig is None:
            out.append(finding("evidence.unknown_place", eplace, f"月度数据对应的 {place} 不存在", f"monthly data names {place}, which is no figure of the report"))
            continue
        text, unit = _annual(ctx, place)
        try:
            months = _numbers(spec["values"], U.factor(spec.get("unit") or unit, unit))
            weights = spec.get("weights")
            if isinstance(weights, str):
                weights = (monthly.get(weights) or {}).get("values")
            weights = _numbers(weights, Decimal(1)) if weights else None
        except (UnitError, NotANumber, KeyError) as exc:
            out.append(finding("evidence.unknown_place", eplace, f"月度数据无法读取：{exc}", f"monthly data cannot be read: {exc}"))
            continue
        label = fig.label
        u = U.display(unit)
        if weights is None:
            total = sum(months, Decimal(0))
            if not agrees(text, total):
                out.append(finding("monthly.sum_mismatch", place,
                                   f"{label['zh']} 年度值 {text} {u} 与各月合计 {fmt(total)} {u} 不一致",
                                   f"{label['en']} annual {text} {u} differs from the sum of the months {fmt(total)} {u}",
                                   annual=text, months_sum=total, months=len(months)))
            continue
        if len(weights) != len(months) or not sum(weights, Decimal(0)):
            out.append(finding("evidence.unknown_place", eplace, "月度数值与权重的个数不一致或权重之和为零",
                               "monthly values and weights differ in number, or the weights sum to zero"))
            continue
        wmean = sum((v * w for v, w in zip(months, weights)), Decimal(0)) / sum(weights, Decimal(0))
        mean = sum(months, Decimal(0)) / len(months)
        if agrees(text, wmean):
            continue
        if agrees(text, mean):
            out.append(finding("monthly.unweighted_mean", place,
                               f"{label['zh']} 年度值 {text} {u} 为各月算术平均；按消耗量加权应为 {fmt(wmean.quantize(Decimal(1).scaleb(to_decimal(text).as_tuple().exponent)))} {u}",
                               f"{label['en']} annual {text} {u} is the arithmetic mean of the months; weighted by quantity it is "
                               f"{fmt(wmean.quantize(Decimal(1).scaleb(to_decimal(text).as_tuple().exponent)))} {u}",
                               annual=text, weighted_mean=wmean, arithmetic_mean=mean))
        else:
            out.append(finding("monthly.mean_mismatch", place,
                               f"{label['zh']} 年度值 {text} {u} 与各月加权平均 {fmt(wmean)} {u} 不一致",
                               f"{label['en']} annual {text} {u} differs from the weighted mean of the months {fmt(wmean)} {u}",
                               annual=text, weighted_mean=wmean))
    return out


# -- electricity --------------------------------------------------------------------

def check_meters(ctx) -> list[Finding]:
    out = []
    for i, m in enumerate(ctx.evidence.get("meters") or []):
        eplace = f"$.evidence.meters[{i}]"
        row_place = m.get("row", "")
        got = ctx.row(row_place + ".x")
        if got is None:
            out.append(finding("evidence.unknown_place", eplace, f"计量数据对应的行 {row_place} 不存在", f"meter readings name row {row_place}, which does not exist"))
            continue
        pr, r, _ = got
        diffs, net_m, net_r = {}, Decimal(0), Decimal(0)
        for fid, raw in m.items():
            if fid in ("row", "unit", "note", "source"):
                continue
            f = pr.spec.fields.get(fid)
            if f is None or not f.numeric:
                continue
            unit = fill(f.raw["unit"], dict(r.binding))
            text = number_text(raw)
            try:
                meter = to_decimal(text) * U.factor(m.get("unit") or unit, unit)
            except (UnitError, NotANumber):
                continue
            have = r.values.get(fid, Decimal(0))
            sign = -1 if fid == "exported" else 1
            net_m += sign * meter
            net_r += sign * have
            if abs(have - meter) > tolerance(text) * U.factor(m.get("unit") or unit, unit):
                diffs[fid] = {"report": fmt(have), "meters": fmt(meter)}
        if diffs:
            names = "、".join(pr.spec.fields[k].label["zh"] for k in diffs)
            names_en = ", ".join(pr.spec.fields[k].label["en"].lower() for k in diffs)
            out.append(finding("electricity.meter_mismatch", row_place,
                               f"{names}与计量表读数不一致：报告净购入 {fmt(net_r)}，按表计应为 {fmt(net_m)}",
                               f"{names_en} disagree with the meters: net purchased reported {fmt(net_r)}, by the meters {fmt(net_m)}",
                               fields=diffs, net_report=net_r, net_meters=net_m))
    return out


def tolerance(text: str) -> Decimal:
    return tolerance_of(text)


def check_contracts(ctx) -> list[Finding]:
    out = []
    grid = ctx.result.params.get("grid_ef")
    for i, c in enumerate(ctx.evidence.get("contracts") or []):
        if c.get("kind") != "renewable_direct_purchase" or c.get("claimed_factor") is None:
            continue
        try:
            claimed = to_decimal(number_text(c["claimed_factor"]))
        except NotANumber:
            continue
        if grid is not None and claimed >= grid.value:
            continue
        g = fmt(grid.value) if grid else "—"
        out.append(finding("electricity.renewable_contract_factor", f"$.evidence.contracts[{i}]",
                           f"直购可再生能源电力合同（{c.get('counterparty', '')}）按排放因子 {fmt(claimed)} 计算，应使用电网排放因子 {g} tCO2/MWh",
                           f"the renewable direct-purchase contract ({c.get('counterparty', '')}) is counted at {fmt(claimed)}; the grid factor {g} tCO2/MWh applies",
                           claimed=claimed, grid_factor=g))
    return out


# -- parameters of the year ---------------------------------------------------------

def _param_value(raw, param):
    value, unit = (raw.get("value"), raw.get("unit", param.unit)) if isinstance(raw, dict) else (raw, param.unit)
    return to_decimal(number_text(value)) * U.factor(unit, param.unit)


def params_used(figures: dict, place: str, seen=None) -> set:
    """Names of every operand a formula figure depends on, through the row's other formulas."""
    seen = set() if seen is None else seen
    fig = figures.get(place)
    if fig is None or fig.node is None or place in seen:
        return set()
    seen.add(place)
    names = set()
    prefix = place.rsplit(".", 1)[0]
    for op in fig.node.operands:
        names.add(op.name)
        if op.kind == "computed":
            names |= params_used(figures, f"{prefix}.{op.name}", seen)
    return names


def check_parameters(ctx) -> list[Finding]:
    out = []
    year = ctx.year
    for name, raw in sorted(ctx.removed_overrides.items()):
        param = ctx.comp.parameters[name][0]
        right = rule_value(ctx.comp, name, year, ctx.submission)
        try:
            given = _param_value(raw, param)
        except (NotANumber, UnitError):
            continue
        if given == right.value:
            continue
        years = sorted({y for y, v in year_values(ctx.comp, name, ctx.submission) if v == given and y != year})
        cit = right.citation.text() if right.citation else ""
        place = f"$.parameters.{name}"
        u = U.display(param.unit)
        if years:
            ys = "、".join(map(str, years))
            out.append(finding("parameter.wrong_year", place,
                               f"{param.label['zh']} 使用了 {ys} 年度的 {fmt(given)} {u}；{year} 年度应为 {fmt(right.value)} {u}，复算已按后者",
                               f"{param.label['en']} uses the {', '.join(map(str, years))} value {fmt(given)} {u}; {year} takes {fmt(right.value)} {u}, used in the recomputation",
                               citation=cit, given=given, year_value=right.value, matches_years=years))
        else:
            out.append(finding("parameter.overrides_rule", place,
                               f"{param.label['zh']} 自行取 {fmt(given)} {u}；{year} 年度规则为 {fmt(right.value)} {u}，复算已按后者",
                               f"{param.label['en']} replaced by {fmt(given)} {u}; the {year} rule is {fmt(right.value)} {u}, used in the recomputation",
                               citation=cit, given=given, year_value=right.value))
    # Reported figures that hold only with another year's value of a parameter.
    differing = [c for c in ctx.comparisons if not c.agrees and c.verified is not None and c.reported is not None]
    if not differing:
        return out
    used = set()
    for c in differing:
        used |= params_used(ctx.figures, c.place)
    for name in sorted(used):
        if name not in ctx.comp.parameters or name in ctx.removed_overrides:
            continue
        param = ctx.comp.parameters[name][0]
        right = rule_value(ctx.comp, name, year, ctx.submission)
        values = year_values(ctx.comp, name, ctx.submission)
        if right is None or not values:
            continue
        by_value: dict = {}
        for y, v in values:
            if y != year and v != right.value and y not in by_value.get(v, []):
                by_value.setdefault(v, []).append(y)
        for value, years in by_value.items():
            variant = copy.deepcopy(ctx.verified_submission)
            variant.setdefault("parameters", {})[name] = {"value": fmt(value), "unit": param.unit}
            res = ctx.recalc(variant)
            if res is None:
                continue
            figs = figures_of(res)
            held = [c.place for c in differing if c.place in figs and agrees(c.reported_text, figs[c.place].value)
                    and name in params_used(figs, c.place)]
            if held:
                ys = "、".join(map(str, years))
                u = U.display(param.unit)
                cit = right.citation.text() if right.citation else ""
                out.append(finding("parameter.wrong_year", held[0],
                                   f"报告值按 {ys} 年度的{param.label['zh']} {fmt(value)} {u} 计算（{', '.join(held)}）；{year} 年度应为 {fmt(right.value)} {u}",
                                   f"the reported figure(s) {', '.join(held)} hold with the {', '.join(map(str, years))} {param.label['en'].lower()} {fmt(value)} {u}; "
                                   f"{year} takes {fmt(right.value)} {u}",
                                   citation=cit, given=value, year_value=right.value, matches_years=years, places=held))
    return out


# -- the monitoring plan ------------------------------------------------------------

def _rank(entry: dict, field) -> tuple[str, int] | None:
    prio = (field.raw.get("priority") if field is not None else None) or []
    if entry.get("basis") in prio:
        return "priority", prio.index(entry["basis"])
    if entry.get("source") in SOURCE_LADDER:
        return "ladder", SOURCE_LADDER.index(entry["source"])
    return None


def _field(ctx, page, fid):
    try:
        return ctx.comp.page(page).fields.get(fid)
    except KeyError:
        return None


def _shown(ctx, field, value, lang: str) -> str:
    """A row's value as the form shows it: a choice by its label, anything else as given."""
    label = (field.raw.get("choice_labels") or {}).get(value)
    if label is None and field.raw.get("table") in ctx.comp.tables:
        label = ctx.comp.tables[field.raw["table"]][0]["rows"].get(value, {}).get("label")
    return label[lang] if isinstance(label, dict) else str(value)


def _situation(code: str, situation: str, place: str, zh: str, en: str, **data) -> Finding:
    s = SITUATIONS[situation]
    return finding(code, place, f"应修订数据质量控制计划（情形：{s['zh']}）：{zh}", f"the plan must be revised ({s['en']}): {en}",
                   situation=situation, **data)


def check_plan(ctx) -> list[Finding]:
    plan = ctx.plan
    if plan is None:
        return [finding("plan.absent", "$.plan", "提交的数据未附数据质量控制计划，无法核对数据获取方式",
                        "no data quality control plan is attached: how the data were obtained cannot be checked")]
    out = []
    entries = plan.get("parameters") or []
    raw_pages = ctx.submission.get("pages") or {}
    # Every parameter has a determination method.
    missing = {}
    for pr in ctx.result.pages:
        raw_rows = raw_pages.get(pr.spec.id) or []
        for r in pr.rows:
            raw = raw_rows[r.index] if r.index < len(raw_rows) else {}
            for fid, f in pr.spec.fields.items():
                if not f.numeric or (fid not in r.values and fid not in r.discarded):
                    continue
                _, e = plan_entry(plan, pr.spec.id, fid, raw)
                if e is None or not e.get("source"):
                    missing.setdefault((pr.spec.id, fid), []).append(r.index)
    for (page, fid), rows in sorted(missing.items()):
        f = ctx.comp.page(page).fields[fid]
        out.append(finding("plan.determination_missing", "$.plan.parameters",
                           f"{ctx.comp.page(page).title['zh']} 的 {f.label['zh']}（{fid}，第 {', '.join(map(str, rows))} 行）在计划中没有确定方式",
                           f"{f.label['en']} ({fid}) on the page {ctx.comp.page(page).title['en']} (rows {', '.join(map(str, rows))}) has no determination method in the plan",
                           page=page, field=fid, rows=rows))
    # The priority of a data source may not fall against last year's plan.
    prev = ctx.previous_plan
    if prev:
        for i, e in enumerate(entries):
            for pe in prev.get("parameters") or []:
                if (pe.get("page"), pe.get("field"), pe.get("match") or {}) != (e.get("page"), e.get("field"), e.get("match") or {}):
                    continue
                f = _field(ctx, e.get("page"), e.get("field"))
                now, before = _rank(e, f), _rank(pe, f)
                if now and before and now[0] == before[0] and now[1] > before[1]:
                    what = (lambda x: x.get("basis") if now[0] == "priority" else x.get("source"))
                    label = f.label if f is not None else {"zh": e.get("field"), "en": e.get("field")}
                    out.append(finding("plan.priority_lowered", f"$.plan.parameters[{i}]",
                                       f"{label['zh']} 的数据来源由上一年度计划的 {what(pe)} 降为 {what(e)}",
                                       f"{label['en']}: the data source falls from {what(pe)} (last year's plan) to {what(e)}",
                                       before=what(pe), now=what(e)))
    # The six situations in which the plan must be revised.
    sources = plan.get("emission_sources")
    for pr in ctx.result.pages:
        if pr.spec.role == "supplementary":
            continue
        raw_rows = raw_pages.get(pr.spec.id) or []
        for r in pr.rows:
            raw = raw_rows[r.index] if r.index < len(raw_rows) else {}
            place = f"$.pages.{pr.spec.id}[{r.index}]"
            if sources is not None and not any(s.get("page") == pr.spec.id and all(str(raw.get(k)) == str(v) for k, v in (s.get("match") or {}).items())
                                               for s in sources):
                keys = [k for k, v in raw.items() if not isinstance(v, (dict, list)) and k in pr.spec.fields and not pr.spec.fields[k].numeric]
                ident = {lang: ("，" if lang == "zh" else ", ").join(
                    f"{pr.spec.fields[k].label[lang]} {_shown(ctx, pr.spec.fields[k], raw[k], lang)}" for k in keys) for lang in ("zh", "en")}
                out.append(_situation("plan.revision_required", "new_source", place,
                                      f"{ident['zh']} 不在计划的排放源清单中", f"{ident['en']} is not among the plan's emission sources"))
            for fid, f in pr.spec.fields.items():
                prov = r.prov.get(fid)
                if not f.numeric or prov is None or prov.kind != "measured":
                    continue
                k, e = plan_entry(plan, pr.spec.id, fid, raw)
                if e is not None and e.get("source") == "default":
                    out.append(_situation("plan.revision_required", "better_measurement", f"{place}.{fid}",
                                          f"{f.label['zh']} 已使用实测值，而计划规定取缺省值（$.plan.parameters[{k}]）",
                                          f"{f.label['en']} is measured now while the plan says default ($.plan.parameters[{k}])"))
    for i, e in enumerate(entries):
        f = _field(ctx, e.get("page"), e.get("field"))
        if f is None:
            continue
        need = f.raw.get("min_frequency")
        freq = e.get("frequency")
        if e.get("source") == "measured" and need and freq in FREQUENCIES and FREQUENCIES.index(freq) > FREQUENCIES.index(need):
            out.append(_situation("plan.revision_required", "noncompliant_plan", f"$.plan.parameters[{i}]",
                                  f"{f.label['zh']} 计划检测频次 {freq} 低于指南要求 {need}",
                                  f"{f.label['en']} is planned {freq}, less often than the guideline's {need}", frequency=freq, required=need))
        prio = f.raw.get("priority")
        if prio and e.get("basis") and e["basis"] not in prio:
            out.append(_situation("plan.revision_required", "noncompliant_plan", f"$.plan.parameters[{i}]",
                                  f"{f.label['zh']} 的数据来源 {e['basis']} 不在指南的优先序 {', '.join(prio)} 中",
                                  f"{f.label['en']} source {e['basis']} is not in the guideline's order {', '.join(prio)}"))
    revisions = plan.get("revisions") or []
    for i, ev in enumerate(plan.get("events") or []):
        sit = ev.get("situation")
        if sit not in SITUATIONS:
            continue
        date = str(ev.get("date", ""))
        done = any(sit in (rv.get("situations") or []) and str(rv.get("date", "")) >= date for rv in revisions)
        if not done:
            out.append(_situation("plan.revision_required", sit, f"$.plan.events[{i}]",
                                  f"{date} {ev.get('description', '')}，其后没有相应的计划修订".strip(),
                                  f"{date} {ev.get('description', '')}: no plan revision covers it".strip(), date=date))
    return out


def check_late_monthly(ctx) -> list[Finding]:
    """Each monthly evidence upload against the calendar's deadline for that month: the province's
    calendar where the enterprise names one with data, else the national one."""
    out = []
    province = (ctx.submission.get("enterprise") or {}).get("province")
    sector = ctx.submission.get("sector", "")
    for i, d in enumerate(ctx.evidence.get("deposits") or []):
        found = monthly_deadline(ctx.year, d["month"], province, sector)
        if found is None:
            continue
        deadline, event = found
        try:
            submitted = _date.fromisoformat(d["submitted"])
        except ValueError:
            out.append(finding("evidence.unknown_place", f"$.evidence.deposits[{i}].submitted", f"日期 {d['submitted']} 无效",
                               f"{d['submitted']} is not a date"))
            continue
        if submitted > deadline:
            late = (submitted - deadline).days
            unit = f"{d['unit']} " if d.get("unit") else ""
            out.append(finding("evidence.late_monthly", f"$.evidence.deposits[{i}]",
                               f"{unit}{ctx.year}年{d['month']}月存证于 {submitted} 上传，晚于期限 {deadline} {late} 天",
                               f"{unit}{ctx.year}-{d['month']:02d} evidence uploaded {submitted}, {late} day(s) after the deadline {deadline}",
                               citation=event.citation + ("" if event.verified else " [未核实 UNVERIFIED]"),
                               month=d["month"], submitted=str(submitted), deadline=str(deadline), days_late=late))
    return out


#: Month-to-month factor beyond which a measured figure is shown (a screening rule, not a guideline figure).
MONTHLY_JUMP = Decimal(3)
_MEASURED = ("input", "measured", "supplier", "calculated", "estimated")
_JUMP_PLACES = Decimal("0.01")


def _jump_plan(spec) -> tuple:
    """(whether the page is kept by month, its other keys, its numeric fields whose unit is a unit per unit)."""
    keys = spec.raw.get("keys", [])
    return ("month" in keys, [k for k in keys if k != "month"],
            [(fid, f) for fid, f in spec.fields.items() if f.numeric and "/" in f.raw.get("unit", "")])


def check_monthly_jump(ctx) -> list[Finding]:
    """On pages kept by month (``month`` among their keys), each measured property or rate (a unit
    per unit: NCV in GJ/t, carbon content in tC/t, coal rate in t/MWh) against the same row's
    previous month (same unit, fuel...): more than :data:`MONTHLY_JUMP` times either way.
    Quantities (coal burnt, heat supplied) are left out: they swing with seasons and outages."""
    out = []
    for pr in ctx.result.pages:
        monthly, others, rates = _per_spec("monthly_jump", pr.spec, _jump_plan)
        if not monthly or not rates:
            continue  # not kept by month, or nothing on it measured per unit: no pair of months to compare
        series: dict = {}
        for r in pr.rows:
            try:
                month = int(r.values.get("month"))
            except (TypeError, ValueError):
                continue
            series.setdefault(tuple(str(r.values.get(k)) for k in others), {})[month] = r
        for months in series.values():
            for m, rb in sorted(months.items()):
                ra = months.get(m - 1)
                if ra is None:
                    continue
                for fid, f in rates:
                    pa, pb = ra.prov.get(fid), rb.prov.get(fid)
                    if pa is None or pb is None or pa.kind not in _MEASURED or pb.kind not in _MEASURED:
                        continue
                    a, b = ra.values.get(fid), rb.values.get(fid)
                    if not isinstance(a, Decimal) or not isinstance(b, Decimal) or a <= 0 or b <= 0:
                        continue
                    ratio = b / a
                    if ratio > MONTHLY_JUMP or ratio * MONTHLY_JUMP < 1:
                        unit = U.display(fill(f.raw["unit"], dict(rb.binding)))
                        shown = ratio.quantize(_JUMP_PLACES)
                        out.append(finding(
                            "monthly.jump", f"$.pages.{pr.spec.id}[{rb.index}].{fid}",
                            f"{f.label['zh']} {m}月 {fmt(b)} {unit} 为上月 {fmt(a)} {unit} 的 {shown} 倍，超出筛查范围（{MONTHLY_JUMP}倍）",
                            f"{f.label['en']} of month {m}, {fmt(b)} {unit}, is {shown} times month {m - 1}'s {fmt(a)} {unit}, "
                            f"beyond the screening factor {MONTHLY_JUMP}",
                            month=m, value=b, previous=a, ratio=shown))
    return out


_BASIS = {"physical": ("物理范围", "physical range"), "documented": ("文献范围", "documented range"),
          "derived": ("推算范围", "derived range")}


def _range_findings(ctx, kind: str, code: str) -> list[Finding]:
    out = []
    slips = getattr(ctx, "slips", set())
    for j in outside_ranges(ctx.result, kind):
        rng = j.range
        if j.place in slips:
            continue  # a unit slip is the better explanation, and already an error
        side_zh, side_en = ("低于", "below") if rng.low is not None and j.value < rng.low else ("高于", "above")
        bz, be = _BASIS[rng.basis]
        cite = rng.citation.text() if rng.citation else ""
        if not rng.verified:
            cite += " [未核实 UNVERIFIED]"
        what_zh = f"{j.row_label['zh']}的{j.label['zh']}"
        what_en = f"{j.label['en']} of {j.row_label['en']}"
        out.append(finding(
            code, j.place,
            f"{what_zh} {j.shown} {side_zh}{rng.label['zh']}的{bz} {rng.text()}，应核实",
            f"{what_en}, {j.shown}, is {side_en} the {be} of {rng.label['en']}, {rng.text()}: check it",
            citation=cite, range=rng.id, ruleset=rng.ruleset, table_row=j.table_row, value=j.value,
            min=rng.low, max=rng.high, unit=U.display(rng.unit), basis=rng.basis, verified=rng.verified,
            **({"note": rng.note} if rng.note else {})))
    return out


def check_fuel_ranges(ctx) -> list[Finding]:
    """A measured NCV, carbon content or oxidation rate outside the range the rules give its fuel."""
    return _range_findings(ctx, "fuel", "value.outside_fuel_range")


def check_intensity_ranges(ctx) -> list[Finding]:
    """A unit's emission intensity outside the range the rules give its category."""
    return _range_findings(ctx, "intensity", "intensity.outside_category_range")


def check_percent(ctx) -> list[Finding]:
    """The calculation's ``percent_as_fraction`` warnings, as the verifier's observations."""
    return [finding("value.percent_as_fraction", f.place, f.message_zh, f.message, **f.data)
            for f in ctx.result.findings if f.code == "percent_as_fraction"]


HOST_CHECKS = [check_reported, check_frequency, check_missing_data, check_plausible, check_percent, check_monthly,
               check_monthly_jump, check_fuel_ranges, check_intensity_ranges,
               check_meters, check_contracts, check_parameters, check_plan, check_late_monthly]


# -- sector plugins ------------------------------------------------------------------

#: A plugin's severities as a verification report names them: its warnings are observations.
_VERIFY_SEVERITY = {"error": "error", "must_correct": "must_correct", "warning": "observation", "observation": "observation"}


def plugin_findings(engine, sector: str, result) -> list[Finding]:
    """The findings of the checks the sector's plugin registers through ``mrv_checks``, as a
    verification report shows them: codes prefixed by the sector, warnings as observations."""
    out = []
    for f in engine.host.run_checks(sector, result):
        code = f.code if "." in f.code else f"{sector}.{f.code}"  # plugin codes are namespaced by their sector
        out.append(replace(f, code=code, severity=_VERIFY_SEVERITY[f.severity], message_zh=f.message_zh or f.message,
                           rule=f.rule or {"zh": "", "en": ""}))
    return out
