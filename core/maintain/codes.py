"""docs/findings.md, written from the one list of codes (:data:`mrv_engine.core.base.findings.CODES`).

``python -m mrv_engine.core.maintain.codes > docs/findings.md`` regenerates it; a test keeps
the file and the list in step, so the documented codes are the emitted ones.
"""

from __future__ import annotations

from ..base.findings import AREAS, CODES


def findings_markdown() -> str:
    """The documented, stable list of finding codes, by area, as Markdown."""
    out = [
        "# Finding codes",
        "",
        "Every problem the engine reports is one *finding* (`mrv_engine.plugin.Finding`): a stable **code**, a",
        "**severity**, the **place** (a JSON path into the submission, or a file and line), a message in Chinese",
        "and English, and where it applies a rule, its citation and machine-readable data. Programs decide by",
        "code and severity, never by the message, which may be reworded; a code, once published, is never",
        "renamed. Severities:",
        "",
        "| severity | meaning |",
        "| --- | --- |",
        "| `error` | the data or rules are refused, or a figure does not hold (exit 1) |",
        "| `must_correct` | the report or plan breaks a rule and must be corrected (verification; exit 1) |",
        "| `warning` | accepted, but worth fixing (lint, a plugin's check during calculation) |",
        "| `observation` | worth a verifier's look (verification; screening rules) |",
        "",
        "JSON forms: `mrv validate --format json` and the `findings` of a calculation report use",
        "`Finding.as_dict()` (`code, severity, place, message, message_zh` and, where given, `citation, rule,",
        "data`); `mrv verify --format json` uses `schemas/findings.schema.json`; `mrv lint --format json` gives",
        "`file, line, code, severity, message`.",
        "",
        "This page is generated from `mrv_engine/core/base/findings.py` "
        "(`python -m mrv_engine.core.maintain.codes > docs/findings.md`).",
        "",
    ]
    for area, what in AREAS.items():
        out += [f"## {area}", "", what, "", "| code | severity | meaning |", "| --- | --- | --- |"]
        out += [f"| `{code}` | {c.severity} | {c.meaning} |" for code, c in CODES.items() if area in c.areas]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(findings_markdown(), end="")
