"""The surrender obligation of a compliance year, and what remains to buy, under the plan's rules.

Steps, each a trace node with its rule and citation (a rule the plan does not state is not applied,
and the result says so):

1. verified emissions E: the sum of the units' emissions the plan names (supplementary table boundary);
2. allocation A: the allocation computed under the plan, or the allowances the caller states it holds
   for the year (what the registry issued);
3. exempt shortfall: the shortfall of units in exempt categories (gas units) is not surrendered;
4. gap cap: where the gap exceeds rate × basis, the obligation is at most A + rate × basis;
5. the obligation O (whole tonnes, half up);
6. CCER offsets: at most rate × O, in whole tonnes (rounded down, being a cap);
7. what remains to buy: O − CCER used − A − banked allowances, never below 0; the surplus otherwise;
8. borrowing and banking where the plan has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from ..base.errors import InputError
from ..base.findings import Finding
from ..base.numbers import CONTEXT, NotANumber, fmt, round_half_up, to_decimal
from ..output.trace import Operand
from .allocate import Allocation, PlanFigure

ZERO = Decimal(0)


@dataclass
class Compliance:
    allocation: Allocation
    figures: dict  # id -> Decimal
    nodes: list
    rules: list = field(default_factory=list)  # [{rule, applied, text {zh,en}, citation, verified}]
    deadline: dict | None = None

    @property
    def plan(self):
        return self.allocation.plan

    def to_dict(self) -> dict:
        a = self.allocation
        return {
            "plan": {"id": a.plan.id, "title": a.plan.title}, "year": a.year, "sector": a.sector, "enterprise": a.enterprise,
            "figures": {k: fmt(v) if isinstance(v, Decimal) else v for k, v in self.figures.items()},
            "deadline": self.deadline, "rules": self.rules,
            "trace": [n.as_dict() for n in self.nodes],
            "unverified": a.unverified() + [f"compliance.{r['rule']}" for r in self.rules if r["applied"] and not r["verified"]],
        }


def pct(rate: Decimal) -> str:
    """A rate as a percentage without trailing zeros (0.20 -> 20)."""
    return fmt((rate * 100).normalize() + 0)


def amount(name: str, raw) -> Decimal | None:
    """A non-negative amount of allowances given by the caller (``None`` when not given)."""
    if raw is None:
        return None
    try:
        value = to_decimal(raw)
    except NotANumber as exc:
        raise InputError(f"--{name}: {exc}", [Finding("compliance.bad_amount", name, f"{name}: {exc}", f"{name} 不是数值")]) from None
    if value < 0:
        raise InputError(f"--{name}: negative", [Finding("compliance.bad_amount", name, f"{name} is negative", f"{name} 为负数")])
    return value


def comply(alloc: Allocation, allowances=None, ccer=None, banked=None, net_sold=None) -> Compliance:
    """The obligation of ``alloc``'s enterprise and year and what it must still buy (see the module docstring)."""
    plan = alloc.plan
    rules_raw = plan.data["compliance"]
    given = amount("allowances", allowances)
    ccer = amount("ccer", ccer) or ZERO
    banked = amount("banked", banked) or ZERO
    net_sold = amount("net-sold", net_sold)
    nodes, figures, rules = [], {}, []
    where = f"$.compliance[{alloc.year}]"

    def cite(rule: dict | None) -> str:
        if not rule:
            return ""
        c = plan.citation(rule["source"])
        text = c.text() if c else ""
        return text + ("" if rule.get("verified", True) else " [未核实 UNVERIFIED]")

    def op(name, label, value, unit="tCO2", kind="computed", citation="", verified=True, note=""):
        return Operand(name, label, value, unit, kind, citation, None, None, note, verified)

    def node(fid, zh, en, formula, operands, value, citation="", condition=None, decimals=None, unrounded=None):
        nodes.append(PlanFigure("compliance", None, None, fid, {"zh": zh, "en": en}, formula, condition, operands,
                                value, unrounded, decimals, "tCO2", citation, plan.id, f"{where}.{fid}"))
        figures[fid] = value
        return op(fid, {"zh": zh, "en": en}, value)

    def rule(name, applied, zh, en, raw):
        c = plan.citation(raw["source"]) if raw else None
        rules.append({"rule": name, "applied": applied, "text": {"zh": zh, "en": en}, "citation": c.text() if c else "",
                      "verified": (raw or {}).get("verified", True)})

    e_ops = [op(f"E[{u.unit}]", {"zh": f"{u.unit} 经核查排放量", "en": f"verified emissions of {u.unit}"}, u.emissions,
                citation=f"$.allocation[unit={u.unit}]") for u in alloc.units]
    E = node("emissions", "经核查排放量", "Verified emissions", " + ".join(o.name for o in e_ops) or "0", e_ops, alloc.emissions)
    a_ops = [op(f"A[{u.unit}]", {"zh": f"{u.unit} 配额量", "en": f"allowance of {u.unit}"}, u.allowance,
                citation=f"$.allocation[unit={u.unit}].allowance") for u in alloc.units]
    if given is None:
        A = node("allocation", "配额量", "Allocation", " + ".join(o.name for o in a_ops) or "0", a_ops, alloc.total)
        a_value = alloc.total
    else:
        a_value = given
        A = node("allocation", "配额量（调用方给出的实发配额）", "Allocation (as held, given by the caller)", "allowances",
                 [op("allowances", {"zh": "实发配额量", "en": "allowances issued"}, given, kind="submission",
                     note="调用方提供 / given by the caller")], given)

    # 3. exempt shortfall
    ex = rules_raw.get("exempt_shortfall")
    exempt = ZERO
    if ex:
        cats = set(ex["categories"])
        ops, total = [], ZERO
        for u in alloc.units:
            if u.category in cats:
                short = max(ZERO, u.emissions - u.allowance)
                total += short
                ops.append(op(f"short[{u.unit}]", {"zh": f"{u.unit} 缺口（豁免）", "en": f"shortfall of {u.unit} (exempt)"}, short))
        exempt = total
        node("exempt_shortfall", "豁免的缺口量", "Exempt shortfall", " + ".join(o.name for o in ops) or "0", ops, total, cite(ex))
        names = {lang: [(plan.data.get("categories") or {}).get(k, {}).get(lang, k) for k in sorted(cats)] for lang in ("zh", "en")}
        rule("exempt_shortfall", bool(ops), f"{'、'.join(names['zh'])}的缺口免于清缴", f"the shortfall of {', '.join(names['en'])} units is not surrendered", ex)
    base = node("obligation_before_cap", "清缴基数（扣除豁免）", "Obligation before the gap cap", "emissions - exempt_shortfall",
                [E, op("exempt_shortfall", {"zh": "豁免的缺口量", "en": "Exempt shortfall"}, exempt)], alloc.emissions - exempt)

    # 4. gap cap
    cap = rules_raw.get("gap_cap")
    obligation = base.value
    if cap:
        rate = to_decimal(cap["rate"])
        basis = alloc.emissions if cap["of"] == "emissions" else a_value
        limit = a_value + rate * basis
        applied = base.value - a_value > rate * basis
        if applied:
            obligation = limit
        rate_op = op("gap_cap_rate", {"zh": "缺口上限比例", "en": "Gap cap rate"}, rate, "1", "parameter", cite(cap), cap.get("verified", True))
        node("obligation_capped", "缺口上限后的清缴量", "Obligation after the gap cap",
             "allocation + gap_cap_rate * " + cap["of"] if applied else "obligation_before_cap",
             [A, base, rate_op], obligation, cite(cap),
             condition=f"obligation_before_cap - allocation > gap_cap_rate * {cap['of']}" if applied else None)
        rule("gap_cap", applied, f"缺口超过{cap['of'] == 'emissions' and '经核查排放量' or '配额量'}的{pct(rate)}%时，清缴量最高为配额量加该比例",
             f"a gap above {pct(rate)} % of the {cap['of']} is capped there", cap)
    unrounded = obligation
    O_val = round_half_up(obligation, 0)
    O = node("obligation", "应清缴配额量", "Surrender obligation", "obligation_capped" if cap else "obligation_before_cap",
             [op("obligation_capped" if cap else "obligation_before_cap", {"zh": "清缴量", "en": "obligation"}, unrounded)],
             O_val, decimals=0, unrounded=unrounded)

    # 6. offsets
    off = rules_raw.get("offset_cap")
    ccer_used = ZERO
    if off:
        rate = to_decimal(off["rate"])
        limit = (rate * O_val).quantize(Decimal(1), rounding=ROUND_FLOOR, context=CONTEXT)
        L = node("offset_limit", "CCER抵销上限（向下取整）", "CCER offset limit (rounded down)", "offset_rate * obligation",
                 [O, op("offset_rate", {"zh": "抵销比例上限", "en": "Offset cap rate"}, rate, "1", "parameter", cite(off), off.get("verified", True))],
                 limit, cite(off))
        ccer_used = min(ccer, limit)
        node("ccer_used", "可用于抵销的CCER", "CCER usable", "min(ccer, offset_limit)",
             [op("ccer", {"zh": "持有的CCER", "en": "CCER held"}, ccer, kind="submission"), L], ccer_used)
        rule("offset_cap", ccer > limit, f"CCER抵销不超过应清缴配额量的{pct(rate)}%", f"CCER offsets at most {pct(rate)} % of the obligation", off)
    elif ccer:
        rule("offset_cap", False, "方案未规定CCER抵销，未计入", "the plan states no offset rule: CCERs not counted", None)

    # 7. to buy / surplus
    need = O_val - ccer_used - a_value - banked
    ops = [O, op("ccer_used", {"zh": "可用CCER", "en": "CCER used"}, ccer_used), A,
           op("banked", {"zh": "以前年度结转配额", "en": "Banked allowances"}, banked, kind="submission")]
    node("to_buy", "尚需购买的配额", "Allowances still to buy", "max(0, obligation - ccer_used - allocation - banked)", ops, max(ZERO, need))
    node("surplus", "盈余配额", "Surplus allowances", "max(0, allocation + banked + ccer_used - obligation)", ops, max(ZERO, -need))

    # 8. borrowing and banking
    bor = rules_raw.get("borrowing")
    if bor:
        gap = max(ZERO, O_val - a_value)
        rate = gap / alloc.emissions if alloc.emissions else ZERO
        ok = rate >= to_decimal(bor["min_gap_rate"])  # "配额缺口率在10%及以上": the threshold itself qualifies
        value = round_half_up(gap * to_decimal(bor["max_share"]), 0) if ok else ZERO
        node("borrowable", f"可预支{bor['from_year']}年度配额上限", f"Borrowable from {bor['from_year']} (at most)",
             "max_share * gap if gap / emissions >= min_gap_rate else 0",
             [op("gap", {"zh": "缺口量", "en": "Gap"}, gap), E,
              op("min_gap_rate", {"zh": "缺口率下限", "en": "Minimum gap rate"}, to_decimal(bor["min_gap_rate"]), "1", "parameter", cite(bor), bor.get("verified", True)),
              op("max_share", {"zh": "预支比例上限", "en": "Maximum share"}, to_decimal(bor["max_share"]), "1", "parameter", cite(bor), bor.get("verified", True))],
             value, cite(bor))
        rule("borrowing", ok, f"缺口率在{pct(to_decimal(bor['min_gap_rate']))}%及以上的可预支不超过缺口{pct(to_decimal(bor['max_share']))}%的{bor['from_year']}年度配额",
             f"a gap rate of {pct(to_decimal(bor['min_gap_rate']))} % or more may borrow up to {pct(to_decimal(bor['max_share']))} % of the gap from {bor['from_year']}", bor)
    bank = rules_raw.get("banking")
    if bank:
        applied = False
        if bank.get("fixed") is not None and net_sold is not None:
            cap_v = to_decimal(bank["fixed"]) + to_decimal(bank.get("multiple", "0")) * net_sold
            node("bankable", "可结转配额上限", "Bankable allowances (at most)", "min(surplus, fixed + multiple * net_sold)",
                 [op("surplus", {"zh": "盈余配额", "en": "Surplus"}, figures["surplus"]),
                  op("fixed", {"zh": "结转固定额度", "en": "Fixed amount"}, to_decimal(bank["fixed"]), "tCO2", "parameter", cite(bank), bank.get("verified", True)),
                  op("multiple", {"zh": "净卖出量倍数", "en": "Multiple of net sales"}, to_decimal(bank.get("multiple", "0")), "1", "parameter", cite(bank), bank.get("verified", True)),
                  op("net_sold", {"zh": "净卖出配额量", "en": "Net allowances sold"}, net_sold, kind="submission")],
                 min(figures["surplus"], cap_v), cite(bank))
            applied = True
        rule("banking", applied, bank["text"]["zh"], bank["text"]["en"], bank)
    d = plan.deadline(alloc.year)
    deadline = {"date": d["date"], "citation": cite(d), "verified": d.get("verified", True)} if d else None
    return Compliance(alloc, figures, nodes, rules, deadline)


def table(c: Compliance, lang: str = "zh") -> str:
    zh = lang == "zh"
    a = c.allocation
    rows = [(n.label[lang], fmt(n.value)) for n in c.nodes]
    def w(text):
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    width = max(w(r[0]) for r in rows) if rows else 10
    lines = [f"{a.enterprise.get('name', '')}  {a.sector} {a.year}  ({a.plan.id})".strip(),
             f"{'配额分配方案' if zh else 'Allocation plan'}: {a.plan.title[lang]}", ""]
    for label, value in rows:
        pad = width - w(label)
        lines.append(f"{label}{' ' * max(pad, 1)}  {value:>14} tCO2")
    lines.append("")
    for r in c.rules:
        mark = ("已适用" if zh else "applied") if r["applied"] else ("未触发" if zh else "not triggered")
        unv = "" if r["verified"] else (" [未核实]" if zh else " [unverified]")
        lines.append(f"- {r['text'][lang]}（{mark}）{unv} — {r['citation']}" if zh else f"- {r['text'][lang]} ({mark}){unv} — {r['citation']}")
    for n in a.notes:
        lines.append(f"{'说明' if zh else 'Note'}: {n[lang]}")
    if c.deadline:
        unv = "" if c.deadline["verified"] else (" [未核实]" if zh else " [unverified]")
        lines.append(f"{'清缴期限' if zh else 'Surrender deadline'}: {c.deadline['date']}{unv} — {c.deadline['citation']}")
    return "\n".join(lines) + "\n"
