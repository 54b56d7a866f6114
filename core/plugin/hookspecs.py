"""Hook specifications of the mrv-engine host (pluggy project name ``mrv_engine``).

A sector plugin is an object (usually a :class:`mrv_engine.plugin.DataSector`)
whose methods carry :data:`hookimpl`. It is found through the entry-point group
``mrv_engine.sectors``; the built-in sectors are declared there by mrv-engine's
own pyproject, so they load through exactly the same path as third-party ones.

Every hook except :func:`mrv_register_sectors` receives ``sector`` (an id) and
must return ``None`` when the sector is not its own.
"""

from __future__ import annotations

from typing import Callable

from ..rules.ruleset import Ruleset
from .markers import PROJECT, hookimpl, hookspec
from .sector import SectorInfo

__all__ = ["PROJECT", "hookimpl", "hookspec", "mrv_register_sectors", "mrv_boundary", "mrv_process_pages",
           "mrv_supplementary_tables", "mrv_checks"]


@hookspec
def mrv_register_sectors(register: Callable[[SectorInfo], None]) -> None:
    """Register the sectors this plugin provides.

    :param register: call it once per sector with a :class:`~mrv_engine.core.plugin.sector.SectorInfo`
        (id, names in Chinese and English, guideline references, the folder of its rulesets).
        The host validates it and refuses an id that another plugin already took.

    Called once, when the host loads plugins.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def mrv_boundary(sector: str, ruleset: Ruleset) -> dict | None:
    """Describe the accounting boundary of ``sector`` under ``ruleset``.

    :return: ``{"entity": {zh, en}, "includes": [...], "excludes": [...],
        "supplementary": {zh, en}, "source": citation}``: what the reporting entity and the
        supplementary-data-table boundary contain; ``None`` if ``sector`` is not yours.

    Stops at the first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def mrv_process_pages(sector: str, ruleset: Ruleset) -> list[dict] | None:
    """The sector's process-emission pages under ``ruleset``: its base page and, where it has
    one, its supplement page (page dicts in the ruleset schema's ``page`` form, roles
    ``base`` / ``supplement``). The host adds its energy pages before them and its general
    page after them.

    Stops at the first non-None result.

    .. versionadded:: 0.1
    """


@hookspec(firstresult=True)
def mrv_supplementary_tables(sector: str, ruleset: Ruleset) -> list[dict] | None:
    """The sector's supplementary data tables (per product or facility, for allowance
    allocation) under ``ruleset``, as page dicts with role ``supplementary``. Their figures
    have their own boundary and never count towards the report's totals.

    Stops at the first non-None result.

    .. versionadded:: 0.1
    """


@hookspec
def mrv_checks(sector: str, register: Callable) -> None:
    """Register the sector's own verification checks.

    :param register: call ``register(code, check)`` where ``check(result)`` returns the findings
        (dicts or :class:`~mrv_engine.plugin.Finding`) of a calculated result; the contract
        (keys, severities, what happens when a check raises) is :mod:`mrv_engine.core.plugin.checks`
        and docs/writing-a-sector-plugin.md.

    .. versionadded:: 0.1
    """
