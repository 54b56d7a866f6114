"""The Python API for host applications: one :class:`Engine` object does everything.

    from mrv_engine import Engine
    engine = Engine()
    engine.sectors()
    result = engine.calculate(submission_dict)
    print(engine.explain(result, lang="en"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base.documents import to_json
from .base.errors import InputError, SectorNotFound, SelectionError
from .base.findings import Finding, json_path
from .calc import store
from .calc.compose import Composition
from .calc.engine import calculate
from .calc.results import Result
from .plugin.host import Host
from .rules.cache import validated
from .rules.envelope import plainly_valid
from .rules.ruleset import NATIONAL, Ruleset, programme_of, schema_errors
from .rules.ruleset import schema as bundled_schema

# Only what every calculation needs is imported here: verification, diffs, allocation and
# compliance, workbooks, forms and the trace are imported by the methods that use them, so a
# one-document `mrv calc` does not pay for them (bench/bench_startup.py).
if TYPE_CHECKING:
    from .compliance.allocate import Allocation
    from .compliance.comply import Compliance
    from .compliance.plans import Plan, PlanIndex

GENERAL = "general"


class ProgrammeError(SelectionError):
    """The submission's programme names no known programme, or a pilot without an edition of its sector."""


class Engine:
    """Loads plugins and rulesets once; every method is safe to call many times."""

    def __init__(self, host: Host | None = None, plans: PlanIndex | None = None):
        self.host = host or Host()
        self._compositions: dict[tuple, Composition] = {}
        self._inputs: dict[tuple, tuple] = {}
        self._plans = plans
        # Every edition is composed (every formula checked and compiled) when its sector's
        # rulesets load, so a formula the sandbox refuses marks the sector broken in
        # `mrv sectors` and `mrv lint`, not only when a submission reaches it; an edition whose
        # composition the disk cache holds has checked already and is read only when used.
        self.host.checker = self._check_sector

    # The parts the methods below import on first use (a one-document `mrv calc` needs none of
    # them). A long-running process loads them all at start instead.
    _LAZY_PARTS = (
        "compliance.allocate", "compliance.benchmarks", "compliance.calendar", "compliance.comply",
        "compliance.plans", "compliance.render", "diff.differ", "diff.plans", "diff.render",
        "output.figures", "output.forms", "output.report", "output.trace", "verify.recompute",
        "verify.render", "workbook.compliance", "workbook.report", "workbook.template",
    )

    def preload(self) -> None:
        """Load every plugin and every part the methods import lazily, now.

        For a server: first imports inside request threads race each other (CPython 3.11 can
        fail compiling two modules at once), and the first request should not pay for them."""
        import importlib

        self.host.load_all()
        for part in self._LAZY_PARTS:
            importlib.import_module(f"{__package__}.{part}")

    # -- discovery -------------------------------------------------------------------
    def sectors(self) -> list[dict]:
        """Every sector and plugin with its status (ok / broken / blocked) and rulesets."""
        self.host.load_all()
        out = []
        for sid, entry in sorted(self.host.sectors.items()):
            out.append({
                "id": sid, "name": {"zh": entry.info.name_zh, "en": entry.info.name_en},
                "plugin": entry.plugin_name, "status": entry.status, "reason": entry.reason,
                "rulesets": [r.id for r in entry.rulesets or []],
            })
        for name, p in sorted(self.host.plugins.items()):
            if p.status != "ok":
                out.append({"id": name, "name": None, "plugin": name, "status": p.status, "reason": p.reason, "rulesets": []})
        return out

    def rulesets(self, sector: str | None = None, year: int | None = None,
                 programme: str | None = None) -> list[Ruleset]:
        """Every loaded edition (of ``sector``, governing ``year``, of ``programme`` when given):
        each has ``.programme``, ``national`` or a provincial pilot's such as ``hubei_pilot``."""
        if sector:
            self.host.sector(sector)
        else:
            self.host.load_all()
        found = [rs for sid, lst in sorted(self.host.index.by_sector.items()) for rs in lst if sector in (None, sid)]
        if year is not None:
            found = [rs for rs in found if rs.governs(year)]
        if programme is not None:
            found = [rs for rs in found if rs.programme == programme]
        return found

    def programmes(self) -> list[dict]:
        """The programmes a submission may name (``$.programme``): ``national`` first, then each
        provincial pilot with at least one edition, with its label and the sectors it has editions of."""
        self.host.load_all()
        out = []
        for pid in self.host.index.programmes():
            sectors = sorted({rs.sector for rs in self.host.index.by_id.values() if rs.programme == pid})
            out.append({"id": pid, "label": self.programme_label(pid), "sectors": sectors})
        return out

    def programme_label(self, programme: str) -> dict:
        """{zh, en} of a programme, as the grid rules of its general editions name it."""
        self.host.sector(GENERAL)
        for rs in self.host.index.editions(GENERAL, programme):
            if rs.grid is not None and programme in rs.grid.programmes:
                return dict(rs.grid.programmes[programme]["label"])
        if programme == NATIONAL:
            return {"zh": "全国碳市场报告", "en": "national market report"}
        return {"zh": programme, "en": programme}

    def ruleset(self, ruleset_id: str) -> Ruleset:
        self.host.load_all()
        return self.host.index.get(ruleset_id)

    # -- composition -----------------------------------------------------------------
    def composition(self, sector: str, year: int | None = None, ruleset_id: str | None = None,
                    programme: str | None = None) -> Composition:
        """The checked pages of ``sector`` for reporting ``year`` under ``programme`` (national when
        None; a provincial pilot such as ``hubei_pilot`` selects that pilot's editions), or under a
        pinned ruleset (composed with the general edition of its own programme)."""
        self.host.sector(GENERAL)
        self.host.sector(sector)
        if ruleset_id:
            own = self.host.index.get(ruleset_id)
            if own.sector != sector:
                raise SelectionError(f"ruleset {ruleset_id!r} is for sector {own.sector!r}, not {sector!r}",
                                     message_zh=f"规则集 {ruleset_id!r} 属于 {own.sector} 行业，不是 {sector} 行业")
            if year is None:
                year = own.year_from
        elif year is None:
            raise SelectionError("a reporting year (or a ruleset id) is needed to select the rules",
                                 message_zh="须给出报告年度（或规则集）才能选定规则")
        else:
            own = self._select(sector, year, programme or NATIONAL)
        general = own if sector == GENERAL else self.host.index.select(GENERAL, year, own.programme)
        return self._composed(sector, general, own)

    def _select(self, sector: str, year: int, programme: str) -> Ruleset:
        """The edition of ``sector``, ``year`` and ``programme``. A programme nobody's editions name,
        or a pilot without any edition of the sector, is refused with :class:`ProgrammeError`
        (a finding at ``$.programme``), never answered with the national rules."""
        index = self.host.index
        if programme not in index.programmes():
            self.host.load_all()  # a pilot's editions may lie in sectors not loaded yet
        if programme not in index.programmes():
            known = ", ".join(index.programmes())
            raise ProgrammeError(f"programme {programme!r} is not one the rules know ({known})",
                                 message_zh=f"未知的报告类型 {programme!r}（可选：{known}）", code="unknown_programme")
        if programme != NATIONAL and not index.editions(sector, programme):
            self.host.load_all()  # to name every sector the pilot has editions of
            label = self.programme_label(programme)
            has = sorted({rs.sector for rs in index.by_id.values() if rs.programme == programme})
            raise ProgrammeError(
                f"the {label['en']} ({programme}) has no edition of sector {sector!r}; its editions cover: "
                f"{', '.join(has)}. An enterprise of a sector the pilot has no sector guideline for reports on "
                "the pilot's general pages (sector general); a sector whose pilot guideline is not encoded yet cannot "
                "be calculated under the pilot's rules. The national rules are not used in its place",
                message_zh=f"{label['zh']}（{programme}）没有 {sector} 行业的规则版本；已有版本的行业：{'、'.join(has)}。"
                           "试点无本行业指南的企业按试点通用页面报告（sector 填 general）；试点有本行业指南但尚未编入的，"
                           "暂不能按试点规则计算。不会以全国规则代替",
                code="no_ruleset")
        return index.select(sector, year, programme)

    def month_periods(self, submission: dict, comp: Composition, year: int, ruleset_id: str | None = None) -> list | None:
        """[(Period, Composition)] of a reporting year split between editions (power 2022: the 9号
        guideline to March, the 2022 revision from April), for :func:`calculate`; None when one
        edition governs the whole year, or when the rules are pinned to one edition (``ruleset_id``
        or the submission's ``ruleset``: a verifier's or a differ's choice applies to every month)."""
        if ruleset_id or submission.get("ruleset") or comp.sector == GENERAL:
            return None
        periods = self.host.index.periods(comp.sector, year, comp.ruleset.programme)
        if len(periods) < 2 or comp.ruleset not in [p.ruleset for p in periods]:
            return None
        return [(p, comp if p.ruleset is comp.ruleset else self._composed(comp.sector, comp.general, p.ruleset))
                for p in periods]

    def _composed(self, sector: str, general: Ruleset, own: Ruleset) -> Composition:
        """The composition of ``own`` (a ruleset of ``sector``) with ``general``, composed once: kept in
        memory, and on disk between processes (:mod:`.calc.store`)."""
        key = (general.id, own.id)
        comp = self._compositions.get(key)
        if comp is None:
            sector_rs, pages, stored_key = self._to_compose(sector, general, own)
            comp = store.composed(general, sector_rs, pages, stored_key)
            self._compositions[key] = comp
        return comp

    def _to_compose(self, sector: str, general: Ruleset, own: Ruleset) -> tuple:
        """(sector ruleset or None, the pages its plugin's hooks give, the disk cache key) of one composition."""
        key = (general.id, own.id)
        found = self._inputs.get(key)
        if found is None:
            if sector == GENERAL:
                sector_rs, pages = None, None
            else:
                sector_rs = own
                pages = (self.host.call_sector_hook("mrv_process_pages", sector, ruleset=own) or []) + \
                        (self.host.call_sector_hook("mrv_supplementary_tables", sector, ruleset=own) or [])
            found = self._inputs[key] = (sector_rs, pages, store.key(general, sector_rs, pages))
        return found

    def _checked(self, sector: str, general: Ruleset, own: Ruleset) -> None:
        """Compose ``own`` with ``general`` unless it is composed already or the disk holds it (an entry
        is made only by a composition that checked, from the same rules, pages and code)."""
        if (general.id, own.id) not in self._compositions and not store.stored(self._to_compose(sector, general, own)[2]):
            self._composed(sector, general, own)

    def _check_sector(self, entry) -> None:
        """Compose each edition of a sector with every general edition governing one of its years
        (the host calls this when the sector's rulesets load; raising marks the sector broken)."""
        sector = entry.info.id
        if sector == GENERAL:
            for general in entry.rulesets:
                self._checked(GENERAL, general, general)
            return
        self.host.sector(GENERAL)
        for own in entry.rulesets:
            for general in self.host.index.editions(GENERAL, own.programme):
                lo = max(own.year_from, general.year_from)
                hi = min(y for y in (own.year_to, general.year_to, 10**6) if y is not None)
                if lo <= hi:
                    self._checked(sector, general, own)

    def form(self, sector: str, year: int | None = None, ruleset_id: str | None = None, lang: str | None = None,
             programme: str | None = None) -> dict:
        """The composed form as JSON Schema (docs/forms.md): titles in ``lang`` (``zh``, ``en``),
        or both (``中文 / English``) when None; ``programme`` (``hubei_pilot``) gives a pilot's form,
        whose submissions name the programme."""
        from .output.forms import form_schema

        comp = self.composition(sector, year, ruleset_id, programme=programme)
        return form_schema(comp, year, lang)

    @staticmethod
    def schema(name: str) -> dict:
        """A bundled JSON Schema: ``submission``, ``report``, ``findings``, ``ruleset`` or ``golden``."""
        return bundled_schema(f"{name}.schema.json")

    def template(self, sector: str, year: int | None = None, ruleset_id: str | None = None, lang: str = "zh",
                 submission: dict | None = None, programme: str | None = None) -> bytes:
        """The input workbook (.xlsx bytes) of the composed form of ``sector`` for ``year`` (under
        ``programme``, by default the submission's), filled from ``submission`` when given; a filled
        one reads back with :func:`mrv_engine.load_document`."""
        from .workbook.template import build_template

        programme = programme or (programme_of(submission) if submission else None)
        comp = self.composition(sector, year, ruleset_id, programme=programme)
        form = self.form(sector, year, ruleset_id, programme=programme)
        return build_template(form, [rs.summary() for rs in comp.rulesets], lang, submission)

    def check_workbook(self, book) -> list[Finding]:
        """A warning when a template read by :func:`mrv_engine.read_workbook` was made under other rules
        (ruleset ids or hashes) than those that now govern its sector and year: its form may differ."""
        made = [(r.get("id"), r.get("sha256")) for r in book.meta.get("rulesets", [])]
        try:
            comp = self.composition(book.submission["sector"], book.submission["year"], book.submission.get("ruleset"),
                                    programme=programme_of(book.submission))
        except (SectorNotFound, SelectionError):
            return []  # the submission's own findings say so
        now = [(rs.id, rs.digest) for rs in comp.rulesets]
        if not made or made == now:
            return []
        then_text = ", ".join(f"{i} ({(d or '')[:12]})" for i, d in made)
        now_text = ", ".join(f"{i} ({d[:12]})" for i, d in now)
        cover = book.meta.get("cover", {}).get("sheet", "")
        return [Finding("workbook.rules_changed", cover,
                        f"this template was made under {then_text}; the rules are now {now_text}: the form may have "
                        "changed, make a new template with `mrv template --from` this file",
                        f"此模板依据 {then_text} 生成；现行规则为 {now_text}：表单可能已变，请用 `mrv template --from` 本文件重新生成",
                        severity="warning")]

    def workbook(self, obj, lang: str = "zh") -> bytes:
        """A calculation Result or a VerificationReport as an .xlsx workbook whose figures are live
        Excel formulas over the cells of their operands (``mrv calc/verify --format xlsx``); where an
        allocation plan governs the year, with the allocation and the surrender obligation. An
        Allocation or a Compliance on its own (``mrv allocate/comply --format xlsx``): their sheets only."""
        from .compliance.allocate import Allocation
        from .compliance.comply import Compliance
        from .verify.recompute import VerificationReport
        from .workbook.report import build_report

        if isinstance(obj, (Allocation, Compliance)):
            from .workbook.compliance import build_book

            return build_book(obj, lang)
        if isinstance(obj, Result):
            return build_report(obj, lang, **self._obligation(obj, lang))
        if isinstance(obj, VerificationReport):
            return build_report(obj.result, lang, verification=obj, **self._obligation(obj.result, lang))
        raise TypeError(f"cannot write {type(obj).__name__} as a workbook")

    def _obligation(self, result: Result, lang: str) -> dict:
        """The compliance of a calculated report under the plan of its year, for the workbook: {} where no
        plan governs it, {"refusal": ...} where one does but cannot allocate (a figure not confirmed, a
        year refused), saying why."""
        from .compliance.allocate import allocate as allocate_plan
        from .compliance.comply import comply as comply_plan

        try:
            plan = self.plan_index.select(result.comp.sector, result.year)
        except SelectionError:
            return {}
        try:
            return {"compliance": comply_plan(allocate_plan(plan, result))}
        except InputError as exc:
            text = "; ".join(f.text(lang) for f in exc.findings[:5]) if exc.findings else str(exc)
            return {"refusal": {"plan": plan.title[lang], "message": text}}

    def boundary(self, sector: str, year: int, programme: str | None = None) -> dict:
        comp = self.composition(sector, year, programme=programme)
        return self.host.call_sector_hook("mrv_boundary", sector, ruleset=comp.ruleset) or comp.general.data.get("boundary", {})

    # -- submissions -----------------------------------------------------------------
    def check_envelope(self, submission) -> list[Finding]:
        """Findings of the submission schema (the envelope: sector, year, pages...)."""
        if not isinstance(submission, dict):
            return [Finding("schema", "$", "a submission must be an object", "填报数据须为对象")]
        if plainly_valid(submission):
            # An ordinary envelope, checked directly and exactly as the schema says (rules/envelope.py):
            # a twentieth of jsonschema's time. Anything else, and every invalid one, goes to jsonschema.
            return []
        pages = submission.get("pages")
        if isinstance(pages, dict):
            # Rows are checked field by field by the engine against the composed form
            # (which also refuses a row that is not an object); the schema checks the rest.
            shallow = {k: ([] if isinstance(v, list) else v) for k, v in pages.items()}
            submission = {**submission, "pages": shallow}
        # An envelope found valid before is not validated again (rules/cache.validated): a fresh
        # process then never imports jsonschema for a submission whose rows alone changed.
        errs = validated("submission.schema.json", submission,
                         lambda data: schema_errors("submission.schema.json", data, json_path))
        return [Finding("schema", p, m) for p, m in errs]

    def composition_for(self, submission: dict, year: int | None = None, ruleset_id: str | None = None):
        """(composition, reporting year) that govern ``submission``, after checking its envelope;
        ``year`` or ``ruleset_id`` override the submission's own (a verifier pinning the rules)."""
        self.refuse(self.check_envelope(submission))
        pinned = year is not None or ruleset_id is not None
        year = year or submission["year"]
        try:
            comp = self.composition(submission["sector"], year, ruleset_id or submission.get("ruleset"),
                                    programme=programme_of(submission))
        except (SectorNotFound, SelectionError) as exc:
            # The sector, year or ruleset the submission names is a finding in the user's data,
            # at its place; one pinned by the caller (a verifier's --year / --ruleset) stays an error.
            if isinstance(exc, SectorNotFound):
                place, code = "$.sector", "unknown_sector"
            elif isinstance(exc, ProgrammeError):
                place, code = "$.programme", exc.code
            elif pinned:
                raise
            else:
                place, code = ("$.ruleset", "unknown_ruleset") if submission.get("ruleset") else ("$.year", "no_ruleset")
            finding = Finding(code, place, exc.message, exc.message_zh)
            raise InputError(f"{place}: {exc.message}", [finding]) from None
        return comp, year

    def calculate(self, submission: dict, year: int | None = None, ruleset_id: str | None = None,
                  source_name: str = "") -> Result:
        """Calculate ``submission``; :class:`InputError` carries every finding when it is invalid."""
        comp, year = self.composition_for(submission, year, ruleset_id)
        result = calculate(comp, submission, year, source_name, self.month_periods(submission, comp, year, ruleset_id))
        # The sector's own checks (hook mrv_checks): an error refuses the submission as a core
        # finding would; the other findings stay on the result.
        findings = self.host.run_checks(submission["sector"], result)
        self.refuse(findings)
        result.findings = [*result.findings, *findings]  # the calculation's warnings, then the plugin's
        return result

    @staticmethod
    def refuse(findings: list[Finding]) -> None:
        """Raise :class:`InputError` with ``findings`` when any is an error."""
        errors = [f for f in findings if f.is_error]
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise InputError(f"{errors[0].place}: {errors[0].message}{more}", errors)

    def validate(self, submission: dict, year: int | None = None, ruleset_id: str | None = None) -> list[Finding]:
        """Every finding in ``submission``: the errors that refuse it, or, when it calculates, the
        warnings of its sector's checks (empty when it is clean)."""
        try:
            return self.calculate(submission, year, ruleset_id).findings
        except InputError as exc:
            return exc.all_findings()

    # -- output ----------------------------------------------------------------------
    @staticmethod
    def trace(result: Result, figure: str | None = None, page: str | None = None):
        """The trace nodes of ``result`` (every figure, or those :meth:`explain` selects the same way)."""
        from .output import trace

        return trace.select(trace.build(result), figure, page)

    @staticmethod
    def explain(result: Result, lang: str = "zh", figure: str | None = None, page: str | None = None) -> str:
        """The trace of ``result`` as text; only one figure (its JSON path, or a row's) and/or one page when asked."""
        from .output import trace

        return trace.render_text(trace.select(trace.build(result), figure, page), lang)

    @staticmethod
    def node_text(node, lang: str = "zh") -> str:
        """The text of one node of :meth:`trace`, as :meth:`explain` shows it."""
        from .output import trace

        return trace.render_text([node], lang)

    @staticmethod
    def report(result: Result, pages: bool = True) -> dict:
        """The report as JSON-ready data (schemas/report.schema.json); ``pages=False``: without the
        pages' rows and summaries (totals, emissions, rulesets, findings only), cheaper for a host that
        stores the figures by place (:meth:`figures`), as ``mrv batch`` does."""
        from .output.report import to_dict

        return to_dict(result, pages)

    @staticmethod
    def figures(result) -> list[dict]:
        """Every figure of a calculation :class:`Result` (or of a verification report's recomputation)
        by its JSON path: ``place, kind`` (formula | summary | field | total), exact ``value``,
        ``unit``, ``decimals`` (the rounding the rules apply, or None), ``source`` (a field's
        provenance: input, measured, default, ...; ``computed`` for a formula), ``emission`` and ``label`` ({zh, en}).
        What a store of many reports keeps (``mrv batch``)."""
        from .output.figures import figure_rows, figures_of

        if not isinstance(result, Result):  # a VerificationReport
            return figure_rows(result.figures) if result.result is not None else []
        return figure_rows(figures_of(result))

    @staticmethod
    def figure_table(result, seen: set | None = None) -> tuple[list[tuple], list[tuple]]:
        """The figures of :meth:`figures` as compact rows, for a store of many reports (``mrv batch``):
        ``(rows, labels)``, rows of the columns ``place, page, row, name, kind, value`` (exact, as text),
        ``value_real, unit, decimals, source, emission`` (0/1) in this order (``core.output.figures.FIGURE_COLUMNS``,
        the ``figures`` table of ``mrv batch`` after its document id), labels
        ``(page, name, label_zh, label_en)`` only of the figures whose ``(page, name)`` is not yet in ``seen``
        (a set the caller keeps per sector; it is updated). Built once from the figures the calculation or
        verification already holds, without the dicts of :meth:`figures`."""
        from .output.figures import figure_table, figures_of

        if not isinstance(result, Result):  # a VerificationReport
            return figure_table(result.figures, seen) if result.result is not None else ([], [])
        return figure_table(figures_of(result), seen)

    # -- verification ----------------------------------------------------------------
    def verify(self, submission: dict, year: int | None = None, ruleset_id: str | None = None,
               source_name: str = "", cell_of=None):
        """Recompute ``submission`` under its year's rules, compare what it reported, run every check.

        Returns a :class:`~mrv_engine.core.verify.recompute.VerificationReport` (``.findings``, ``.to_dict()``).
        ``cell_of`` (``WorkbookRead.cell_of`` of a submission read from a workbook) maps a JSON path to
        its ``sheet!cell``: every rendering of the report then names the cell of each finding.
        """
        from .verify.recompute import verify as recompute

        report = recompute(self, submission, year, ruleset_id, source_name=source_name)
        if cell_of is not None:
            # A reported figure's cell is on the reported-values sheet; an input's on its page.
            report.cells = {f.place: c for f in report.findings
                            if (c := cell_of(f"$.reported.{f.place}") or cell_of(f.place))}
        return report

    def diff(self, submission: dict, a, b):
        """What differs between two rule versions (years or ruleset ids) and its effect on ``submission``;
        between two allocation plans (plan ids) when both name one: the changed benchmarks and factors and
        the effect on the submission's allowances."""
        from .diff.differ import diff as diff_rules
        from .diff.plans import diff_plans

        if str(a) in self.plan_index.by_id and str(b) in self.plan_index.by_id:
            return diff_plans(self, submission, str(a), str(b))
        return diff_rules(self, submission, a, b)

    # -- allocation and compliance ----------------------------------------------------
    @property
    def plan_index(self) -> PlanIndex:
        """The allocation plans (bundled with mrv-engine unless the Engine was given others), loaded once."""
        if self._plans is None:
            from .compliance.plans import bundled_plans

            self._plans = bundled_plans()
        return self._plans

    def plans(self, sector: str | None = None, year: int | None = None) -> list[Plan]:
        """Allocation plans, optionally of one sector and governing one compliance year."""
        return [p for p in self.plan_index.all() if sector in (None, p.sector) and (year is None or p.governs(year))]

    def plan(self, plan_id: str) -> Plan:
        return self.plan_index.get(plan_id)

    def plan_for(self, sector: str, year: int, plan_id: str | None = None) -> Plan:
        """The plan ``plan_id`` (checked to be of ``sector``), or the one governing ``year``; a year no plan
        governs is an :class:`InputError` finding at ``$.year``."""
        if plan_id:
            plan = self.plan_index.get(plan_id)
            if plan.sector != sector:
                raise SelectionError(f"allocation plan {plan_id!r} is for sector {plan.sector!r}, not {sector!r}",
                                     code="allocation.unknown_plan")
            return plan
        try:
            return self.plan_index.select(sector, year)
        except SelectionError as exc:
            raise InputError(f"$.year: {exc.message}", [Finding("allocation.no_plan", "$.year", exc.message,
                             f"没有适用于 {sector} 行业 {year} 年度的配额分配方案")]) from None

    def allocate(self, submission: dict, plan_id: str | None = None, figures: dict | None = None,
                 base: dict | None = None, base_name: str = "base") -> Allocation:
        """The allowances of each unit of ``submission`` and of the enterprise, under the plan of its year
        (or ``plan_id``), each figure traced (``.nodes()``).

        :param figures: figures the plan does not give (``name`` or ``name.category`` -> number), marked as supplied.
        :param base: base-year production for a pre-allocation, ``{"year": Y, "units": {unit: {input: number}}}``.
        """
        from .compliance.allocate import allocate as allocate_plan

        result = self.calculate(submission)
        plan = self.plan_for(result.comp.sector, result.year, plan_id)
        return allocate_plan(plan, result, figures, base, base_name)

    def benchmarks(self, result) -> list[dict]:
        """Each unit's emission intensity beside the allocation benchmark of its category, under the plan
        governing the result's year (a calculation :class:`Result` or a verification report): ``place``,
        ``unit_key``, ``category`` (+ ``category_label``), ``figure``, ``intensity``, ``benchmark_name``,
        ``benchmark``, ``unit``, ``plan``, ``year``, ``verified``, ``citation``. Empty when no plan governs
        the year or the plan gives no benchmark for it (what ``mrv screen`` compares)."""
        from .compliance.benchmarks import benchmarks as plan_benchmarks

        if not isinstance(result, Result):  # a VerificationReport: its recomputation
            result = result.result
        if result is None:
            return []
        plans = self.plans(result.comp.sector, result.year)
        return plan_benchmarks(plans[0], result) if plans else []

    def comply(self, submission: dict, allowances=None, ccer=None, banked=None, net_sold=None,
               plan_id: str | None = None, figures: dict | None = None) -> Compliance:
        """The surrender obligation of ``submission``'s enterprise and year under its plan: caps, exemptions,
        CCER offsets, banking and borrowing, and what remains to buy, each step traced (``.nodes``).

        :param allowances: the allowances held for the year (default: the allocation computed under the plan).
        :param ccer: CCER held; ``banked``: allowances carried from earlier years; ``net_sold``: net allowances
            sold (for a plan that caps banking by them). Amounts are exact decimals (text), never floats.
        """
        from .compliance.comply import comply as comply_plan

        alloc = self.allocate(submission, plan_id, figures)
        return comply_plan(alloc, allowances, ccer, banked, net_sold)

    def calendar(self, year: int, province: str | None = None, sector: str | None = None):
        """The deadlines of the compliance chain for data ``year`` (national, the province's, each plan's
        surrender deadline), each cited; render it as ``table``, ``json`` or ``ics`` (iCalendar)."""
        from .compliance import calendar as compliance_calendar

        if sector is not None:
            self.host.sector(sector)  # an unknown sector is a usage error, as everywhere
        return compliance_calendar.build(year, province, sector, self.plans())

    # -- rendering -------------------------------------------------------------------
    @staticmethod
    def render(obj, fmt: str = "table", lang: str = "zh") -> str:
        """Text of a calculation Result, a VerificationReport or a RulesetDiff in ``fmt``
        (``json``, ``table``, ``markdown``; ``html`` for verification reports)."""
        # Each kind's renderer is imported only when an object of that kind is rendered.
        if isinstance(obj, Result):
            from .output.report import render_markdown, render_table, to_dict

            if fmt == "json":
                return to_json(to_dict(obj))
            return {"table": render_table, "markdown": render_markdown}[fmt](obj, lang)
        from .compliance import calendar as compliance_calendar
        from .compliance import render as compliance_render
        from .compliance.allocate import Allocation
        from .compliance.comply import Compliance
        from .diff.differ import RulesetDiff
        from .diff.plans import PlanDiff, render_plan_diff
        from .diff.render import render_diff_markdown, render_diff_table
        from .output import trace
        from .verify import render as verify_render
        from .verify.recompute import VerificationReport

        if isinstance(obj, VerificationReport):
            if fmt == "json":
                return to_json(obj.to_dict())
            return {"table": verify_render.render_table, "markdown": verify_render.render_markdown,
                    "html": verify_render.render_html}[fmt](obj, lang)
        if isinstance(obj, RulesetDiff):
            if fmt == "json":
                return to_json(obj.to_dict())
            return {"table": render_diff_table, "markdown": render_diff_markdown}[fmt](obj, lang)
        if isinstance(obj, PlanDiff):
            if fmt == "json":
                return to_json(obj.to_dict())
            return render_plan_diff(obj, lang, markdown=fmt == "markdown")
        if isinstance(obj, Allocation):
            if fmt == "json":
                return to_json(obj.to_dict())
            return {"table": compliance_render.allocation_table, "markdown": compliance_render.allocation_markdown,
                    "explain": compliance_render.allocation_explain}[fmt](obj, lang)
        if isinstance(obj, compliance_calendar.Calendar):
            if fmt == "json":
                return to_json(obj.to_dict())
            return {"table": compliance_calendar.table, "ics": compliance_calendar.to_ics}[fmt](obj, lang)
        if isinstance(obj, Compliance):
            if fmt == "json":
                return to_json(obj.to_dict())
            if fmt == "explain":
                return trace.render_text(obj.nodes, lang)
            return compliance_render.compliance_table(obj, lang)
        raise TypeError(f"cannot render {type(obj).__name__}")
