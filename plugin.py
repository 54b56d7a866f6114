"""The public plugin API: everything a sector plugin needs, and the only mrv-engine module it imports.

    from mrv_engine.plugin import DataSector, bundled_rulesets   # a built-in sector
    from mrv_engine.plugin import DataSector                     # a third-party one: rulesets=resources.files(...)

    plugin = DataSector(id="lime", name_zh="石灰", name_en="Lime", rulesets=..., checks={"code": check})

What it exports:

* :class:`DataSector` - the sector plugin most sectors are: pages, boundary and supplementary
  tables all come from its rulesets; subclass it and override a hook only where data cannot
  say it. :class:`SectorInfo` and :class:`Guideline` are what a plugin registers.
* :data:`hookimpl` - the marker of a hook implementation (hooks: ``mrv_register_sectors``,
  ``mrv_boundary``, ``mrv_process_pages``, ``mrv_supplementary_tables``, ``mrv_checks``).
* :func:`bundled_rulesets` - the folder of a sector's rulesets shipped inside mrv-engine.
* :class:`Finding`, :data:`SEVERITIES` - what a check returns (a dict with the same keys is
  accepted too); the check contract is written down in docs/writing-a-sector-plugin.md and
  enforced in one place (:mod:`mrv_engine.core.plugin.checks`).
* :func:`grid_factor` - the grid emission factor of a reporting year and programme
  (``LEGAL_BOUNDARY``, ``SUPPLEMENTARY`` or a provincial pilot), for the enterprise's
  province where the rule goes by region, as a :class:`GridChoice` with its reason and
  citations; it raises :class:`InputError` with the finding when the rules cannot choose.
  In a ruleset no code is needed: a parameter declared ``grid: legal_boundary`` is chosen
  per report by the same rules (docs/writing-a-sector-plugin.md).
* :func:`refuse_unverified_defaults` - a ready-made check for a sector whose rules allow no
  unconfirmed default: register it (``checks={"unverified_default": refuse_unverified_defaults}``)
  and a calculation that would rest on a figure shipped ``verified: false`` is refused at the
  place where the submission can give its own figure (added in API 1.2).
* :class:`Ruleset`, :class:`Result` - the types a hook and a check receive, for annotations.
  A check reads a result through ``result.page(page_id).rows`` (each row's ``values`` and
  ``index``), ``result.page(page_id).spec.fields`` (labels, units), ``result.comp.tables``
  and ``result.comp.ruleset.citation({"doc": ..., "clause": ...})``.

**Stability.** The names in ``__all__`` and the attributes listed above are the plugin API.
They change only with a new major version of mrv-engine, after a minor version that keeps
the old form working with a deprecation warning; a hook gains arguments only as optional
ones. Everything under ``mrv_engine.core`` is internal and may change in any release:
a test of mrv-engine asserts that its own sector plugins import nothing else.
"""

from .core.base.errors import InputError
from .core.base.findings import SEVERITIES, Finding
from .core.calc.results import Result
from .core.plugin.defaults import refuse_unverified_defaults
from .core.plugin.grid import grid_factor
from .core.plugin.markers import hookimpl
from .core.plugin.sector import DataSector, Guideline, SectorInfo, bundled_rulesets
from .core.rules.grid import LEGAL_BOUNDARY, SUPPLEMENTARY, GridChoice
from .core.rules.ruleset import Ruleset

#: Version of this API: its major part changes only when a name above changes incompatibly.
API_VERSION = "1.2"

__all__ = [
    "API_VERSION", "DataSector", "SectorInfo", "Guideline", "hookimpl", "bundled_rulesets",
    "Finding", "SEVERITIES", "Ruleset", "Result",
    "grid_factor", "GridChoice", "LEGAL_BOUNDARY", "SUPPLEMENTARY", "InputError",
    "refuse_unverified_defaults",
]
