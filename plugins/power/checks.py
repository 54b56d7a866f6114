"""Checks of the power sector that data cannot express.

Each check takes a calculated :class:`~mrv_engine.plugin.Result` and yields
findings (``code, severity, place, message, message_zh, citation``). The rules
they apply come from the governing ruleset where they are data (the merged-unit
type table ``merge_type_rules``); what is code here is only the comparison.

Rules (全国碳排放数据报送系统填报说明（2021年培训材料）, 数据质量控制计划-机组信息 / 排放报告):
- units may be reported merged (合并填报) only when output, pressure, capacity
  class, boiler type and turbine-exhaust cooling are the same;
- the merged unit shows the type, sub-type and fuel type the combination rules
  give, and the largest member's capacity;
- the report's units are the plan's units, which cannot be merged or split again;
- purchased electricity not metered per unit is split equally by the number of units.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

SEED = {"doc": "system-2021", "clause": "数据质量控制计划-机组信息 合并填报"}
COMPATIBLE = ("output", "pressure", "capacity_class", "boiler_type", "cooling")
TYPE_CLASS = {"coal": "coal", "gas": "gas", "oil": "other", "igcc": "other", "other": "other"}
FUEL_OF_TYPE = {"coal": "coal", "gas": "gas"}


def _cite(result, clause: str) -> str:
    c = result.comp.ruleset.citation({"doc": SEED["doc"], "clause": clause})
    return c.text() if c else clause


_MERGE = ("合并填报仅限出力类型、压力参数、容量等级、锅炉类型和汽轮机排汽冷却方式均相同的机组",
          "Units may be reported merged only when output type, pressure, capacity class, boiler type and turbine-exhaust cooling are the same")
_COMBINE = ("合并填报机组的机组类型、类型细分和燃料类型按组合规则显示，装机容量取成员中最大者",
            "A merged unit shows the type, sub-type and fuel type the combination rules give, and its largest member's capacity")
_PLAN = ("报告的机组应为数据质量控制计划中的机组，计划中的机组不得再次合并或拆分",
         "The report's units are the plan's units, which cannot be merged or split again")
_SPLIT = ("未分机组计量的购入电量按机组数平均分摊", "Purchased electricity not metered per unit is split equally across the units")
_HEAT = ("供热比为供热量占锅炉总产热量的比例，年度值由各月数据计算", "The heat-supply ratio is heat supplied over the boilers' heat production; the annual figure follows from the months")
_METHOD = ("确定方式表应与燃料信息表所用数据一致；检测频次低于指南要求的实测值不予采纳",
           "The determination-method table must match the data the fuel table uses; a value measured less often than required is not used")
#: The rule each finding of this module applies (zh, en), so a verification report shows it next to the finding.
RULES = {
    "merged_member_in_plan": _PLAN, "plan_unit_not_reported": _PLAN,
    "merged_without_members": _MERGE, "members_of_unmerged_unit": _MERGE, "merge_incompatible": _MERGE, "merge_attribute": _MERGE,
    "merge_type": _COMBINE, "merge_subtype": _COMBINE, "merge_fuel_type": _COMBINE, "merge_capacity": _COMBINE,
    "electricity_split_total": _SPLIT, "electricity_split_count": _SPLIT,
    "heat_ratio_inconsistent": _HEAT, "heat_ratio_year_partial": _HEAT,
    "method_vs_value": _METHOD, "method_frequency": _METHOD,
}


#: The clause of the national reporting system's form notes each finding cites, where it is not the merged-units clause (SEED).
CLAUSES = {
    "merge_type": "数据质量控制计划-机组信息 机组类型",
    "merge_subtype": "数据质量控制计划-机组信息 燃煤机组类型细分",
    "merge_capacity": "数据质量控制计划-机组信息 装机容量显示合并填报机组中的最大装机容量",
    "plan_unit_not_reported": "数据质量控制计划-机组信息 填报报告中的机组应按监测计划机组信息表中的机组进行填报",
    "electricity_split_total": "购入使用电量表 填表说明1",
    "electricity_split_count": "购入使用电量表 填表说明1 按机组数目平分",
    "heat_ratio_inconsistent": "生产数据表 供热量、供热比", "heat_ratio_year_partial": "生产数据表 供热量、供热比",
    "method_vs_value": "排放报告-确定方式表", "method_frequency": "排放报告-确定方式表",
}
#: Findings that do not refuse the report: the data may be right, a verifier should look.
WARNINGS = {"heat_ratio_year_partial", "method_vs_value", "method_frequency"}


def _finding(result, code, place, en, zh) -> dict:
    out = {"code": code, "severity": "warning" if code in WARNINGS else "error", "place": place,
           "message": en, "message_zh": zh, "citation": _cite(result, CLAUSES.get(code, SEED["clause"]))}
    if code in RULES:
        out["rule"] = {"zh": RULES[code][0], "en": RULES[code][1]}
    return out


def _rows(result, page_id):
    try:
        return result.page(page_id).rows
    except KeyError:
        return []


def _label(result, page_id, field_id, lang="en"):
    return result.page(page_id).spec.fields[field_id].label[lang]


def _page(result, page_id, lang="en"):
    """A page as the form names it (its title), never its id."""
    return result.comp.page(page_id).title[lang]


def _choice(result, page_id, field_id, value, lang="en"):
    """A choice as the form shows it (its label), the value itself when it has none."""
    raw = result.comp.page(page_id).fields[field_id].raw
    label = (raw.get("choice_labels") or {}).get(value)
    return label[lang] if isinstance(label, dict) else str(value)


def combine(rules: dict, values: list[str]) -> str | None:
    """The value a merged unit shows for ``values`` of its members, by the rules table."""
    pairs = {}
    for row in rules.values():
        pairs[(row["a"], row["b"])] = row["shows"]
        pairs[(row["b"], row["a"])] = row["shows"]
    if not values:
        return None
    acc = values[0]
    for v in values[1:]:
        acc = pairs.get((acc, v))
        if acc is None:
            return None
    return acc


def check_merged_units(result) -> Iterator[dict]:
    rules = result.comp.tables["merge_type_rules"][0]["rows"]
    plan = _rows(result, "plan_units")
    members = _rows(result, "merge_members")
    by_unit = {r.values.get("unit"): r for r in plan}
    groups: dict = {}
    for m in members:
        groups.setdefault(m.values.get("unit"), []).append(m)
    for m in members:
        if m.values.get("member") in by_unit:
            yield _finding(
                result, "merged_member_in_plan", f"$.pages.merge_members[{m.index}].member",
                f"unit {m.values['member']!r} is a member of merged unit {m.values['unit']!r} and also a unit of its own in the plan: "
                "a unit of the plan cannot be merged or split again",
                f"机组 {m.values['member']} 已合并填报为 {m.values['unit']}，不能再单独填报（无法再次合并和拆分）")
    for name, r in by_unit.items():
        place = f"$.pages.plan_units[{r.index}]"
        ms = groups.get(name, [])
        merged = r.values.get("merged") == "yes"
        if merged and len(ms) < 2:
            yield _finding(result, "merged_without_members", place,
                                f"unit {name!r} is marked as merged but has {len(ms)} member(s) on the page {_page(result, 'merge_members')}; a merged unit has two or more",
                                f"机组 {name} 标为合并填报，但合并填报成员少于两台")
            continue
        if not merged:
            if ms:
                yield _finding(result, "members_of_unmerged_unit", f"$.pages.merge_members[{ms[0].index}]",
                                    f"unit {name!r} has members on the page {_page(result, 'merge_members')} but is not marked as merged",
                                    f"机组 {name} 有合并填报成员，但未标为合并填报")
            continue
        for attr in COMPATIBLE:
            values = {m.values.get(attr) for m in ms}
            if len(values) > 1:
                detail = {lang: ("，" if lang == "zh" else ", ").join(
                    f"{m.values['member']}: {_choice(result, 'merge_members', attr, m.values.get(attr), lang)}" for m in ms)
                    for lang in ("zh", "en")}
                yield _finding(
                    result, "merge_incompatible", place,
                    f"merged unit {name!r}: members differ in {_label(result, 'merge_members', attr).lower()} ({detail['en']}); "
                    "units may be merged only with the same output, pressure, capacity class, boiler type and cooling",
                    f"合并填报机组 {name} 的成员{_label(result, 'merge_members', attr, 'zh')}不同（{detail['zh']}），不符合合并填报条件")
            elif r.values.get(attr) not in values:
                yield _finding(
                    result, "merge_attribute", f"{place}.{attr}",
                    f"merged unit {name!r} gives {_label(result, 'plan_units', attr).lower()} {_choice(result, 'plan_units', attr, r.values.get(attr))!r} "
                    f"but its members have {_choice(result, 'merge_members', attr, next(iter(values)))!r}",
                    f"合并填报机组 {name} 的{_label(result, 'plan_units', attr, 'zh')}与成员不一致")
        types = [TYPE_CLASS[m.values["unit_type"]] for m in ms]
        shown = combine(rules, types)
        declared = r.values.get("unit_type")
        if shown is not None and TYPE_CLASS.get(declared) != shown:
            yield _finding(
                result, "merge_type", f"{place}.unit_type",
                f"merged unit {name!r} must show unit type {shown!r} (members {', '.join(types)}), not {declared!r}",
                f"合并填报机组 {name} 的机组类型应显示为 {_choice(result, 'plan_units', 'unit_type', shown, 'zh')}")
        if shown == "coal":
            subs = [m.values.get("subtype") for m in ms if TYPE_CLASS[m.values["unit_type"]] == "coal"]
            sub = combine(rules, subs) if all(subs) else None
            if sub is not None and r.values.get("subtype") != sub:
                yield _finding(
                    result, "merge_subtype", f"{place}.subtype",
                    f"merged unit {name!r} must show sub-type {sub!r} (coal members {', '.join(subs)}), not {r.values.get('subtype')!r}",
                    f"合并填报机组 {name} 的机组类型细分应显示为 {_choice(result, 'plan_units', 'subtype', sub, 'zh')}")
        elif shown == "gas" and r.values.get("subtype") not in (None, "none"):
            yield _finding(result, "merge_subtype", f"{place}.subtype",
                                f"merged unit {name!r} shows gas, whose sub-type is '/' (none), not {r.values.get('subtype')!r}",
                                f"合并填报机组 {name} 为燃气机组，类型细分显示 /")
        fuel = FUEL_OF_TYPE.get(shown)
        if fuel and r.values.get("fuel_type") != fuel:
            yield _finding(result, "merge_fuel_type", f"{place}.fuel_type",
                                f"merged unit {name!r} shows type {shown!r}, so its generation fuel type is {fuel!r}, not {r.values.get('fuel_type')!r}",
                                f"合并填报机组 {name} 的发电燃料类型应为 {_choice(result, 'plan_units', 'fuel_type', fuel, 'zh')}")
        largest = max(m.values["capacity"] for m in ms)
        if r.values.get("capacity") != largest:
            yield _finding(result, "merge_capacity", f"{place}.capacity",
                                f"merged unit {name!r} must show the largest member's capacity {largest} MW, not {r.values.get('capacity')} MW",
                                f"合并填报机组 {name} 的装机容量应为成员中的最大装机容量 {largest} MW")


def check_report_units(result) -> Iterator[dict]:
    """Every unit of the plan is reported, on the fuel and production tables."""
    plan = {r.values.get("unit"): r for r in _rows(result, "plan_units")}
    fuel_units = {r.values.get("unit") for p in ("fuel_t", "fuel_gas") for r in _rows(result, p)}
    prod_units = {r.values.get("unit") for r in _rows(result, "production")}
    for name, r in plan.items():
        for have, pages in ((fuel_units, ("fuel_t", "fuel_gas")), (prod_units, ("production",))):
            if name not in have:
                where = {lang: ("、" if lang == "zh" else " or ").join(_page(result, p, lang) for p in pages) for lang in ("zh", "en")}
                yield _finding(result, "plan_unit_not_reported", f"$.pages.plan_units[{r.index}]",
                                    f"unit {name!r} of the plan has no rows on the {where['en']}: the report's units are the plan's units",
                                    f"质量控制计划中的机组 {name} 在报告中未填报（{where['zh']}）")


def check_electricity_split(result) -> Iterator[dict]:
    """Plant purchased electricity split equally: the same plant figure and count in every row of a month."""
    by_month: dict = {}
    for r in _rows(result, "electricity"):
        if r.values.get("metering") == "plant_split":
            by_month.setdefault(r.values.get("month"), []).append(r)
    for month, rows in sorted(by_month.items()):
        totals = {r.values.get("plant_purchased") for r in rows}
        counts = {r.values.get("units_sharing") for r in rows}
        if len(totals) > 1:
            yield _finding(result, "electricity_split_total", f"$.pages.electricity[{rows[0].index}].plant_purchased",
                                f"month {month}: the units splitting plant electricity give different plant totals ({', '.join(sorted(map(str, totals)))} MWh)",
                                f"{month}月：平分全厂购入电量的各机组填报的全厂电量不一致")
        if counts != {Decimal(len(rows))}:
            yield _finding(result, "electricity_split_count", f"$.pages.electricity[{rows[0].index}].units_sharing",
                                f"month {month}: {len(rows)} unit(s) split the plant electricity but units_sharing says {', '.join(sorted(map(str, counts)))}",
                                f"{month}月：平分机组数与实际平分的机组数（{len(rows)}）不符")


def check_heat(result) -> Iterator[dict]:
    """Heat supplied and heat-supply ratio must both be zero or both positive."""
    for r in _rows(result, "production"):
        hs, hr = r.values.get("heat_supply", Decimal(0)), r.values.get("heat_ratio", Decimal(0))
        if (hs > 0) != (hr > 0):
            yield _finding(result, "heat_ratio_inconsistent", f"$.pages.production[{r.index}]",
                                f"unit {r.values.get('unit')!r} month {r.values.get('month')}: heat supplied {hs} GJ with heat-supply ratio {hr} %; "
                                "both are zero or both positive",
                                f"机组 {r.values.get('unit')} {r.values.get('month')}月：供热量与供热比须同为零或同为正")



def check_heat_year(result) -> Iterator[dict]:
    """Warn where a unit supplies heat in some generating months but not in others.

    The annual heat-supply ratio is annual heat supplied / annual heat produced, and heat
    produced is only known through a month's ratio (heat supplied / ratio). A generating
    month without heat supply has ratio 0, so its boiler heat is unknown and left out: the
    annual ratio then overstates the heat share, and with it the annual heat intensity
    (and understates the power intensity). The figure is computed but flagged.
    """
    by_unit: dict = {}
    for r in _rows(result, "production"):
        by_unit.setdefault(r.values.get("unit"), []).append(r)
    for unit, rows in by_unit.items():
        heat = [r for r in rows if r.values.get("heat_supply", Decimal(0)) > 0]
        cold = [r for r in rows if r.values.get("heat_supply", Decimal(0)) == 0 and r.values.get("generation", Decimal(0)) > 0]
        if heat and cold:
            months = ", ".join(str(r.values.get("month")) for r in cold)
            yield _finding(
                result, "heat_ratio_year_partial", f"$.pages.production[{cold[0].index}]",
                f"unit {unit!r} generates without supplying heat in month(s) {months}: their boiler heat is not reported, so the "
                "annual heat-supply ratio counts only the heat-supplying months' heat production and overstates the heat share "
                "(annual power and heat intensities follow it)",
                f"机组 {unit} 在 {months} 月发电但不供热，这些月份的锅炉产热量未报告，年供热比仅按供热月份的产热量计算，会偏高（年度供电、供热碳排放强度随之偏差）")


FREQUENCIES = ["per_batch", "daily", "weekly", "monthly", "quarterly", "yearly"]


def check_methods(result) -> Iterator[dict]:
    """The determination-method table agrees with the fuel table (warnings).

    A month declared measured whose coal value is missing or substituted, a month
    declared default whose value is measured, and a declared frequency below what the
    fuel field requires (全国碳市场百问百答 Q25: such a measurement is not used).
    """
    # A unit may burn more than one solid/liquid fuel in a month (coal and start-up
    # oil): the month counts as measured when any of its fuel rows has a measured value.
    fuel: dict = {}
    for r in _rows(result, "fuel_t"):
        fuel.setdefault((r.values.get("unit"), r.values.get("month")), []).append(r)
    fields = result.page("fuel_t").spec.fields
    field_of = {"ncv": "ncv", "carbon": "element_carbon"}
    for m in _rows(result, "methods"):
        unit, month, param = m.values.get("unit"), m.values.get("month"), m.values.get("parameter")
        rows = fuel.get((unit, month))
        if not rows:
            continue
        fid = field_of[param]
        place = f"$.pages.methods[{m.index}]"
        measured = any(fid in row.prov and row.prov[fid].kind in ("input", "measured", "supplier") for row in rows)
        declared = m.values.get("method")
        if declared == "default" and measured:
            yield _finding(result, "method_vs_value", place,
                                f"unit {unit!r} month {month}: {fields[fid].label['en']} is declared a default but a value is given on the {result.page('fuel_t').spec.title['en']}",
                                f"机组 {unit} {month}月：确定方式为缺省值，但燃料信息表填报了实测值")
        elif declared in ("self", "commissioned") and not measured:
            yield _finding(result, "method_vs_value", place,
                                f"unit {unit!r} month {month}: {fields[fid].label['en']} is declared measured but the {result.page('fuel_t').spec.title['en']} has no usable measured value",
                                f"机组 {unit} {month}月：确定方式为实测，但燃料信息表没有可用的实测值")
        need, freq = fields[fid].raw.get("min_frequency"), m.values.get("frequency")
        if need and freq in FREQUENCIES and FREQUENCIES.index(freq) > FREQUENCIES.index(need):
            yield _finding(result, "method_frequency", f"{place}.frequency",
                                f"unit {unit!r} month {month}: {fields[fid].label['en']} measured {freq}, less often than the required {need}; "
                                "such a measurement is not used (Q&A 25)",
                                f"机组 {unit} {month}月：检测频次低于要求（{need}），该实测值不予采纳（问题25）")


CHECKS = {
    "power_methods": check_methods,
    "power_merged_units": check_merged_units,
    "power_report_units": check_report_units,
    "power_electricity_split": check_electricity_split,
    "power_heat": check_heat,
    "power_heat_year": check_heat_year,
}
