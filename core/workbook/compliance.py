"""The allocation and the surrender obligation as two sheets of the report workbook.

"配额分配": the plan (title, number), then every unit's allocation as its trace rows: formula, case,
operands with their values, units and sources, the figure, its rounding and citation, and whether
the plan's figure or rule is confirmed. "履约清缴": the obligation step by step with its rules;
the holdings (allowances issued, CCER, banked allowances) are input cells, and the CCER limit, the
CCER usable, what remains to buy and the surplus are live formulas over them, so a compliance
officer can try what the enterprise holds. The obligation itself (exemptions, the gap cap) is
the engine's figure: those rules depend on each unit's shortfall and stay in the trace above.
"""

from __future__ import annotations

from decimal import Decimal

from ..base.numbers import fmt
from .layout import quote_sheet, sheet_name

FIRST = 4


def _num(value):
    return float(value) if isinstance(value, Decimal) else value


def _operands(ops, lang: str) -> str:
    out = []
    for o in ops:
        label = (o.label or {}).get(lang) or o.name
        unit = "" if o.unit in ("", "1") else f" {o.unit}"
        value = fmt(o.value) if isinstance(o.value, Decimal) else o.value
        flag = "" if o.verified else (" [未核实]" if lang == "zh" else " [unverified]")
        out.append(f"{label} {o.name} = {value}{unit}{flag}")
    return "; ".join(out)


def build_book(obj, lang: str = "zh") -> bytes:
    """An Allocation (one sheet) or a Compliance (the allocation and the surrender obligation) as a
    workbook of its own (``mrv allocate/comply --format xlsx``); the holdings the caller gave (allowances,
    CCER, banked allowances) fill the input cells of the obligation sheet."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    style = {"title": Font(bold=True, size=13), "head": Font(bold=True), "fill": PatternFill("solid", fgColor="DDEBF7"),
             "default": PatternFill("solid", fgColor="FFF2CC"), "unit": Font(italic=True, color="555555")}
    wb = Workbook()
    wb.remove(wb.active)
    taken: set = set()
    if hasattr(obj, "allocation"):
        write_compliance(wb, obj, {}, lang, taken, style)
    else:
        write_allocation(wb, obj, lang, taken, style)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def write_compliance(wb, compliance, refusal, lang: str, taken: set, style: dict) -> None:
    """Add the allocation and obligation sheets: of ``compliance``, or a sheet saying why there is none
    (``refusal``: {"plan": title or None, "message": text})."""
    zh = lang == "zh"
    L = (lambda a, b: a if zh else b)
    if compliance is not None:
        total_ref = write_allocation(wb, compliance.allocation, lang, taken, style)
        _obligation(wb.create_sheet(sheet_name(L("履约清缴", "Surrender"), taken)), compliance, total_ref, lang, style)
        return
    ws = wb.create_sheet(sheet_name(L("配额分配", "Allocation"), taken))
    if compliance is None:
        ws.cell(row=1, column=1, value=L("配额分配与清缴", "Allocation and surrender")).font = style["title"]
        if refusal.get("plan"):
            ws.cell(row=3, column=1, value=L("配额分配方案", "Allocation plan")).font = style["head"]
            ws.cell(row=3, column=2, value=refusal["plan"])
        ws.cell(row=4, column=1, value=L("无法计算", "Cannot be computed")).font = style["head"]
        ws.cell(row=4, column=2, value=refusal["message"])
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 24, 110


def write_allocation(wb, alloc, lang: str, taken: set, style: dict) -> str:
    """The allocation sheet: the plan, each unit's trace rows, the units' allowances and a live total;
    returns the total's absolute reference."""
    zh = lang == "zh"
    L = (lambda a, b: a if zh else b)
    ws = wb.create_sheet(sheet_name(L("配额分配", "Allocation"), taken))
    plan = alloc.plan
    src = plan.sources.get("plan") or next(iter(plan.sources.values()))
    ws.cell(row=1, column=1, value=f"{plan.title[lang]}" + (f"（{src['number']}）" if src.get("number") else "")).font = style["title"]
    ws.cell(row=2, column=1, value=L(f"方案 {plan.id}，{alloc.year} 年度；未核实的取值和规则已标注，以方案原文为准。",
                                      f"Plan {plan.id}, compliance year {alloc.year}; unconfirmed figures and rules are marked: the plan's own text prevails."))
    unit_head = (plan.data["input"].get("label") or {}).get(lang) or L("机组", "Unit")
    heads = [unit_head, L("名称", "Figure"), L("公式", "Formula"), L("适用条件", "Case"), L("运算对象与来源", "Operands and sources"),
             L("数值", "Value"), L("单位", "Unit"), L("修约", "Rounding"), L("依据", "Citation")]
    for i, h in enumerate(heads, start=1):
        c = ws.cell(row=3, column=i, value=h)
        c.font, c.fill = style["head"], style["fill"]
    n = FIRST
    for u in alloc.units:
        for node in u.nodes:
            rounding = "" if node.decimals is None else L(f"{fmt(node.unrounded)} 四舍五入保留 {node.decimals} 位",
                                                          f"{fmt(node.unrounded)} half up to {node.decimals} decimals")
            for i, v in enumerate([u.unit, node.label[lang], node.formula, node.condition or "", _operands(node.operands, lang),
                                   _num(node.value), node.unit, rounding, node.citation], start=1):
                ws.cell(row=n, column=i, value=v)
            n += 1
    n += 1
    for i, h in enumerate([unit_head, L("配额量 (tCO2)", "Allowance (tCO2)"), L("预分配 (tCO2)", "Pre-allocation (tCO2)"),
                           L("经核查排放量 (tCO2)", "Verified emissions (tCO2)")], start=1):
        c = ws.cell(row=n, column=i, value=h)
        c.font, c.fill = style["head"], style["fill"]
    n += 1
    first = n
    for u in alloc.units:
        for i, v in enumerate([u.unit, _num(u.allowance), _num(u.preallocation), _num(u.emissions)], start=1):
            ws.cell(row=n, column=i, value=v)
        n += 1
    ws.cell(row=n, column=1, value=L("合计", "Total")).font = style["head"]
    ws.cell(row=n, column=2, value=f"=SUM(B{first}:B{n - 1})")
    ws.cell(row=n, column=4, value=f"=SUM(D{first}:D{n - 1})")
    total_ref = f"{quote_sheet(ws.title)}!$B${n}"
    for note in alloc.notes:  # a unit left out (an EAF route under the steel plan) says why, here too
        n += 1
        ws.cell(row=n, column=1, value=L("说明", "Note")).font = style["head"]
        ws.cell(row=n, column=2, value=note[lang])
    for col, w in zip("ABCDEFGHI", (16, 30, 44, 30, 70, 16, 10, 26, 60)):
        ws.column_dimensions[col].width = w
    return total_ref


def _given(c, node_id: str, name: str):
    """The amount the caller gave (CCER held, banked allowances), as the trace's operand shows it; 0 without one."""
    node = next((n for n in c.nodes if n.id == node_id), None)
    op = next((o for o in (node.operands if node else []) if o.name == name), None)
    return op.value if op is not None else 0


def _obligation(ws, c, total_ref: str, lang: str, style: dict) -> None:
    zh = lang == "zh"
    L = (lambda a, b: a if zh else b)
    f = c.figures
    ws.cell(row=1, column=1, value=L("应清缴配额量与尚需购买的配额", "Surrender obligation and what remains to buy")).font = style["title"]
    ws.cell(row=2, column=1, value=L("浅黄色底纹的持有量可修改，下方的抵销上限、可用CCER、尚需购买和盈余随之重算。",
                                      "Change the holdings (shaded): the CCER limit, CCER usable, what remains to buy and the surplus follow."))
    for i, h in enumerate([L("项目", "Item"), L("数值 (tCO2)", "Value (tCO2)"), L("说明", "Note")], start=1):
        cell = ws.cell(row=3, column=i, value=h)
        cell.font, cell.fill = style["head"], style["fill"]
    given = next((n for n in c.nodes if n.id == "allocation"), None)
    held_from_caller = bool(given and given.operands and given.operands[0].name == "allowances")
    rows = [
        ("emissions", L("经核查排放量", "Verified emissions"), _num(f["emissions"]), ""),
        ("held", L("持有的当年度配额", "Allowances held for the year"), _num(f["allocation"]) if held_from_caller else f"={total_ref}",
         L("调用方给出的实发配额", "As given by the caller (allowances issued)") if held_from_caller
         else L("默认为上表计算的配额量", "By default the allocation computed above")),
        ("obligation", L("应清缴配额量", "Surrender obligation"), _num(f["obligation"]),
         L("引擎计算值（按上表配额量计，含豁免和缺口上限，见计算过程）；修改持有量不改变此值",
           "The engine's figure for the allocation above (exemptions and the gap cap applied: see the trace); changing the holdings does not change it")),
        ("ccer", L("持有的CCER", "CCER held"), _num(_given(c, "ccer_used", "ccer")), ""),
        ("banked", L("以前年度结转配额", "Banked allowances"), _num(_given(c, "to_buy", "banked")), ""),
    ]
    off = c.plan.data["compliance"].get("offset_cap")
    refs = {}
    n = FIRST
    for key, label, value, note in rows:
        ws.cell(row=n, column=1, value=label)
        ws.cell(row=n, column=2, value=value)
        ws.cell(row=n, column=3, value=note)
        if key in ("held", "ccer", "banked"):
            ws.cell(row=n, column=2).fill = style["default"]
        refs[key] = f"B{n}"
        n += 1
    if off:
        rate = off["rate"]
        ws.cell(row=n, column=1, value=L("CCER抵销上限（向下取整）", "CCER offset limit (rounded down)"))
        ws.cell(row=n, column=2, value=f"=ROUNDDOWN({rate}*{refs['obligation']},0)")
        cite = c.plan.citation(off["source"])
        ws.cell(row=n, column=3, value=(cite.text() if cite else "") + ("" if off.get("verified", True) else L(" [未核实]", " [unverified]")))
        refs["limit"] = f"B{n}"
        n += 1
        ws.cell(row=n, column=1, value=L("可用于抵销的CCER", "CCER usable"))
        ws.cell(row=n, column=2, value=f"=MIN({refs['ccer']},{refs['limit']})")
        refs["used"] = f"B{n}"
        n += 1
    used = refs.get("used", "0")
    ws.cell(row=n, column=1, value=L("尚需购买的配额", "Allowances still to buy")).font = style["head"]
    ws.cell(row=n, column=2, value=f"=MAX(0,{refs['obligation']}-{used}-{refs['held']}-{refs['banked']})")
    n += 1
    ws.cell(row=n, column=1, value=L("盈余配额", "Surplus allowances"))
    ws.cell(row=n, column=2, value=f"=MAX(0,{refs['held']}+{refs['banked']}+{used}-{refs['obligation']})")
    n += 2
    ws.cell(row=n, column=1, value=L("方案规则", "The plan's rules")).font = style["head"]
    n += 1
    for r in c.rules:
        mark = L("已适用", "applied") if r["applied"] else L("未触发", "not triggered")
        ws.cell(row=n, column=1, value=r["text"][lang])
        ws.cell(row=n, column=2, value=mark)
        ws.cell(row=n, column=3, value=r["citation"] + ("" if r["verified"] else L(" [未核实]", " [unverified]")))
        n += 1
    if c.deadline:
        ws.cell(row=n, column=1, value=L("清缴期限", "Surrender deadline")).font = style["head"]
        ws.cell(row=n, column=2, value=c.deadline["date"])
        ws.cell(row=n, column=3, value=c.deadline["citation"] + ("" if c.deadline["verified"] else L(" [未核实]", " [unverified]")))
        n += 1
    n += 1
    ws.cell(row=n, column=1, value=L("计算过程", "Trace")).font = style["head"]
    n += 1
    for node in c.nodes:
        ws.cell(row=n, column=1, value=node.label[lang])
        ws.cell(row=n, column=2, value=_num(node.value))
        ws.cell(row=n, column=3, value=f"{node.formula}" + (f"  [{node.citation}]" if node.citation else ""))
        n += 1
    for col, w in zip("ABC", (40, 18, 100)):
        ws.column_dimensions[col].width = w
