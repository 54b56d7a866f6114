"""The grid factor of a year and programme, for sector plugins (exported by ``mrv_engine.plugin``).

A sector's rulesets normally need no code for it: a parameter declared ``grid:
legal_boundary`` (or ``supplementary``) is chosen per report by the host's grid rules.
This function is for a plugin's Python (a check, a hook) that needs the same figure: it
reads the ``grid`` block of the host's general ruleset governing ``year`` (or of the
ruleset it is given) and returns the choice with its reason and citations, or raises
:class:`~mrv_engine.core.base.errors.InputError` carrying the finding that says what is
missing (a province, a confirmed factor).
"""

from __future__ import annotations

from functools import lru_cache

from ..base.errors import InputError, SelectionError
from ..base.findings import Finding
from ..rules.grid import LEGAL_BOUNDARY, NATIONAL, GridChoice
from ..rules.ruleset import Ruleset, is_golden, parse_ruleset
from .sector import bundled_rulesets


@lru_cache(maxsize=1)
def _general_rulesets() -> tuple[Ruleset, ...]:
    folder = bundled_rulesets("general")
    files = sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")) and not is_golden(f.name)),
                   key=lambda f: f.name)
    return tuple(parse_ruleset(f.read_text(encoding="utf-8"), f"rulesets/general/{f.name}") for f in files)


def grid_factor(year: int, programme: str = LEGAL_BOUNDARY, province: str | None = None,
                sector: str = "general", ruleset: Ruleset | None = None) -> GridChoice:
    """The grid emission factor of reporting ``year`` for ``programme`` (``legal_boundary``,
    ``supplementary`` or a provincial pilot's id) and ``sector``; ``province`` as
    ``$.enterprise.province`` gives it (河北, 河北省, Hebei), needed where the rule goes by region.

    Returns a :class:`GridChoice` (``.value``, ``.unit``, ``.series``, ``.why`` {zh, en},
    ``.citation``, ``.rule_citation``, ``.verified``, ``.as_dict()``); raises
    :class:`InputError` whose one finding names what is missing."""
    if ruleset is not None and ruleset.grid is not None:
        rules = ruleset.grid
    else:
        found = [rs for rs in _general_rulesets() if rs.governs(year) and rs.grid is not None]
        if not found:
            raise SelectionError(f"no general ruleset with grid rules governs reporting year {year}")
        # A pilot's own general edition (programme: hubei_pilot) holds the pilot's grid rules;
        # every other programme reads the national general edition's.
        own = [rs for rs in found if rs.programme == programme] or [rs for rs in found if rs.programme == NATIONAL]
        rules = (own or found)[0].grid
    got = rules.select(year, programme, province, sector)
    if isinstance(got, GridChoice):
        return got
    place = got.place or "$.parameters.grid_ef"
    raise InputError(f"{place}: {got.message}", [Finding(got.code, place, got.message, got.message_zh)])
