"""The grid emission factor of a report: chosen by programme, reporting year, sector and,
where the rule says so, the enterprise's regional grid.

The same enterprise's purchased electricity is counted at different factors depending on
what the figure is for (全国碳市场百问百答 Q38-Q40): its legal-entity boundary report uses the
factor its sector guideline prescribes (under the 2013-2015 guidelines, the regional grid
average of the grid the enterprise sits on), the supplementary data table uses the national
grid average, and a provincial pilot may set its own. The rules for this are data, in the
``grid`` block of the host's general ruleset (a sector ruleset may carry its own):

* ``series``: each factor with its value (fixed, or by reporting year) and citation;
* ``regions.provinces``: the province (as ``$.enterprise.province`` names it) -> the series of
  its regional grid, with the document that defines the grids;
* ``programmes``: per programme, rules in order; the first whose years (and sectors) match
  says which series applies (``regional``: the province's; ``null``: none is confirmed) and why.

A parameter says which programme it serves (``grid: legal_boundary`` or ``grid:
supplementary``); a submission whose ``programme`` names a pilot programme has the pilot's
rules replace the legal-boundary ones. Selection never falls back silently: a missing or
unknown province, a grid without a confirmed factor or a year no rule covers is a refusal
that names the field to give (or the parameter to supply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..base.numbers import to_decimal

#: The programme of a report when the submission names none: the national market's
#: legal-boundary report (and its supplementary tables).
NATIONAL = "national"
LEGAL_BOUNDARY = "legal_boundary"
SUPPLEMENTARY = "supplementary"

# Administrative suffixes a province may be written with: 河北省, 广西壮族自治区, 北京市.
_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


def province_key(text: str) -> str:
    """``text`` as the province table matches it: trimmed, suffix dropped, case folded."""
    t = re.sub(r"\s+", "", str(text)).casefold()
    if t in ("内蒙古自治区",):
        return "内蒙古"
    return _SUFFIX.sub("", t) or t


@dataclass(frozen=True)
class GridChoice:
    """The factor selected for one parameter of one report, and why."""

    value: Decimal
    unit: str
    series: str
    series_label: dict
    programme: str
    programme_label: dict
    province: str | None  # the province row id, when the rule went by region
    province_label: dict | None
    why: dict  # {zh, en}: the rule, the programme, the year, the region
    citation: object  # Citation of the figure
    rule_citation: object  # Citation of the selection rule
    verified: bool
    note: str

    def as_dict(self) -> dict:
        return {
            "value": format(self.value, "f"), "unit": self.unit, "series": self.series,
            "series_label": self.series_label, "programme": self.programme,
            "programme_label": self.programme_label, "province": self.province,
            "why": self.why, "verified": self.verified,
            "citation": self.citation.text() if self.citation else "",
            "rule_citation": self.rule_citation.text() if self.rule_citation else "",
        }


@dataclass(frozen=True)
class GridRefusal:
    """Why no factor can be selected: a finding the calculation reports if a formula needs it."""

    code: str
    place: str | None  # None: at each formula that needs the factor (a factor missing for the year)
    message: str
    message_zh: str


def _years_cover(years: dict, year: int) -> bool:
    return years["from"] <= year and (years.get("to") is None or year <= years["to"])


class GridRules:
    """The ``grid`` block of a ruleset, ready to select from."""

    def __init__(self, ruleset, raw: dict):
        self.ruleset = ruleset
        self.raw = raw
        self.unit = raw["unit"]
        self.label = raw["label"]
        self.series = raw["series"]
        self.programmes = raw["programmes"]
        self.provinces = raw["regions"]["provinces"]
        self._by_name = {}
        for pid, row in self.provinces.items():
            for name in [pid, row["label"]["zh"], row["label"]["en"], *row.get("names", [])]:
                self._by_name[province_key(name)] = pid

    # -- lookups -------------------------------------------------------------------
    def pilot_programmes(self) -> list[str]:
        return [p for p, raw in self.programmes.items() if raw.get("pilot")]

    def programme_of(self, param_programme: str, report_programme: str | None) -> str:
        """The programme whose rules a parameter follows in a report of ``report_programme``:
        a pilot's rules replace the legal-boundary ones; a supplementary table stays national."""
        if param_programme == LEGAL_BOUNDARY and report_programme and report_programme != NATIONAL:
            return report_programme
        return param_programme

    def province(self, text) -> str | None:
        if text is None:
            return None
        return self._by_name.get(province_key(text))

    def value_of(self, series_id: str, year: int):
        """(value, citation, verified, note) of a series for ``year``, or None."""
        s = self.series[series_id]
        if "value" in s:
            return to_decimal(s["value"]), self.ruleset.citation(s.get("source")), s.get("verified", True), s.get("note", "")
        e = s.get("by_year", {}).get(str(year))
        if e is None:
            return None
        return to_decimal(e["value"]), self.ruleset.citation(e["source"]), e.get("verified", True), e.get("note", "")

    def rule_for(self, programme: str, year: int, sector: str):
        prog = self.programmes.get(programme)
        if prog is None:
            return None, None
        for rule in prog["rules"]:
            if not _years_cover(rule["years"], year):
                continue
            if "sectors" in rule and sector not in rule["sectors"]:
                continue
            if sector in rule.get("except_sectors", []):
                continue
            return prog, rule
        return prog, None

    def fixed_value(self, year: int, programme: str, sector: str):
        """The value every report of ``programme`` and ``year`` gets (a national factor), or
        None when it depends on the province or is not confirmed."""
        _prog, rule = self.rule_for(programme, year, sector)
        if rule is None or rule["factor"] in (None, "regional"):
            return None
        got = self.value_of(rule["factor"], year)
        return got[0] if got else None

    def needs_supply(self, year: int, programme: str, sector: str) -> bool:
        """Whether no report of ``programme`` and ``year`` can have its factor chosen by the
        rules, whatever its province (a form then asks for the parameter)."""
        _prog, rule = self.rule_for(programme, year, sector)
        if rule is None or rule["factor"] is None:
            return True
        if rule["factor"] == "regional":
            return False
        return self.value_of(rule["factor"], year) is None

    # -- selection -----------------------------------------------------------------
    def select(self, year: int, programme: str, province_text=None, sector: str = "general",
               param: str = "grid_ef") -> GridChoice | GridRefusal:
        """The factor of ``programme`` for reporting ``year`` (and the province's grid where
        the rule goes by region), or the refusal that says what is missing."""
        supply = f"$.parameters.{param}"
        prog, rule = self.rule_for(programme, year, sector)
        if prog is None:
            known = ", ".join(sorted(self.programmes))
            return GridRefusal("unknown_programme", "$.programme",
                               f"programme {programme!r} is not one the grid rules know ({known})",
                               f"未知的报告类型 {programme!r}（可选：{known}）")
        plabel = prog["label"]
        if rule is None:
            return GridRefusal(
                "missing_value", None,
                f"no rule of the {plabel['en']} gives a grid factor for reporting year {year} (sector {sector}); "
                f"supply it under {supply} (it will be marked as supplied by the submission)",
                f"{plabel['zh']}没有适用于{year}年度（{sector}）的电网排放因子规则；请在 {supply} 填报（将标为填报值）")
        why_rule = rule["why"]
        if rule["factor"] is None:
            return GridRefusal(
                "missing_value", None,
                f"{plabel['en']}, {year}: {why_rule['en']}; supply the factor under {supply} "
                "(it will be marked as supplied by the submission)",
                f"{plabel['zh']}，{year}年度：{why_rule['zh']}；请在 {supply} 填报电网排放因子（将标为填报值）")
        pid = plabel_p = None
        if rule["factor"] == "regional":
            if province_text is None or (isinstance(province_text, str) and not province_text.strip()):
                return GridRefusal(
                    "province_required", "$.enterprise.province",
                    f"the {plabel['en']} for {year} counts purchased electricity at the regional grid average "
                    f"of the enterprise's grid ({why_rule['en']}); $.enterprise.province selects the grid and is "
                    f"missing. Give the province (e.g. 河北), or supply the factor under {supply}; "
                    "the national factor is not used in its place",
                    f"{plabel['zh']}（{year}年度）按企业所在区域电网平均排放因子计算净购入电力排放（{why_rule['zh']}），"
                    f"区域电网由 $.enterprise.province 确定，但未填报省份。请填报省份（如 河北），或在 {supply} 填报因子；"
                    "不会以全国电网平均排放因子代替")
            pid = self.province(province_text)
            if pid is None:
                known = "、".join(r["label"]["zh"] for r in self.provinces.values())
                return GridRefusal(
                    "unknown_province", "$.enterprise.province",
                    f"province {province_text!r} is not in the province-to-grid table of the rules; known: {known}",
                    f"省份 {province_text!r} 不在区域电网划分表中；可选：{known}")
            prow = self.provinces[pid]
            plabel_p = prow["label"]
            series_id = prow.get("series")
            if series_id is None:
                note = prow.get("why") or {"zh": "该省份未划入任何已确认因子的区域电网",
                                           "en": "the province belongs to no grid with a confirmed factor"}
                return GridRefusal(
                    "grid_region_unknown", "$.enterprise.province",
                    f"{prow['label']['en']}: {note['en']}; give a province row that names one grid, or supply the "
                    f"factor under {supply}",
                    f"{prow['label']['zh']}：{note['zh']}；请填报能确定唯一区域电网的省份，或在 {supply} 填报因子")
        else:
            series_id = rule["factor"]
        got = self.value_of(series_id, year)
        slabel = self.series[series_id]["label"]
        if got is None:
            why_none = self.series[series_id].get("missing") or {
                "zh": "未找到确定该年度取值的文件", "en": "no document setting its value for that year was found"}
            return GridRefusal(
                "missing_value", None,
                f"{plabel['en']}, {year}: the rule takes the {slabel['en']}, which has no confirmed value for {year} "
                f"({why_none['en']}); supply it under {supply} (it will be marked as supplied by the submission)",
                f"{plabel['zh']}，{year}年度：规则取{slabel['zh']}，但该年度取值未能确认（{why_none['zh']}）；"
                f"请在 {supply} 填报（将标为填报值）")
        value, cit, verified, note = got
        rule_cit = self.ruleset.citation(rule.get("source"))
        region_zh = f"；{plabel_p['zh']} → {slabel['zh']}" if plabel_p else ""
        region_en = f"; {plabel_p['en']} → {slabel['en']}" if plabel_p else ""
        rc = f"（{rule_cit.text()}）" if rule_cit else ""
        rce = f" ({rule_cit.text()})" if rule_cit else ""
        why = {
            "zh": f"{plabel['zh']}，{year}年度：{why_rule['zh']}{rc}" + (region_zh or f"；取{slabel['zh']}"),
            "en": f"{plabel['en']}, {year}: {why_rule['en']}{rce}" + (region_en or f"; takes the {slabel['en']}"),
        }
        return GridChoice(value, self.unit, series_id, slabel, programme, plabel, pid, plabel_p, why, cit,
                          rule_cit, verified, note)
