"""Every sentence the ``mrv`` command itself says, in Chinese and English.

Findings and engine errors carry their own two languages (``Finding.text``,
``MrvError.text``); this table holds only what the CLI adds around them. A test checks that
every entry has both languages and the same placeholders in each.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "wrote": {"zh": "已写入 {path}（{size} 字节）", "en": "wrote {path} ({size} bytes)"},
    "valid": {"zh": "{name}：通过校验", "en": "{name}: valid"},
    "valid_with": {"zh": "{name}：通过校验，另有 {n} 条提示", "en": "{name}: valid, with {n} finding(s) to look at"},
    "invalid": {"zh": "{name}：未通过校验，{n} 个错误", "en": "{name}: not valid, {n} error(s)"},
    "failed_on": {"zh": "有 {severity} 级别的发现（--fail-on {fail_on}），退出码为 1",
                  "en": "findings of severity {severity} (--fail-on {fail_on}): exit code 1"},
    "no_rulesets": {"zh": "没有符合条件的规则版本：{why}", "en": "no rule version matches: {why}"},
    "no_sector_rulesets": {"zh": "{sector} 行业没有规则版本（已安装的行业：{sectors}）",
                           "en": "sector {sector} has no rule version (installed sectors: {sectors})"},
    "no_year": {"zh": "{sector} 行业没有适用于 {year} 年的版本；现有版本：{editions}",
                "en": "no edition of sector {sector} governs {year}; editions: {editions}"},
    "no_year_any": {"zh": "没有适用于 {year} 年的规则版本", "en": "no rule version governs {year}"},
    "unverified": {"zh": "未核实的数值：{n} 个（共 {m} 个）", "en": "unverified figures: {n} of {m}"},
    "programme": {"zh": "适用范围 {text}", "en": "programme {text}"},
    "programme_follows": {"zh": "{id}：{parameters} 按电网排放因子规则选取", "en": "{id}: {parameters} chosen by the host's grid rules"},
    "except_sectors": {"zh": "{sectors} 除外", "en": "not {sectors}"},
    "regional_factor": {"zh": "所在省份的区域电网平均排放因子", "en": "regional grid average of the province"},
    "no_factor": {"zh": "尚无经核实的因子", "en": "none confirmed"},
    "pilot": {"zh": "［地方试点］", "en": " [provincial pilot]"},
    "edition_programme": {"zh": "报告类型 {id}（{label}）：填报数据注明 \"programme\": \"{id}\" 时适用",
                          "en": "programme {id} ({label}): governs submissions with \"programme\": \"{id}\""},
    "xlsx_needs_output": {"zh": "--format xlsx 输出工作簿：请用 -o 文件名.xlsx 指定输出文件",
                          "en": "--format xlsx writes a workbook: give -o FILE.xlsx"},
    "no_sectors": {"zh": "没有已安装的行业插件", "en": "no sector plugin is installed"},
    "reason": {"zh": "原因", "en": "reason"},
    "both_year_ruleset": {"zh": "--year 与 --ruleset 只能给一个", "en": "give --year or --ruleset, not both"},
    "need_year_ruleset": {"zh": "须给出 --year 或 --ruleset", "en": "give --year or --ruleset"},
    "figures_confirmed": {"zh": "{file}：{ruleset}：{figures} 个数值中 {confirmed} 个已核实，{unconfirmed} 个未核实",
                          "en": "{file}: {ruleset}: {confirmed} of {figures} figures confirmed, {unconfirmed} unconfirmed"},
    "figures_confirmed_all": {"zh": "全部 {n} 个规则版本：{figures} 个数值中 {confirmed} 个已核实，{unconfirmed} 个未核实",
                              "en": "all {n} rulesets: {confirmed} of {figures} figures confirmed, {unconfirmed} unconfirmed"},
    "need_year_ruleset_from": {"zh": "请给出 --year 或 --ruleset（或用 --from 给出注明年度的报告）",
                               "en": "give --year or --ruleset (or --from a submission that names its year)"},
    "need_xlsx": {"zh": "-o 须为 .xlsx 文件", "en": "-o must name an .xlsx file"},
    "batch_summary": {"zh": "{seen} 份文档：处理 {done} 份（计算完成 {ok} 份，被拒绝 {refused} 份，失败 {failed} 份），{skipped} 份此前已完成；用时 {seconds} 秒",
                      "en": "{seen} documents: {done} processed ({ok} ok, {refused} refused, {failed} failed), {skipped} already done; {seconds} s"},
    "batch_restarts": {"zh": "；工作进程重启 {n} 次", "en": "; worker processes restarted {n}×"},
    "batch_interrupted": {"zh": "；已中断：再次运行同一命令即可继续", "en": "; interrupted: run the same command again to resume"},
    "lint_summary": {"zh": "{files} 个文件中有 {errors} 个错误、{warnings} 个警告",
                     "en": "{errors} error(s), {warnings} warning(s) in {files} file(s)"},
}


def say(key: str, lang: str, **values) -> str:
    """The sentence ``key`` in ``lang`` with ``values`` filled in."""
    return TEXTS[key][lang].format(**values)
