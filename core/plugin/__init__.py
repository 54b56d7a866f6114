"""The plugin host: hook specifications, discovery of sector plugins, the check contract.

- :mod:`.markers`, :mod:`.hookspecs` the pluggy markers and the five documented hooks;
- :mod:`.sector` what a plugin registers (:class:`~.sector.SectorInfo`) and :class:`~.sector.DataSector`;
- :mod:`.host` discovery through entry points, one plugin at a time, a broken one named and isolated;
- :mod:`.checks` the ``mrv_checks`` contract, enforced in one place for calculation and verification.

Plugins reach these through :mod:`mrv_engine.plugin`, never directly.

May import: :mod:`mrv_engine.core.rules`, :mod:`mrv_engine.core.base`.
"""
