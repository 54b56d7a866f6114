"""Findings as people read them: one line each, in Chinese or English, repeated ones grouped.

A submission with one problem on 24 rows (a grid factor missing for the year) must read as
one finding with its count and places, not 24 copies; and a finding is never shown as a
Python dict. The JSON forms (``Finding.as_dict``) stay one entry per place, because a
program wants every place.
"""

from __future__ import annotations

from collections.abc import Callable

from ..base.findings import Finding

#: How each severity is named to a reader.
SEVERITY_NAMES = {
    "error": {"zh": "错误", "en": "error"},
    "must_correct": {"zh": "须改正", "en": "must correct"},
    "warning": {"zh": "警告", "en": "warning"},
    "observation": {"zh": "观察", "en": "observation"},
}

#: How many places a grouped line names before it says how many more there are.
PLACES_SHOWN = 3


def grouped(findings: list[Finding], lang: str = "zh") -> list[tuple[Finding, list[str]]]:
    """(first finding, every place) per distinct (severity, code, message), in first-seen order."""
    groups: dict[tuple, tuple[Finding, list[str]]] = {}
    for f in findings:
        key = (f.severity, f.code, f.text(lang))
        if key in groups:
            places = groups[key][1]
            if f.place not in places:
                places.append(f.place)
        else:
            groups[key] = (f, [f.place])
    return list(groups.values())


def finding_line(f: Finding, places: list[str], lang: str = "zh", source: str = "",
                 locate: Callable[[str], str] | None = None) -> str:
    """``source: place: severity: message [code]``, with the count and the other places when grouped.

    ``source`` (the document's name) heads a JSON path or an empty place; a place that names its
    file already (``file:line``) stands alone. ``locate`` shows a place as its reader knows it
    (a workbook's ``sheet!cell (JSON path)``)."""
    if locate is not None:
        places = [locate(p) for p in places]
    first = places[0]
    head = f"{source}: " if source and (not first or first.startswith("$") or locate is not None) else ""
    where = f"{first}: " if first else ""
    line = f"{head}{where}{SEVERITY_NAMES[f.severity][lang]}: {f.text(lang)} [{f.code}]"
    if len(places) > 1:
        shown = places[:PLACES_SHOWN]
        if lang == "zh":
            rest = " 等" if len(places) > len(shown) else ""
            line += f"（共 {len(places)} 处：{'、'.join(shown)}{rest}）"
        else:
            rest = ", …" if len(places) > len(shown) else ""
            line += f" ({len(places)} places: {', '.join(shown)}{rest})"
    return line


def findings_text(findings: list[Finding], lang: str = "zh", source: str = "",
                  locate: Callable[[str], str] | None = None) -> str:
    """Every finding of ``findings`` as readable lines, repeated ones grouped ('' for none)."""
    return "".join(finding_line(f, places, lang, source, locate) + "\n" for f, places in grouped(findings, lang))
