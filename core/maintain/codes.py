"""docs/findings.md and docs/errors.md, written from the one list of codes
(:data:`mrv_engine.core.base.findings.CODES`).

``python -m mrv_engine.core.maintain.codes > docs/findings.md`` and
``python -m mrv_engine.core.maintain.codes errors > docs/errors.md`` regenerate them; a test
keeps the files and the list in step, so the documented codes are the emitted ones.
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
        "(`python -m mrv_engine.core.maintain.codes > docs/findings.md`); every code's meaning in Chinese",
        "and English, with the exit code of `mrv`, is in [errors.md](errors.md).",
        "",
    ]
    for area, what in AREAS.items():
        out += [f"## {area}", "", what, "", "| code | severity | meaning |", "| --- | --- | --- |"]
        out += [f"| `{code}` | {c.severity} | {c.meaning} |" for code, c in CODES.items() if area in c.areas]
        out.append("")
    return "\n".join(out)


#: What each area's codes mean for the exit code of ``mrv`` (a usage error is 2 whatever the area).
_EXIT = {"error": "1", "must_correct": "1", "warning": "0", "observation": "0"}
_SEVERITY_ZH = {"error": "错误", "must_correct": "须改正", "warning": "警告", "observation": "观察项"}
_AREA_ZH = {"input": "填报数据的校验与计算", "verification": "核查", "compliance": "配额分配、履约与日历",
            "workbook": "Excel 工作簿", "plugin": "行业插件", "lint": "规则集与插件检查（mrv lint）", "golden": "金标准测试用例",
            "batch": "批处理（mrv batch）"}


def errors_markdown() -> str:
    """Every code with its meaning in Chinese and English and the exit code it gives, as Markdown."""
    out = [
        "# Errors and findings / 错误与发现项代码",
        "",
        "Every refusal, warning or observation of mrv-engine is a finding with one of the codes below; `mrv`",
        "exits 0 when nothing is refused, 1 when the data or rules are (a finding of severity `error` or",
        "`must_correct`), 2 on a usage error (a bad option, an unknown sector named on the command line, an",
        "output file that cannot be written: code `output`). Inputs are bounded: the limits (bytes, keys, depth,",
        "YAML nodes and aliases, a figure's digits and magnitude) are listed by name in `mrv_engine.LIMITS`",
        "(`core/base/documents.py`, `core/base/numbers.py`). Details of each area: [findings.md](findings.md).",
        "",
        "mrv-engine 的每一项拒绝、警告或观察都是带下列代码的发现项。`mrv` 的退出码：无拒绝为 0；数据或规则被拒绝",
        "（严重程度为 `error` 或 `must_correct`）为 1；用法错误（选项有误、命令行指定的行业不存在、输出文件无法写入，",
        "代码 `output`）为 2。输入均有限值（字节数、键数、嵌套深度、YAML 节点与别名数、数字的位数与量级），",
        "按名称列于 `mrv_engine.LIMITS`。",
        "",
        ("This page is generated from `mrv_engine/core/base/findings.py` "
         "(`python -m mrv_engine.core.maintain.codes errors > docs/errors.md`)."),
        "",
    ]
    for area in AREAS:
        out += [f"## {area} · {_AREA_ZH.get(area, area)}", "",
                "| code | severity / 严重程度 | exit | meaning | 含义 |", "| --- | --- | --- | --- | --- |"]
        for code, c in CODES.items():
            if area in c.areas:
                exit_code = "2" if code == "output" else _EXIT[c.severity]
                out.append(f"| `{code}` | {c.severity} / {_SEVERITY_ZH[c.severity]} | {exit_code} | {c.meaning} | {c.meaning_zh} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(errors_markdown() if sys.argv[1:] == ["errors"] else findings_markdown(), end="")
