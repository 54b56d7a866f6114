"""The one finding: what a check of the engine found, where, and under which rule.

Every part of the engine reports through :class:`Finding`: validating and calculating a
submission, a sector plugin's checks, verification, lint and golden tests. A finding is
decided on by its ``code`` and ``severity``, never by its message, which may be reworded.
The codes the engine itself emits are listed once, in :data:`CODES`, and documented in
``docs/findings.md`` (generated from this list; a test keeps the two in step). A sector
plugin's checks add codes of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: error: the data or rules are refused, or a figure does not hold; must_correct: the report or
#: plan breaks a rule and must be corrected (verification); warning: accepted, but worth fixing
#: (lint, a plugin's check during calculation); observation: worth a verifier's look.
SEVERITIES = ("error", "must_correct", "warning", "observation")
#: Each severity as a reader sees it, (Chinese, English): never the identifier itself in user text.
SEVERITY_TEXT = {
    "error": ("错误", "error"),
    "must_correct": ("须更正", "must correct"),
    "warning": ("警告", "warning"),
    "observation": ("观察项", "observation"),
}


def severity_text(severity: str, lang: str = "en") -> str:
    """``severity`` in ``lang`` (an unknown one as it is)."""
    pair = SEVERITY_TEXT.get(severity)
    return pair[0 if lang == "zh" else 1] if pair else severity


def code_text(code: str, lang: str = "en") -> str:
    """What finding ``code`` means in ``lang`` ('' for a code the engine does not register: a plugin's)."""
    known = CODES.get(code)
    return known.text(lang) if known else ""

_FILE_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::\d+)?(?: \((?P<path>[^)]*)\))?$")


@dataclass(frozen=True)
class Finding:
    """One finding.

    ``place`` is a JSON path into the submission (``$.pages.fuel[0].ncv``) or a file and line
    (``rulesets/power/power-485.yaml:120``); ``message`` is English and ``message_zh`` Chinese
    (empty where only English exists: lint). ``rule`` ({zh, en}) and ``citation`` name the rule
    the finding applies; ``origin`` is ``host`` for the engine's own checks, else the sector
    plugin that registered the check; ``data`` holds machine-readable details.
    """

    code: str
    place: str
    message: str
    message_zh: str = ""
    severity: str = "error"
    rule: dict | None = None
    citation: str = ""
    origin: str = "host"
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def file(self) -> str:
        """The file of a ``file:line`` place ('' for a JSON path)."""
        m = _FILE_LINE.match(self.place)
        return m.group("file") if m and not self.place.startswith("$") else ""

    @property
    def line(self) -> int:
        """The line of a ``file:line`` place (0 for a JSON path)."""
        m = _FILE_LINE.match(self.place)
        return int(m.group("line")) if m and not self.place.startswith("$") else 0

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, falling back to English."""
        return (self.message_zh or self.message) if lang == "zh" else self.message

    def as_dict(self) -> dict:
        """The flat JSON form of validation and calculation (``mrv validate``, the report's findings)."""
        out = {"code": self.code, "severity": self.severity, "place": self.place,
               "message": self.message, "message_zh": self.message_zh}
        if self.citation:
            out["citation"] = self.citation
        if self.rule:
            out["rule"] = dict(self.rule)
        if self.data:
            out["data"] = dict(self.data)
        return out


def file_line(where: str | None, default_file: str) -> tuple[str, int]:
    """(file, line) of an error's ``where`` (``file:line`` or ``file:line:col (json path)``)."""
    if not where:
        return default_file, 1
    m = _FILE_LINE.match(where)
    if not m:
        return where, 1
    return m.group("file"), int(m.group("line"))


def json_path(path) -> str:
    """``$.pages.fuel[0].ncv`` of a path tuple ``("pages", "fuel", 0, "ncv")``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass(frozen=True)
class Code:
    """A code the engine emits: where it comes from (``areas``, the first its home), its severity,
    what it means in English and in Chinese."""

    areas: tuple[str, ...]
    severity: str
    meaning: str
    meaning_zh: str = ""

    def text(self, lang: str = "en") -> str:
        return self.meaning_zh if lang == "zh" and self.meaning_zh else self.meaning


def _codes(area: str, severity: str, table: str) -> dict[str, Code]:
    """Codes from lines ``code meaning || 中文含义``; ``code@other`` lists the code under another area too."""
    out = {}
    for line in table.strip().splitlines():
        code, _, meaning = line.strip().partition(" ")
        meaning, _, meaning_zh = meaning.partition(" || ")
        code, *also = code.split("@")
        out[code] = Code((area, *also), severity, meaning.strip(), meaning_zh.strip())
    return out


#: Areas, in the order docs/findings.md lists them.
AREAS = {
    "input": "Validation and calculation of a submission (`mrv validate`, `mrv calc`, `Engine.validate`, "
             "`InputError.findings`); a place is a JSON path into the submission.",
    "verification": "Verification (`mrv verify`): the host's common checks; a place is a JSON path. "
                    "A submission that cannot be computed gives `input.<code>` with the input code; "
                    "a sector plugin's codes are shown as `<sector>.<code>`.",
    "compliance": "Allocation, compliance and the calendar (`mrv allocate`, `mrv comply`, `mrv calendar`, `Engine.allocate`, "
                  "`Engine.comply`, `Engine.calendar`); a place is a JSON path into the submission or the allocation.",
    "plugin": "Sector plugins: a check that raised, a plugin that cannot be used.",
    "workbook": "Workbooks (`mrv template`, an .xlsx given to any command, `--format xlsx`); a place is "
                "sheet!cell, with the JSON path of the value where there is one.",
    "lint": "Rulesets and plugins (`mrv lint`); a place is a file and line.",
    "golden": "Golden test cases (`mrv test`, the pytest plugin).",
    "batch": "Batch runs (`mrv batch`): a document the batch could not compute, stored as a row with this finding; "
             "a place is a JSON path into the document.",
}

#: Every code the engine itself emits. Codes are stable: a message may be reworded, a code never.
CODES: dict[str, Code] = {
    **_codes("input", "error", """
        schema@lint a document does not match its JSON Schema: a submission (schemas/submission.schema.json), a ruleset (schemas/ruleset.schema.json, in lint) || 文档不符合其 JSON Schema：填报数据（schemas/submission.schema.json）或规则集（schemas/ruleset.schema.json，lint 中）
        input the submission cannot be read or calculated (no finer code applies) || 填报数据无法读取或计算（无更具体的代码时）
        unknown_sector the submission names a sector no plugin provides || 填报数据所填行业没有插件提供
        unknown_ruleset the submission pins a ruleset id that does not exist or is for another sector || 填报数据指定的规则集编号不存在，或属于其他行业
        no_ruleset no rule version of the sector governs the reporting year || 该行业没有适用于本报告年度的规则版本
        bad_pages pages is not an object keyed by page id || pages 不是以页编号为键的对象
        unknown_page a page that is not part of the sector's composed report for the year || 该页不属于本行业本年度的报告组成
        bad_rows a page's rows are not a list || 某页的数据行不是列表
        bad_row a row is not an object || 某数据行不是对象
        unknown_field a field the page does not have || 该页没有此字段
        bad_type a text field holds something other than text || 文本字段填了文本以外的内容
        unknown_choice a choice that is not one of the field's choices || 所选项不在该字段的可选项中
        required a required field is missing || 缺少必填字段
        not_a_number a number field holds something that is not an exact decimal (floats are refused) || 数值字段不是精确的十进制数（二进制浮点数不予接受）
        not_integer a whole-number field holds a fraction || 整数字段填了小数
        bad_value a value object is malformed (unknown keys, source, frequency, basis) || 数值对象格式有误（未知键、来源、频次、依据）
        wrong_unit a unit of the wrong dimension for the field || 单位与字段的量纲不符
        below_minimum a value below the field's minimum (a negative quantity) || 数值低于字段下限（如负的数量）
        above_maximum a value above the field's maximum || 数值高于字段上限
        duplicate_row two rows with the same key fields || 两行的键字段相同
        month_missing a monthly page lacks months || 按月填报的页缺少月份
        month_repeated a monthly page repeats a month or has one outside 1-12 || 按月填报的页月份重复或不在 1-12 之间
        unknown_reference a row refers to a row of another page that does not exist || 某行引用了另一页中不存在的行
        unknown_parameter the submission supplies a parameter the rules do not define || 填报数据提供了规则未定义的参数
        bad_parameter a supplied parameter is not a number in a unit of the right dimension || 提供的参数不是数字，或单位量纲不符
        missing_value a formula needs a value that is neither given nor defaulted (or a parameter without a value for the year) || 公式所需数值既未填报也无缺省值（或参数在本年度无取值）
        unknown_programme the submission names a programme the grid rules do not know (national or a provincial pilot) || 填报数据所填碳市场不在电网排放因子规则中（全国或地方试点）
        province_required the rule takes the regional grid factor and $.enterprise.province, which selects the grid, is missing (the national factor is not used in its place) || 规则采用区域电网排放因子，但缺少用于选择电网的 $.enterprise.province
        unknown_province $.enterprise.province is not in the rules' province-to-grid table || $.enterprise.province 不在规则的省份—电网对照表中
        grid_region_unknown the province names no single regional grid with a confirmed factor (e.g. Inner Mongolia: west or east) || 该省份没有唯一且数值已确认的区域电网（如内蒙古分蒙西、蒙东）
        no_case no case of a formula applies to the row || 公式没有适用于该行的情形
        arithmetic a formula cannot be computed (a divisor is zero) || 公式无法计算（除数为零）
        out_of_range a computed figure lies outside the bounds the rules give || 计算结果超出规则给定的范围
        number_range@lint a number beyond what a figure may be: longer than 64 characters, more than 30 significant digits, a magnitude outside 1e-15 to 1e16, or a result too long to round exactly (limits in core/base/numbers.py) || 数字超出允许范围：超过 64 个字符、超过 30 位有效数字、绝对值不在 1e-15 至 1e16 之间，或结果过长无法精确修约（限值见 core/base/numbers.py）
        encoding@lint the file is not UTF-8 text (a UTF-16 byte-order mark, GBK bytes, NUL characters); save it as UTF-8 || 文件不是 UTF-8 文本（UTF-16 字节顺序标记、GBK 字节、NUL 字符），请另存为 UTF-8
        not_a_file@lint the path names no regular file: missing, a directory, a FIFO or device, a broken symbolic link (never waited on) || 路径不是普通文件：不存在、是目录、命名管道或设备、失效的符号链接（不会等待读取）
        too_large@lint the document exceeds a limit: bytes, keys and items, nesting depth, YAML nodes or aliases, or holds a recursive alias (limits in core/base/documents.py) || 文档超出限值：字节数、键与列表项数、嵌套深度、YAML 节点或别名数，或含递归别名（限值见 core/base/documents.py）
        output an output file cannot be written (its folder does not exist, no permission, a full disk); the file there before is left as it was (exit 2) || 无法写入输出文件（目录不存在、无权限、磁盘已满）；原有文件保持不变（退出码 2）
    """),
    **_codes("input", "warning", """
        percent_as_fraction a percentage of at most 1 where the methodology's defaults are far above it (10 % or more): a warning that says what the figure would be as a fraction; a stated unit ("1" or "%") is converted exactly and not warned about || 百分数字段填报值不大于 1，而方法学缺省值远高于此（不低于 10%）：警告并说明若为比例时的数值；注明单位（"1" 或 "%"）则精确换算，不再警告
    """),
    **_codes("verification", "error", """
        figure.differs a reported figure does not agree with the recomputation at its reported decimals || 报告数据按其报告的小数位与复算结果不一致
        figure.not_a_number a reported figure is not a number || 报告数据不是数字
        value.unit_slip a value about 1000 or 4.1868 times its default: a unit slip || 数值约为缺省值的 1000 倍或 4.1868 倍：疑似单位错误
        parameter.wrong_year a parameter value of another year than the reporting year || 使用了报告年度以外年份的参数值
    """),
    **_codes("verification", "must_correct", """
        measurement.frequency_below_guideline a value measured less often than the guideline requires was used || 使用了低于指南要求频次的实测值
        missing_data.no_plan_procedure missing data substituted without a procedure in the plan || 数据缺失时的替代未在监测计划中规定程序
        missing_data.not_conservative a substitution for missing data under-estimates emissions || 缺失数据的替代低估了排放量
        monthly.sum_mismatch an annual figure is not the sum of its months || 年度数据不等于各月之和
        monthly.unweighted_mean an annual parameter is the plain mean of its months, not the quantity-weighted one || 年度参数为各月算术平均，而非按消耗量加权平均
        monthly.mean_mismatch an annual parameter is not the quantity-weighted mean of its months || 年度参数不等于各月按消耗量加权的平均值
        electricity.meter_mismatch net purchased electricity disagrees with the meters || 净购入电量与电表读数不符
        parameter.overrides_rule a parameter the guideline fixes for the year was replaced || 替换了指南对该年度规定的参数
        electricity.renewable_contract_factor a renewable contract was used to lower the grid factor || 以可再生能源合同降低了电网排放因子
        plan.determination_missing the plan does not say how a parameter is determined || 监测计划未说明参数的确定方式
        plan.priority_lowered a revised plan lowers the priority of a data source || 修订后的监测计划降低了数据来源的优先级
        plan.revision_required the plan must be revised (one of the six situations of Q&A 21) || 监测计划须修订（问答第 21 条所列六种情形之一）
    """),
    **_codes("verification", "observation", """
        figure.unknown_place a reported figure names no figure of the report || 报告数据指向报告中不存在的数据项
        missing_data.not_per_plan a substitution that does not follow the plan's procedure || 缺失数据的替代未按监测计划的程序进行
        value.percent_as_fraction a percentage of at most 1 where the methodology's defaults are far above it: perhaps a fraction given as a percentage || 百分数字段填报值不大于 1，而方法学缺省值远高于此：可能把比例当作百分数填报
        value.implausible a measured value more than a factor of two from its default (a screening rule) || 实测值与缺省值相差两倍以上（筛查规则）
        value.outside_fuel_range a measured NCV, carbon content or oxidation rate outside the range the rules give for that fuel (physical, documented or derived, each cited) || 实测的低位发热量、含碳量或碳氧化率超出规则为该燃料给出的范围（物理、文献或推算范围，均注明出处）
        intensity.outside_category_range a unit's emission intensity outside the range the rules give for its category || 机组排放强度超出规则为其类别给出的范围
        monthly.jump a measured monthly property or rate (NCV, carbon content, coal rate) more than three times, or under a third of, the previous month's (a screening rule) || 实测的月度性质或比率（低位发热量、含碳量、供电煤耗）为上月的三倍以上或三分之一以下（筛查规则）
        plan.absent no data quality control plan to verify against || 没有可供核查对照的数据质量控制计划
        evidence.unknown_place evidence attached to a place that is not in the report || 证据所附位置不在报告中
        evidence.late_monthly monthly evidence (月度信息化存证) uploaded after the calendar's deadline for that month || 月度信息化存证晚于日历规定的当月期限上传
    """),
    **_codes("compliance", "error", """
        allocation.no_plan no allocation plan of the sector governs the report's compliance year || 该行业没有适用于报告履约年度的配额分配方案
        allocation.unknown_plan a pinned allocation plan id does not exist or is for another sector || 指定的配额分配方案编号不存在，或属于其他行业
        allocation.year_refused the plan governs the year, but its allocation cannot be computed yet (figures not confirmed) || 方案适用于该年度，但其配额尚无法计算（数值未经确认）
        allocation.category_refused the plan does not allocate to units of this category (outside its scope, or its rule not confirmed) || 方案不向该类别的机组分配配额（不在其范围内，或其规则未经确认）
        allocation.missing_input a unit lacks a value the plan reads from the report || 某机组缺少方案需从报告中读取的数值
        allocation.missing_figure the plan gives no figure (a benchmark) for the unit's category and year, and none was supplied || 方案未给出该机组类别与年度的数值（基准值），也未另行提供
        allocation.bad_figure a supplied figure is unknown to the plan, for an unknown category, fixed by the plan, or not a number || 提供的数值不为方案所知、类别未知、已由方案规定，或不是数字
        allocation.bad_base the base-year document of a pre-allocation is malformed or lacks a unit || 预分配的基准年文件格式有误或缺少机组
        allocation.no_case no case of a plan formula applies to the unit || 方案公式没有适用于该机组的情形
        allocation.arithmetic a plan formula cannot be computed (a divisor is zero, an exponent out of range) || 方案公式无法计算（除数为零、指数超出范围）
        compliance.bad_amount an amount given for compliance (allowances, CCER, banked, net sold) is not a non-negative number || 履约所填数量（配额、CCER、结转、净出售）不是非负数
        calendar.no_data no calendar data for the programme, province or sector asked || 所查的碳市场、省份或行业没有日历数据
    """),
    **_codes("plugin", "warning", """
        plugin.check_failed a sector plugin's check raised or returned what the contract does not allow; the plugin and check are named (an observation in verification) || 行业插件的核查项运行出错或返回了约定不允许的内容；注明插件与核查项（核查中为观察项）
    """),
    **_codes("workbook", "error", """
        workbook.unreadable the file is not an .xlsx workbook (not a zip archive, or damaged) || 文件不是 .xlsx 工作簿（不是 zip 压缩包，或已损坏）
        workbook.too_large the file, or what its zip archive inflates to, is above the limits (a zip bomb) || 文件或其 zip 压缩包解压后的大小超出限值（zip 炸弹）
        workbook.macros a macro-enabled workbook (.xlsm): refused, save it as .xlsx || 启用宏的工作簿（.xlsm）不予接受，请另存为 .xlsx
        workbook.encrypted a password-protected (encrypted) workbook, or an old .xls file || 有密码保护（加密）的工作簿，或旧版 .xls 文件
        workbook.not_a_template the workbook was not made by `mrv template` (no map sheet), or its map is damaged || 工作簿不是由 mrv template 生成的（没有映射表），或映射表已损坏
        workbook.missing_sheet a sheet of the template is missing (renamed or deleted) || 模板中的某个工作表缺失（被改名或删除）
        workbook.header_moved a header is not where the template put it (a column or row moved) || 表头不在模板原来的位置（行或列被移动）
        workbook.not_a_number a number cell holds text that is not an exact number ("12 t", "1.2.3") || 数值单元格中的文本不是精确数字（如“12 t”“1.2.3”）
        workbook.bad_cell a cell holds a date or logical value where the field takes text or a number || 应填文本或数字的单元格中是日期或逻辑值
        workbook.formula_without_value a formula cell was saved without its calculated value || 公式单元格保存时没有计算结果
        workbook.no_group monthly values without the unit or fuel they belong to || 按月数值没有所属的机组或燃料
        workbook.unknown_item a monthly page's item is not one of the page's fields || 按月填报页的项目不是该页的字段
        workbook.repeated_item an item is given twice for the same month of the same group || 同一组同一月份的项目填了两次
        workbook.details a value-details row names no filled input cell, or a bad alternative number || 数值明细行未指向已填的输入单元格，或备选数值有误
        workbook.unknown_record a verification record other than plan, previous_plan, evidence || plan、previous_plan、evidence 以外的核查记录
        workbook.bad_record a verification record is not valid JSON || 核查记录不是有效的 JSON
        workbook.unplaced a value of a submission cannot be placed in the template (a page or field not in the form) || 填报数据中的某个数值无法放入模板（页或字段不在表单中）
    """),
    **_codes("workbook", "warning", """
        workbook.normalized a number typed as text with full-width digits or thousands separators, read and said so || 以全角数字或千位分隔符输入的文本数字已读取并注明
        workbook.formula_value a formula cell, read from the value saved with it (marked in the trace) || 公式单元格按其保存的计算结果读取（在计算过程中注明）
        workbook.rules_changed the template was made under other rulesets (ids or hashes) than those that now govern its year || 模板生成时所依据的规则集（编号或哈希）与现在适用于该年度的规则集不同
    """),
    **_codes("lint", "error", """
        yaml the file is not well-formed YAML, or cannot be read || 文件不是格式正确的 YAML，或无法读取
        ruleset the ruleset contradicts itself (a bad number, years out of order) || 规则集自相矛盾（数字有误、年份顺序颠倒）
        undefined-name a formula, fallback, field, reference or citation names something not defined || 公式、替代规则、字段、引用或出处使用了未定义的名称
        unit a unit is unknown, or a formula's derived unit is not its declared unit || 单位未知，或公式推导出的单位与声明的单位不符
        formula any other formula error (syntax, sandbox, cycles) || 其他公式错误（语法、沙箱限制、循环引用）
        compose the sector's pages cannot be composed || 无法组合该行业的各页
        duplicate-field a supplement page repeats a base page's field id without a ref to it || 补充页重复了基础页的字段编号且未用 ref 引用
        unused-parameter a parameter no formula, fallback or plugin code uses (a warning in the general rulesets) || 没有公式、替代规则或插件代码使用的参数（通用规则集中为警告）
        unused-table a lookup table no field or plugin code uses || 没有字段或插件代码使用的查找表
        missing-citation a formula, or a table row with figures, cites no source || 公式或含数值的表格行未注明出处
        unverified-no-note a figure marked verified: false does not say why || 标记为 verified: false 的数值未说明原因
        year-overlap two editions of a sector govern the same reporting year || 同一行业的两个版本适用于同一报告年度
        year-gap a reporting year between a sector's first and last edition has no edition || 行业首末版本之间的某个报告年度没有适用版本
        duplicate-id two rulesets share an id || 两个规则集编号相同
        plugin a sector plugin fails to load, or its rulesets cannot be read || 行业插件无法加载，或其规则集无法读取
        golden a golden test file does not match schemas/golden.schema.json || 金标准测试文件不符合 schemas/golden.schema.json
    """),
    **_codes("lint", "warning", """
        unverified a figure is marked verified: false || 数值标记为 verified: false（未经核实）
        placeholder a citation still says TODO / FIXME || 出处仍写着 TODO / FIXME
        unused-source a declared source is never cited || 声明的来源从未被引用
    """),
    **_codes("golden", "error", """
        golden.differs a figure differs from the expected one, or is missing || 某数值与预期不同，或缺失
        golden.not_refused a case expected to be refused calculated || 预期被拒绝的用例计算成功
        golden.refused a case failed to calculate, or was refused with other findings than expected || 用例计算失败，或被拒绝的结论与预期不同
    """),
    **_codes("batch", "error", """
        batch.failed the engine raised an unexpected exception on the document (a bug to report); the batch went on || 引擎处理该文档时出现意外异常（应报告的缺陷）；批处理继续
        batch.worker_died the worker process calculating the document died twice (killed, out of memory); the batch went on || 计算该文档的工作进程两次意外终止（被终止、内存不足）；批处理继续
    """),
}
