"""Renderings of a rule-version diff (:class:`~mrv_engine.core.diff.differ.RulesetDiff`): text table and Markdown.

Both follow the order a reader weighs a new rule version in: the parameters, the formulas,
fields and default tables, the effect on the submission by category and figure by figure,
then the changes of citation and wording alone.
"""

from __future__ import annotations

from ..base.numbers import shown
from ..formula import units as U
from ..output.text import _md_table, _signed, _t, _text_table


def _diff_param_rows(d, lang):
    rows = []
    for p in d.parameters:
        x, y = p["from"], p["to"]
        def val(v):
            if not v:
                return "—"
            text = f"{shown(v['value'])} {U.display(v['unit'])}"
            return text + (_t(lang, "（报告方提供）", " (supplied by the submission)") if v.get("origin") == "submission" else "")

        cite = [v["citation"] for v in (y, x) if v and v.get("citation")]
        rows.append([p["name"], p["label"][lang], val(x), val(y),
                     _signed(p.get("share_percent")) if p.get("share_percent") is not None else _change(p["change"], lang),
                     cite[0] if cite else ""])
    return rows


def _diff_rule_rows(d, lang):
    rows = []
    for r in d.tables:
        where = ".".join(str(r[k]) for k in ("table", "row", "column") if k in r)
        rows.append([_t(lang, "表", "table"), where, _change(r["change"], lang), shown(r.get("from")), shown(r.get("to"))])
    for r in d.rules:
        where = ".".join(str(r[k]) for k in ("page", "id", "aspect") if k in r)
        rows.append([r["kind"], where, _change(r["change"], lang), _short(r.get("from")), _short(r.get("to"))])
    return rows


CHANGE_TEXT = {"added": ("新增", "added"), "removed": ("删除", "removed"), "changed": ("变更", "changed"),
               "origin": ("来源变化", "origin"), "no_value": ("本年度无取值", "no value for the year"),
               "verified": ("核实状态变化", "verified status")}


def _change(c, lang) -> str:
    return CHANGE_TEXT.get(c, (c, c))[0 if lang == "zh" else 1]


def _short(v) -> str:
    if v is None:
        return "—"
    s = str(v)
    return s if len(s) <= 90 else s[:87] + "..."


def _diff_cat_rows(d, lang):
    return [[c["label"][lang], shown(c["from"]), shown(c["to"]), _signed(c["difference"]),
             _signed(c["share_percent"]) if c["share_percent"] is not None else "—"] for c in d.categories]


def _diff_fig_rows(d, lang):
    return [[f["place"], f["label"][lang], shown(f["from"]), shown(f["to"]), _signed(f["difference"]),
             _signed(f["share_percent"]) if f["share_percent"] is not None else "—", U.display(f["unit"])] for f in d.figures]


def _diff_head(d, lang) -> list[str]:
    out = []
    for name, s in ((_t(lang, "原规则", "From"), d.a), (_t(lang, "新规则", "To"), d.b)):
        out.append(f"{name}: {s.spec} → {_t(lang, '年度', 'year')} {s.year}, {', '.join(s.rulesets)}")
        for e in s.error[:3]:
            msg = (e.get("message_zh") if lang == "zh" else None) or e.get("message")
            out.append(f"  {_t(lang, '无法计算', 'does not compute')}: {e.get('place')}: {msg}")
        if len(s.error) > 3:
            out.append(f"  {_t(lang, f'（另有 {len(s.error) - 3} 处）', f'(and {len(s.error) - 3} more)')}")
    needs = d.needs_parameters()
    if needs:
        opts = " ".join(f"--param {n}=VALUE" for n in needs)
        out.append(_t(lang, f"  提示: 该年度规则未给出 {', '.join(needs)} 的取值，无法显示对本报告的影响；可用 {opts} 提供（或写入报告的 parameters），"
                            "仅用于规则未给值的一方，并标为报告方提供",
                      f"  Hint: the rules give no figure for {', '.join(needs)} in that year, so the effect on this report cannot be shown; "
                      f"supply one with {opts} (or under the submission's parameters): it is used only where the rules give none, "
                      "marked as supplied"))
    return out


def render_diff_table(d, lang: str = "zh") -> str:
    out = [_t(lang, f"规则版本差异：{d.sector}", f"Rule version differences: {d.sector}")] + _diff_head(d, lang)
    out += ["", _t(lang, "一、参数", "1. Parameters")]
    out += _text_table([_t(lang, "参数", "Parameter"), _t(lang, "名称", "Name"), _t(lang, "原", "From"), _t(lang, "新", "To"), "%",
                        _t(lang, "依据", "Source")], _diff_param_rows(d, lang), right_from=2) if d.parameters else [_t(lang, "  无差异", "  none")]
    out += ["", _t(lang, "二、公式、字段与缺省值表", "2. Formulas, fields and default tables")]
    rows = _diff_rule_rows(d, lang)
    out += _text_table([_t(lang, "类型", "Kind"), _t(lang, "位置", "Where"), _t(lang, "变化", "Change"), _t(lang, "原", "From"), _t(lang, "新", "To")],
                       rows, right_from=9) if rows else [_t(lang, "  无差异", "  none")]
    if d.categories:
        out += ["", _t(lang, "三、对本报告各类别的影响（差异大者在前）", "3. Effect on this report by category (largest first)")]
        out += _text_table([_t(lang, "类别", "Category"), _t(lang, "原 (tCO2e)", "From (tCO2e)"), _t(lang, "新 (tCO2e)", "To (tCO2e)"),
                            _t(lang, "差异", "Difference"), "%"], _diff_cat_rows(d, lang))
        out += ["", _t(lang, f"四、受影响的数值（{len(d.figures)} 个；{d.unchanged_figures} 个不变）",
                       f"4. Figures affected ({len(d.figures)}; {d.unchanged_figures} unchanged)")]
        if d.figures:
            out += _text_table([_t(lang, "位置", "Place"), _t(lang, "数值", "Figure"), _t(lang, "原", "From"), _t(lang, "新", "To"),
                                _t(lang, "差异", "Difference"), "%", _t(lang, "单位", "Unit")], _diff_fig_rows(d, lang), right_from=2)
    if d.wording:
        out += ["", _t(lang, f"五、依据与说明文字的变化（{len(d.wording)} 处，不影响数值）",
                       f"5. Citation and wording changes ({len(d.wording)}; no figure changes with them)")]
        out += _text_table([_t(lang, "类型", "Kind"), _t(lang, "位置", "Where"), _t(lang, "原", "From"), _t(lang, "新", "To")],
                           [[r["kind"], ".".join(str(r[k]) for k in ("page", "id", "aspect") if k in r), _short(r.get("from")), _short(r.get("to"))]
                            for r in d.wording], right_from=9)
    return "\n".join(out) + "\n"


def render_diff_markdown(d, lang: str = "zh") -> str:
    out = [f"# {_t(lang, '规则版本差异', 'Rule version differences')}: {d.sector}", ""]
    out += [f"- {line}" for line in _diff_head(d, lang)] + [""]
    out += [f"## 1. {_t(lang, '参数', 'Parameters')}", ""]
    out += _md_table([_t(lang, "参数", "Parameter"), _t(lang, "名称", "Name"), _t(lang, "原", "From"), _t(lang, "新", "To"), "%",
                      _t(lang, "依据", "Source")], _diff_param_rows(d, lang), right_from=2) if d.parameters else [_t(lang, "无差异。", "None.")]
    out += ["", f"## 2. {_t(lang, '公式、字段与缺省值表', 'Formulas, fields and default tables')}", ""]
    rows = _diff_rule_rows(d, lang)
    out += _md_table([_t(lang, "类型", "Kind"), _t(lang, "位置", "Where"), _t(lang, "变化", "Change"), _t(lang, "原", "From"), _t(lang, "新", "To")],
                     rows, right_from=9) if rows else [_t(lang, "无差异。", "None.")]
    if d.categories:
        out += ["", f"## 3. {_t(lang, '对本报告各类别的影响（差异大者在前）', 'Effect on this report by category (largest first)')}", ""]
        out += _md_table([_t(lang, "类别", "Category"), _t(lang, "原 (tCO2e)", "From (tCO2e)"), _t(lang, "新 (tCO2e)", "To (tCO2e)"),
                          _t(lang, "差异", "Difference"), "%"], _diff_cat_rows(d, lang))
        out += ["", f"## 4. {_t(lang, '受影响的数值', 'Figures affected')} ({len(d.figures)}; {d.unchanged_figures} {_t(lang, '个不变', 'unchanged')})", ""]
        if d.figures:
            out += _md_table([_t(lang, "位置", "Place"), _t(lang, "数值", "Figure"), _t(lang, "原", "From"), _t(lang, "新", "To"),
                              _t(lang, "差异", "Difference"), "%", _t(lang, "单位", "Unit")], _diff_fig_rows(d, lang), right_from=2)
    if d.wording:
        out += ["", f"## 5. {_t(lang, '依据与说明文字的变化（不影响数值）', 'Citation and wording changes (no figure changes with them)')} ({len(d.wording)})", ""]
        out += _md_table([_t(lang, "类型", "Kind"), _t(lang, "位置", "Where"), _t(lang, "原", "From"), _t(lang, "新", "To")],
                         [[r["kind"], ".".join(str(r[k]) for k in ("page", "id", "aspect") if k in r), _short(r.get("from")), _short(r.get("to"))]
                          for r in d.wording], right_from=9)
    return "\n".join(out) + "\n"
