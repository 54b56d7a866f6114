"""Renderings of a verification report: text table, Markdown, one self-contained HTML file.

All three verification renderings follow the order a verifier reads in: the conclusion,
reported versus verified totals per category, the figures that do not hold (largest
difference first), every finding with its rule and citation, the recomputed tables,
and the trace of every differing figure. The HTML has inline CSS only: no script, no
font, no image, nothing fetched from the network.
"""

from __future__ import annotations

import html

from ..base.numbers import fmt, shown
from ..calc.compose import fill
from ..formula import units as U
from ..output.report import engine_version
from ..output.text import _md_table, _signed, _t, _text_table
from ..output.trace import render_text
from .recompute import SEVERITIES, SEVERITY_TEXT

KIND_MARK = {"default": ("缺省", "default"), "substituted": ("替代", "substituted"), "measured": ("实测", "measured"),
             "supplier": ("供应商", "supplier"), "estimated": ("估算", "estimated"), "calculated": ("计算", "calculated")}


# -- data shared by the renderings ---------------------------------------------------

def _header(rep, lang) -> list[tuple[str, str]]:
    ent = rep.submission.get("enterprise", {})
    c = rep.counts()
    rows = [
        (_t(lang, "重点排放单位", "Enterprise"), ent.get("name", "—")),
        (_t(lang, "统一社会信用代码", "Credit code"), ent.get("credit_code", "—")),
        (_t(lang, "行业 / 报告年度", "Sector / year"), f"{rep.sector} / {rep.year}"),
        (_t(lang, "适用规则集", "Governing rulesets"), ", ".join(f"{i} (sha256 {d[:12]})" for i, d in rep.rulesets)),
        (_t(lang, "提交文件", "Submission file"), rep.source_name or "—"),
        (_t(lang, "核查结论", "Conclusion"),
         _t(lang, f"错误 {c['error']} 项，须更正 {c['must_correct']} 项，观察项 {c['observation']} 项",
            f"{c['error']} error(s), {c['must_correct']} to correct, {c['observation']} observation(s)")
         if rep.findings else _t(lang, "未发现问题：报告值与复算结果一致", "No finding: the report agrees with the recomputation")),
        (_t(lang, "引擎", "Engine"), f"mrv-engine {engine_version()}"),
    ]
    return rows


def _summary_rows(rep, lang) -> list[list[str]]:
    out = []
    for r in rep.summary:
        out.append([r["label"][lang], shown(r["reported"]), shown(r["verified"]), _signed(r["difference"]),
                    _signed(r["share_percent"]) if r["share_percent"] is not None else "—"])
    return out


def _differing_rows(rep, lang) -> list[list[str]]:
    return [[c.place, c.label[lang], c.reported_text, c.show(c.verified), ("+" if c.difference > 0 else "") + c.show(c.difference),
             _signed(c.share) if c.share is not None else "—", U.display(c.unit)] for c in rep.differing]


def page_tables(result, lang) -> list[tuple[str, list[str], list[list[str]], int]]:
    """(title, headers, rows, number of text columns) of every page with rows; values carry a mark when not an input."""
    out = []
    for pr in result.pages:
        if not pr.rows:
            continue
        spec = pr.spec
        ident = [fid for fid, f in spec.fields.items() if not f.numeric]
        nums = [fid for fid, f in spec.fields.items() if f.numeric and any(fid in r.values for r in pr.rows)]
        forms = [f for f in spec.formulas]
        heads = ["#"] + [spec.fields[i].label[lang] for i in ident] + \
                [f"{spec.fields[i].label[lang]}" for i in nums] + [f.raw["label"][lang] for f in forms]
        rows = []
        for r in pr.rows:
            b = dict(r.binding)
            vals = [str(r.index)] + [_choice_label(result, spec.fields[i], r.values.get(i), lang) for i in ident]
            for fid in nums:
                if fid not in r.values:
                    vals.append("")
                    continue
                unit = _unit(fill(spec.fields[fid].raw["unit"], b))
                mark = KIND_MARK.get(r.prov[fid].kind)
                vals.append(f"{shown(r.values[fid])} {unit}".rstrip() + (f" ({mark[0 if lang == 'zh' else 1]})" if mark and r.prov[fid].kind != "measured" else ""))
            for f in forms:
                v = r.values.get(f.id)
                vals.append(f"{shown(v)} {_unit(fill(f.raw['unit'], b))}".rstrip() if v is not None else "")
            rows.append(vals)
        out.append((spec.title[lang], heads, rows, 1 + len(ident)))
    return out


def _unit(u: str) -> str:
    return "" if u in ("1", "") else U.display(u)


def _choice_label(result, f, value, lang) -> str:
    if value is None:
        return ""
    labels = f.raw.get("choice_labels") or {}
    if value in labels:
        return labels[value][lang]
    if f.raw.get("table"):
        row = result.comp.tables[f.raw["table"]][0]["rows"].get(value) or {}
        if row.get("label"):
            return row["label"][lang]
    return str(value)


def _with_inputs(figures, place, seen=None) -> list:
    """The node of ``place`` followed by the nodes of the row's formulas it uses (depth first)."""
    seen = set() if seen is None else seen
    fig = figures.get(place)
    if fig is None or fig.node is None or place in seen:
        return []
    seen.add(place)
    out = [fig.node]
    prefix = place.rsplit(".", 1)[0]
    for op in fig.node.operands:
        if op.kind == "computed":
            out += _with_inputs(figures, f"{prefix}.{op.name}", seen)
    return out


def _trace_blocks(rep, lang) -> list[tuple[str, str]]:
    """(place, text) of the trace of every differing figure; a total lists the figures it adds up."""
    out = []
    traces = rep.traces()
    for c in rep.differing:
        if c.place in traces:
            out.append((c.place, render_text(_with_inputs(rep.figures, c.place), lang)))
        elif c.place.startswith("$.totals.") and rep.result is not None:
            cat = c.place.split(".")[-1]
            lines = []
            for e in rep.result.emissions:
                if cat == "total" or e.category == cat:
                    lines.append(f"  + {shown(e.co2e)} tCO2e  [$.pages.{e.page}[{e.row}].{e.formula}] {e.gas} {e.category}")
            head = f"{c.label[lang]} = {fmt(c.verified)} tCO2e " + _t(lang, "（各排放量之和，按报告小数位修约）", "(sum of the emission figures, rounded to the report's decimals)")
            out.append((c.place, head + "\n" + "\n".join(lines) + "\n"))
    return out


# -- plain text -----------------------------------------------------------------------

def render_table(rep, lang: str = "zh") -> str:
    out = [_t(lang, "温室气体排放报告核查：复算与核对", "GHG report verification: recomputation and comparison"), ""]
    for k, v in _header(rep, lang):
        out.append(f"{k}: {v}")
    if rep.summary and any(r["reported"] is not None for r in rep.summary):
        out += ["", _t(lang, "一、报告值与核查值（按排放类别）", "1. Reported and verified, by category")]
        out += _text_table([_t(lang, "类别", "Category"), _t(lang, "报告值", "Reported"), _t(lang, "核查值", "Verified"),
                            _t(lang, "差异", "Difference"), "%"], _summary_rows(rep, lang))
    if rep.differing:
        out += ["", _t(lang, "二、不一致的数值（差异大者在前）", "2. Figures that do not hold (largest first)")]
        out += _text_table([_t(lang, "位置", "Place"), _t(lang, "数值", "Figure"), _t(lang, "报告值", "Reported"),
                            _t(lang, "复算值", "Verified"), _t(lang, "差异", "Difference"), "%", _t(lang, "单位", "Unit")],
                           _differing_rows(rep, lang), right_from=2)
    out += ["", _t(lang, "三、核查发现", "3. Findings")]
    if not rep.findings:
        out.append(_t(lang, "  无", "  none"))
    for i, f in enumerate(rep.findings, 1):
        out.append(f"{i:>3}. [{SEVERITY_TEXT[f.severity][0 if lang == 'zh' else 1]}] {f.code}  {rep.where(f)}")
        out.append(f"     {f.text(lang)}")
        if f.rule[lang]:  # a plugin's finding may name no rule
            out.append(f"     {_t(lang, '规则', 'rule')}: {f.rule[lang]}")
        if f.citation:
            out.append(f"     {_t(lang, '依据', 'source')}: {f.citation}")
    out += ["", _t(lang, "（完整的复算表与计算过程见 --format markdown 或 html）", "(recomputed tables and traces: --format markdown or html)")]
    return "\n".join(out) + "\n"


# -- Markdown ------------------------------------------------------------------------

def render_markdown(rep, lang: str = "zh") -> str:
    out = [f"# {_t(lang, '核查报告', 'Verification report')}: {rep.submission.get('enterprise', {}).get('name', '')} — {rep.sector} {rep.year}", ""]
    out += _md_table([_t(lang, "项目", "Item"), _t(lang, "内容", "Value")], [[k, v] for k, v in _header(rep, lang)], right_from=2)
    out += ["", f"## 1. {_t(lang, '报告值与核查值（按排放类别）', 'Reported and verified, by category')}", ""]
    out += _md_table([_t(lang, "类别", "Category"), _t(lang, "报告值 (tCO2e)", "Reported (tCO2e)"), _t(lang, "核查值 (tCO2e)", "Verified (tCO2e)"),
                      _t(lang, "差异", "Difference"), _t(lang, "差异占比 (%)", "Share (%)")], _summary_rows(rep, lang))
    out += ["", f"## 2. {_t(lang, '不一致的数值（差异大者在前）', 'Figures that do not hold (largest first)')}", ""]
    if rep.differing:
        out += _md_table([_t(lang, "位置", "Place"), _t(lang, "数值", "Figure"), _t(lang, "报告值", "Reported"), _t(lang, "复算值", "Verified"),
                          _t(lang, "差异", "Difference"), "%", _t(lang, "单位", "Unit")], _differing_rows(rep, lang), right_from=2)
    else:
        out.append(_t(lang, "全部报告值与复算结果一致。", "Every reported figure agrees with the recomputation."))
    out += ["", f"## 3. {_t(lang, '核查发现', 'Findings')}", ""]
    if not rep.findings:
        out.append(_t(lang, "无。", "None."))
    for i, f in enumerate(rep.findings, 1):
        sev = SEVERITY_TEXT[f.severity][0 if lang == "zh" else 1]
        out.append(f"{i}. **[{sev}] `{f.code}`** — `{rep.where(f)}`  ")
        out.append(f"   {f.text(lang)}  ")
        if f.rule[lang]:
            out.append(f"   *{_t(lang, '规则', 'Rule')}:* {f.rule[lang]}  ")
        if f.citation:
            out.append(f"   *{_t(lang, '依据', 'Source')}:* {f.citation}")
        if f.origin != "host":
            out.append(f"   *{_t(lang, '来源插件', 'Plugin')}:* {f.origin}")
        out.append("")
    if rep.result is not None:
        out += [f"## 4. {_t(lang, '复算表', 'Recomputed tables')}", ""]
        for title, heads, rows, left in page_tables(rep.result, lang):
            out += [f"### {title}", ""] + _md_table(heads, rows, right_from=left) + [""]
        blocks = _trace_blocks(rep, lang)
        if blocks:
            out += [f"## 5. {_t(lang, '不一致数值的计算过程', 'Trace of every differing figure')}", ""]
            for place, text in blocks:
                out += [f"### `{place}`", "", "```text", text.rstrip("\n"), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML ----------------------------------------------------------------------------

CSS = """
:root{--err:#b42318;--fix:#b54708;--obs:#175cd3;--ok:#067647;--line:#d0d5dd;--muted:#475467}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
 margin:0;color:#101828;background:#f9fafb;line-height:1.5}
main{max-width:1180px;margin:0 auto;padding:24px 32px 64px;background:#fff;min-height:100vh}
h1{font-size:1.5rem;margin:.2rem 0 1rem}
h2{font-size:1.15rem;margin:2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid #101828}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.88rem}
th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top}
th{background:#f2f4f7;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.neg{color:var(--err)} td.pos{color:var(--fix)}
.wide{overflow-x:auto;margin:.4rem 0 1rem} .wide table{width:auto;min-width:100%;margin:0} .wide th,.wide td{white-space:nowrap}
table.meta td:first-child{width:13rem;color:var(--muted)}
code,pre{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.82rem}
pre{background:#f2f4f7;border:1px solid var(--line);padding:10px 12px;overflow-x:auto;white-space:pre-wrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.78rem;font-weight:600;margin-right:6px}
.error{background:var(--err)} .must_correct{background:var(--fix)} .observation{background:var(--obs)} .ok{background:var(--ok)}
.finding{border:1px solid var(--line);border-left:5px solid var(--line);padding:8px 12px;margin:8px 0;border-radius:4px}
.finding.f-error{border-left-color:var(--err)} .finding.f-must_correct{border-left-color:var(--fix)} .finding.f-observation{border-left-color:var(--obs)}
.finding .msg{margin:4px 0;font-weight:500}
.finding .rule{color:var(--muted);font-size:.85rem}
.counts span{margin-right:14px}
footer{margin-top:3rem;color:var(--muted);font-size:.8rem}
@media print{body{background:#fff} main{padding:0}}
"""


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _h_table(heads, rows, num_from=1, cls="") -> str:
    out = [f'<table class="{cls}">' if cls else "<table>", "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead><tbody>"]
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            if i >= num_from:
                c = "n"
                if isinstance(v, str) and v.startswith("-") and len(v) > 1:
                    c += " neg"
                elif isinstance(v, str) and v.startswith("+"):
                    c += " pos"
                cells.append(f'<td class="{c}">{_e(v)}</td>')
            else:
                cells.append(f"<td>{_e(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(rep, lang: str = "zh") -> str:
    title = f"{_t(lang, '核查报告', 'Verification report')}: {rep.submission.get('enterprise', {}).get('name', '')} — {rep.sector} {rep.year}"
    c = rep.counts()
    b = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>",
         f"<h1>{_e(title)}</h1>"]
    b.append('<p class="counts">' + ("".join(
        f'<span><span class="badge {s}">{_e(SEVERITY_TEXT[s][0 if lang == "zh" else 1])}</span>{c[s]}</span>' for s in SEVERITIES)
        if rep.findings else f'<span class="badge ok">{_e(_t(lang, "无发现", "no finding"))}</span>') + "</p>")
    b.append(_h_table([_t(lang, "项目", "Item"), _t(lang, "内容", "Value")], [[k, v] for k, v in _header(rep, lang)], num_from=9, cls="meta"))
    b.append(f"<h2>1. {_e(_t(lang, '报告值与核查值（按排放类别）', 'Reported and verified, by category'))}</h2>")
    b.append(_h_table([_t(lang, "类别", "Category"), _t(lang, "报告值 (tCO2e)", "Reported (tCO2e)"), _t(lang, "核查值 (tCO2e)", "Verified (tCO2e)"),
                       _t(lang, "差异", "Difference"), _t(lang, "差异占比 (%)", "Share (%)")], _summary_rows(rep, lang)))
    b.append(f"<h2>2. {_e(_t(lang, '不一致的数值（差异大者在前）', 'Figures that do not hold (largest first)'))}</h2>")
    if rep.differing:
        b.append(_h_table([_t(lang, "位置", "Place"), _t(lang, "数值", "Figure"), _t(lang, "报告值", "Reported"), _t(lang, "复算值", "Verified"),
                           _t(lang, "差异", "Difference"), "%", _t(lang, "单位", "Unit")], _differing_rows(rep, lang), num_from=2))
    else:
        b.append(f"<p>{_e(_t(lang, '全部报告值与复算结果一致。', 'Every reported figure agrees with the recomputation.'))}</p>")
    b.append(f"<h2>3. {_e(_t(lang, '核查发现', 'Findings'))}</h2>")
    if not rep.findings:
        b.append(f"<p>{_e(_t(lang, '无。', 'None.'))}</p>")
    for i, f in enumerate(rep.findings, 1):
        sev = SEVERITY_TEXT[f.severity][0 if lang == "zh" else 1]
        other = "en" if lang == "zh" else "zh"
        b.append(f'<div class="finding f-{f.severity}"><div><span class="badge {f.severity}">{_e(sev)}</span>'
                 f"<b>{i}.</b> <code>{_e(f.code)}</code> · <code>{_e(rep.where(f))}</code></div>"
                 f'<div class="msg">{_e(f.text(lang))}</div>'
                 f'<div class="rule">{_e(f.text(other))}</div>'
                 + (f'<div class="rule">{_e(_t(lang, "规则", "Rule"))}: {_e(f.rule[lang])}</div>' if f.rule[lang] else "")
                 + (f'<div class="rule">{_e(_t(lang, "依据", "Source"))}: {_e(f.citation)}</div>' if f.citation else "")
                 + (f'<div class="rule">{_e(_t(lang, "来源插件", "Plugin"))}: {_e(f.origin)}</div>' if f.origin != "host" else "")
                 + "</div>")
    if rep.result is not None:
        b.append(f"<h2>4. {_e(_t(lang, '复算表', 'Recomputed tables'))}</h2>")
        for t, heads, rows, left in page_tables(rep.result, lang):
            b.append(f"<h3>{_e(t)}</h3>")
            b.append('<div class="wide">' + _h_table(heads, rows, num_from=left) + "</div>")  # scrolls within itself, cells unbroken
        blocks = _trace_blocks(rep, lang)
        if blocks:
            b.append(f"<h2>5. {_e(_t(lang, '不一致数值的计算过程', 'Trace of every differing figure'))}</h2>")
            for place, text in blocks:
                b.append(f"<h3><code>{_e(place)}</code></h3><pre>{_e(text.rstrip())}</pre>")
    b.append(f"<footer>mrv-engine {engine_version()} · {_e(', '.join(i for i, _ in rep.rulesets))}</footer>")
    b.append("</main></body></html>")
    return "\n".join(b) + "\n"
