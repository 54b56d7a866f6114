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
    """A code the engine emits: where it comes from (``areas``, the first its home), its severity, what it means."""

    areas: tuple[str, ...]
    severity: str
    meaning: str


def _codes(area: str, severity: str, table: str) -> dict[str, Code]:
    """Codes from lines ``code meaning``; ``code@other`` lists the code under another area too."""
    out = {}
    for line in table.strip().splitlines():
        code, _, meaning = line.strip().partition(" ")
        code, *also = code.split("@")
        out[code] = Code((area, *also), severity, meaning.strip())
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
        schema@lint a document does not match its JSON Schema: a submission (schemas/submission.schema.json), a ruleset (schemas/ruleset.schema.json, in lint)
        input the submission cannot be read or calculated (no finer code applies)
        unknown_sector the submission names a sector no plugin provides
        unknown_ruleset the submission pins a ruleset id that does not exist or is for another sector
        no_ruleset no rule version of the sector governs the reporting year
        bad_pages pages is not an object keyed by page id
        unknown_page a page that is not part of the sector's composed report for the year
        bad_rows a page's rows are not a list
        bad_row a row is not an object
        unknown_field a field the page does not have
        bad_type a text field holds something other than text
        unknown_choice a choice that is not one of the field's choices
        required a required field is missing
        not_a_number a number field holds something that is not an exact decimal (floats are refused)
        not_integer a whole-number field holds a fraction
        bad_value a value object is malformed (unknown keys, source, frequency, basis)
        wrong_unit a unit of the wrong dimension for the field
        below_minimum a value below the field's minimum (a negative quantity)
        above_maximum a value above the field's maximum
        duplicate_row two rows with the same key fields
        month_missing a monthly page lacks months
        month_repeated a monthly page repeats a month or has one outside 1-12
        unknown_reference a row refers to a row of another page that does not exist
        unknown_parameter the submission supplies a parameter the rules do not define
        bad_parameter a supplied parameter is not a number in a unit of the right dimension
        missing_value a formula needs a value that is neither given nor defaulted (or a parameter without a value for the year)
        unknown_programme the submission names a programme the grid rules do not know (national or a provincial pilot)
        province_required the rule takes the regional grid factor and $.enterprise.province, which selects the grid, is missing (the national factor is not used in its place)
        unknown_province $.enterprise.province is not in the rules' province-to-grid table
        grid_region_unknown the province names no single regional grid with a confirmed factor (e.g. Inner Mongolia: west or east)
        no_case no case of a formula applies to the row
        arithmetic a formula cannot be computed (a divisor is zero)
        out_of_range a computed figure lies outside the bounds the rules give
    """),
    **_codes("verification", "error", """
        figure.differs a reported figure does not agree with the recomputation at its reported decimals
        figure.not_a_number a reported figure is not a number
        value.unit_slip a value about 1000 or 4.1868 times its default: a unit slip
        parameter.wrong_year a parameter value of another year than the reporting year
    """),
    **_codes("verification", "must_correct", """
        measurement.frequency_below_guideline a value measured less often than the guideline requires was used
        missing_data.no_plan_procedure missing data substituted without a procedure in the plan
        missing_data.not_conservative a substitution for missing data under-estimates emissions
        monthly.sum_mismatch an annual figure is not the sum of its months
        monthly.unweighted_mean an annual parameter is the plain mean of its months, not the quantity-weighted one
        monthly.mean_mismatch an annual parameter is not the quantity-weighted mean of its months
        electricity.meter_mismatch net purchased electricity disagrees with the meters
        parameter.overrides_rule a parameter the guideline fixes for the year was replaced
        electricity.renewable_contract_factor a renewable contract was used to lower the grid factor
        plan.determination_missing the plan does not say how a parameter is determined
        plan.priority_lowered a revised plan lowers the priority of a data source
        plan.revision_required the plan must be revised (one of the six situations of Q&A 21)
    """),
    **_codes("verification", "observation", """
        figure.unknown_place a reported figure names no figure of the report
        missing_data.not_per_plan a substitution that does not follow the plan's procedure
        value.implausible a measured value more than a factor of two from its default (a screening rule)
        monthly.jump a measured monthly property or rate (NCV, carbon content, coal rate) more than three times, or under a third of, the previous month's (a screening rule)
        plan.absent no data quality control plan to verify against
        evidence.unknown_place evidence attached to a place that is not in the report
        evidence.late_monthly monthly evidence (月度信息化存证) uploaded after the calendar's deadline for that month
    """),
    **_codes("compliance", "error", """
        allocation.no_plan no allocation plan of the sector governs the report's compliance year
        allocation.unknown_plan a pinned allocation plan id does not exist or is for another sector
        allocation.year_refused the plan governs the year, but its allocation cannot be computed yet (figures not confirmed)
        allocation.missing_input a unit lacks a value the plan reads from the report
        allocation.missing_figure the plan gives no figure (a benchmark) for the unit's category and year, and none was supplied
        allocation.bad_figure a supplied figure is unknown to the plan, for an unknown category, fixed by the plan, or not a number
        allocation.bad_base the base-year document of a pre-allocation is malformed or lacks a unit
        allocation.no_case no case of a plan formula applies to the unit
        allocation.arithmetic a plan formula cannot be computed (a divisor is zero, an exponent out of range)
        compliance.bad_amount an amount given for compliance (allowances, CCER, banked, net sold) is not a non-negative number
        calendar.no_data no calendar data for the programme, province or sector asked
    """),
    **_codes("plugin", "warning", """
        plugin.check_failed a sector plugin's check raised or returned what the contract does not allow; the plugin and check are named (an observation in verification)
    """),
    **_codes("workbook", "error", """
        workbook.unreadable the file is not an .xlsx workbook (not a zip archive, or damaged)
        workbook.too_large the file, or what its zip archive inflates to, is above the limits (a zip bomb)
        workbook.macros a macro-enabled workbook (.xlsm): refused, save it as .xlsx
        workbook.encrypted a password-protected (encrypted) workbook, or an old .xls file
        workbook.not_a_template the workbook was not made by `mrv template` (no map sheet), or its map is damaged
        workbook.missing_sheet a sheet of the template is missing (renamed or deleted)
        workbook.header_moved a header is not where the template put it (a column or row moved)
        workbook.not_a_number a number cell holds text that is not an exact number ("12 t", "1.2.3")
        workbook.bad_cell a cell holds a date or logical value where the field takes text or a number
        workbook.formula_without_value a formula cell was saved without its calculated value
        workbook.no_group monthly values without the unit or fuel they belong to
        workbook.unknown_item a monthly page's item is not one of the page's fields
        workbook.repeated_item an item is given twice for the same month of the same group
        workbook.details a value-details row names no filled input cell, or a bad alternative number
        workbook.unknown_record a verification record other than plan, previous_plan, evidence
        workbook.bad_record a verification record is not valid JSON
        workbook.unplaced a value of a submission cannot be placed in the template (a page or field not in the form)
    """),
    **_codes("workbook", "warning", """
        workbook.normalized a number typed as text with full-width digits or thousands separators, read and said so
        workbook.formula_value a formula cell, read from the value saved with it (marked in the trace)
        workbook.rules_changed the template was made under other rulesets (ids or hashes) than those that now govern its year
    """),
    **_codes("lint", "error", """
        yaml the file is not well-formed YAML, or cannot be read
        ruleset the ruleset contradicts itself (a bad number, years out of order)
        undefined-name a formula, fallback, field, reference or citation names something not defined
        unit a unit is unknown, or a formula's derived unit is not its declared unit
        formula any other formula error (syntax, sandbox, cycles)
        compose the sector's pages cannot be composed
        duplicate-field a supplement page repeats a base page's field id without a ref to it
        unused-parameter a parameter no formula, fallback or plugin code uses (a warning in the general rulesets)
        unused-table a lookup table no field or plugin code uses
        missing-citation a formula, or a table row with figures, cites no source
        unverified-no-note a figure marked verified: false does not say why
        year-overlap two editions of a sector govern the same reporting year
        year-gap a reporting year between a sector's first and last edition has no edition
        duplicate-id two rulesets share an id
        plugin a sector plugin fails to load, or its rulesets cannot be read
        golden a golden test file does not match schemas/golden.schema.json
    """),
    **_codes("lint", "warning", """
        unverified a figure is marked verified: false
        placeholder a citation still says TODO / FIXME
        unused-source a declared source is never cited
    """),
    **_codes("golden", "error", """
        golden.differs a figure differs from the expected one, or is missing
        golden.not_refused a case expected to be refused calculated
        golden.refused a case failed to calculate, or was refused with other findings than expected
    """),
    **_codes("batch", "error", """
        batch.failed the engine raised an unexpected exception on the document (a bug to report); the batch went on
        batch.worker_died the worker process calculating the document died twice (killed, out of memory); the batch went on
    """),
}
