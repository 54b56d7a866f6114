"""What every verification check sees: the submission as given, the verified recomputation, its figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..base.errors import InputError
from ..calc.engine import calculate

_PLACE = re.compile(r"^\$\.pages\.([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]\.([A-Za-z_][A-Za-z0-9_]*)$")


@dataclass
class CheckContext:
    """What every check sees: the submission as given, the verified recomputation and its figures."""

    engine: object
    submission: dict  # as given
    verified_submission: dict  # what was recomputed (overrides of the year's rules removed)
    year: int
    ruleset_id: str | None
    result: object
    figures: dict
    comparisons: list
    removed_overrides: dict  # parameter -> raw override removed from the recomputation
    slips: set = field(default_factory=set)  # places the unit-slip check read as slips (set by check_plausible)

    @property
    def comp(self):
        return self.result.comp

    @property
    def plan(self) -> dict | None:
        return self.submission.get("plan")

    @property
    def previous_plan(self) -> dict | None:
        return self.submission.get("previous_plan")

    @property
    def evidence(self) -> dict:
        return self.submission.get("evidence") or {}

    def recalc(self, submission: dict):
        """Recompute a variant of the submission under the same rules; None when it does not compute."""
        try:
            return calculate(self.result.comp, submission, self.year)
        except InputError:
            return None

    def row(self, place: str):
        """(PageResult, RowState, field id) of ``$.pages.P[i].F``; None when there is no such row."""
        m = _PLACE.match(place)
        if not m:
            return None
        page, idx, fid = m.group(1), int(m.group(2)), m.group(3)
        try:
            pr = self.result.page(page)
        except KeyError:
            return None
        for r in pr.rows:
            if r.index == idx:
                return pr, r, fid
        return None

    def raw_value(self, page: str, index: int, fid: str):
        rows = (self.submission.get("pages") or {}).get(page) or []
        if index < len(rows) and isinstance(rows[index], dict):
            return rows[index].get(fid)
        return None
