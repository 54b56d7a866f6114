"""A ready-made check for sectors whose rules allow no unconfirmed default.

A guideline's default figure may stand in for a measured one only when it is the guideline's
own (全国碳市场百问百答 问题26: where measurement fails, the default *the applicable guideline
prescribes* may be used). A figure mrv-engine could not confirm from the document ships
``verified: false``: most sectors calculate with it and mark it in the trace; a sector that
registers :func:`refuse_unverified_defaults` as a check has every such calculation refused at
the place where the submission can give its own figure (the row's field, or
``$.parameters.<name>``), and the refusal names the figure, its source and why it is not
confirmed. A figure the submission supplies is the submission's: never refused here.

It is an ordinary ``mrv_checks`` check (contract in :mod:`.checks`), so calculation and
verification treat it alike; it reads only a result's public attributes.
"""

from __future__ import annotations

#: The rule a refusal cites, in both languages.
RULE = {
    "zh": "只有核算指南规定的缺省值可代替实测值；未经指南原文确认的缺省值不得用于计算，须由报告主体提供数值",
    "en": "Only the default figures the guideline prescribes may stand in for measured ones; a default not "
          "confirmed from the guideline's text may not be used: the reporting entity must give the figure",
}
CITATION = "全国碳市场百问百答（国家应对气候变化战略研究和国际合作中心，2022） 第一章 问题26"


def _fill(unit: str, binding) -> str:
    for var, value in binding or ():
        unit = unit.replace("{" + var + "}", str(value))
    return "" if unit in ("1", "") else f" {unit}"


def refuse_unverified_defaults(result):
    """Findings (severity ``error``) for every unconfirmed figure ``result``'s formulas used
    without the submission supplying it: a parameter (a grid factor, a GWP...) at
    ``$.parameters.<name>``, a table or parameter default that filled a row's field at that
    field. Register it as a check: ``DataSector(..., checks={"unverified_default": refuse_unverified_defaults})``."""
    comp = result.comp
    for name in sorted(result.used_params):
        pv = result.params[name]
        if pv.verified or pv.origin == "submission":
            continue
        param = comp.parameters.get(name)
        label = param[0].label if param else {"zh": name, "en": name}
        source = pv.citation.text() if pv.citation else ""
        why = f" ({pv.note.strip()})" if pv.note else ""
        yield {
            "place": f"$.parameters.{name}",
            "message": f"{label['en']} {pv.value}{_fill(pv.unit, ())} ({source}) is not confirmed from the document{why}; "
                       f"this sector calculates with no unconfirmed default: give the figure at $.parameters.{name}",
            "message_zh": f"{label['zh']} {pv.value}{_fill(pv.unit, ())}（{source}）未经文件原文确认；"
                          f"本行业不以未经确认的缺省值计算：请在 $.parameters.{name} 填报该数值",
            "rule": RULE,
            "citation": CITATION,
            "data": {"figure": name, "value": str(pv.value), "unit": pv.unit},
        }
    for figure, places in sorted(result.default_places.items()):
        if result.used_defaults.get(figure, True):
            continue
        for page_id, index, field_id in places:
            page = result.page(page_id)
            row = next(r for r in page.rows if r.index == index)
            prov = row.prov[field_id]
            label = page.spec.fields[field_id].label
            unit = _fill(page.spec.fields[field_id].raw.get("unit", ""), row.binding)
            value = row.values[field_id]
            source = prov.citation.text() if prov.citation else ""
            why = f" ({prov.note.strip()})" if prov.note else ""
            place = f"$.pages.{page_id}[{index}].{field_id}"
            yield {
                "place": place,
                "message": f"{label['en']} would take the default {value}{unit} of {figure} ({source}), which is not "
                           f"confirmed from the document{why}; this sector calculates with no unconfirmed default: "
                           f"give the measured figure at {place}",
                "message_zh": f"{label['zh']}将取缺省值 {value}{unit}（{figure}，{source}），该值未经文件原文确认；"
                              f"本行业不以未经确认的缺省值计算：请在 {place} 填报实测值",
                "rule": RULE,
                "citation": CITATION,
                "data": {"figure": figure, "value": str(value)},
            }
