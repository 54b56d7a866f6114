"""The plugin host: discovery, per-plugin isolation, sectors and their rulesets.

Each entry point of group ``mrv_engine.sectors`` is loaded on its own; a plugin
that fails to import, implements a hook the host does not know, or registers
an invalid sector is recorded as broken with the reason and unregistered, and
the other sectors load as usual.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import entry_points

import pluggy

from ..base.errors import MrvError, PluginLoadError, RulesetError, SectorNotFound
from ..rules.cache import load_ruleset
from ..rules.ruleset import Ruleset, RulesetIndex, is_golden
from . import checks, hookspecs
from .sector import SectorInfo

GROUP = "mrv_engine.sectors"


@dataclass
class PluginStatus:
    name: str
    status: str  # ok | broken | blocked
    reason: str = ""
    distribution: str = ""
    version: str = ""
    sectors: list[str] = field(default_factory=list)


@dataclass
class SectorEntry:
    info: SectorInfo
    plugin: object
    plugin_name: str
    status: str = "ok"
    reason: str = ""
    rulesets: list[Ruleset] | None = None


class Host:
    """Loads sector plugins and their rulesets.

    :param entry_points: discover plugins through the ``mrv_engine.sectors`` entry points.
    :param plugins: extra plugin objects to register, as ``(name, object)`` pairs (tests, host apps).
    :param blocked: plugin names not to load (also ``MRV_DISABLE_PLUGINS=a,b``).
    """

    def __init__(self, entry_points: bool = True, plugins=(), blocked=()):
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        env_blocked = [b.strip() for b in os.environ.get("MRV_DISABLE_PLUGINS", "").split(",") if b.strip()]
        self.blocked = set(blocked) | set(env_blocked)
        self.plugins: dict[str, PluginStatus] = {}
        self.sectors: dict[str, SectorEntry] = {}
        self.index = RulesetIndex()
        if entry_points:
            self._load_entry_points()
        for name, obj in plugins:
            self.add_plugin(name, obj)

    # -- discovery -------------------------------------------------------------------
    def _load_entry_points(self) -> None:
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            status = PluginStatus(ep.name, "ok", distribution=getattr(dist, "name", "") or "", version=getattr(dist, "version", "") or "")
            if ep.name in self.blocked:
                status.status, status.reason = "blocked", "blocked by MRV_DISABLE_PLUGINS or the host"
                self.plugins[ep.name] = status
                continue
            try:
                obj = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure is the plugin's, not ours
                status.status, status.reason = "broken", f"failed to import {ep.value}: {type(exc).__name__}: {exc}"
                self.plugins[ep.name] = status
                continue
            self.add_plugin(ep.name, obj, status)

    def add_plugin(self, name: str, obj, status: PluginStatus | None = None) -> PluginStatus:
        """Register one plugin object; a broken one is recorded, never raised."""
        status = status or PluginStatus(name, "ok")
        self.plugins[name] = status
        if name in self.blocked:
            status.status, status.reason = "blocked", "blocked by MRV_DISABLE_PLUGINS or the host"
            return status
        try:
            self.pm.register(obj, name=name)
        except Exception as exc:  # noqa: BLE001
            status.status, status.reason = "broken", f"cannot be registered: {exc}"
            return status
        unknown = [c.name for c in (self.pm.get_hookcallers(obj) or []) if c.spec is None]
        if unknown:
            self.pm.unregister(obj)
            status.status, status.reason = "broken", f"implements unknown hook(s) {', '.join(unknown)} (misspelt, or written for another mrv-engine version)"
            return status
        registered = []

        def register(info):
            if not isinstance(info, SectorInfo):
                info = SectorInfo.model_validate(info)
            if info.id in self.sectors:
                raise PluginLoadError(f"sector {info.id!r} is already registered by plugin {self.sectors[info.id].plugin_name!r}")
            registered.append(info)

        try:
            for impl in self._impls(obj, "mrv_register_sectors"):
                impl.function(register=register)
        except Exception as exc:  # noqa: BLE001
            self.pm.unregister(obj)
            status.status, status.reason = "broken", f"mrv_register_sectors failed: {type(exc).__name__}: {exc}"
            return status
        for info in registered:
            self.sectors[info.id] = SectorEntry(info, obj, name)
            status.sectors.append(info.id)
        return status

    def _impls(self, plugin, hook: str):
        caller = getattr(self.pm.hook, hook)
        return [i for i in caller.get_hookimpls() if i.plugin is plugin]

    def sector_checks(self, sector: str) -> list[tuple[str, object]]:
        """(code, check) pairs the sector's plugin registers through ``mrv_checks``."""
        registered = []

        def register(code, check):
            if not callable(check):
                raise TypeError(f"check {code!r} is not callable")
            registered.append((code, check))

        self.call_sector_hook("mrv_checks", sector, register=register)
        return registered

    def run_checks(self, sector: str, result) -> list:
        """Every finding of the sector's own checks on ``result``, under the ``mrv_checks`` contract
        (:mod:`.checks`): a check that raises, or a hook that cannot register its checks, is a
        ``plugin.check_failed`` finding naming the plugin, never an exception."""
        plugin = self.sector(sector).plugin_name
        try:
            registered = self.sector_checks(sector)
        except PluginLoadError as exc:
            return [checks.failed(plugin, "mrv_checks", exc.message)]
        return checks.run_checks(registered, plugin, result)

    def call_sector_hook(self, hook: str, sector: str, **kwargs):
        """Call ``hook`` on the plugin that owns ``sector`` only (attribution, isolation)."""
        entry = self.sector(sector)
        for impl in self._impls(entry.plugin, hook):
            try:
                value = impl.function(sector=sector, **kwargs)
            except Exception as exc:  # noqa: BLE001
                raise PluginLoadError(f"sector plugin {entry.plugin_name!r} failed in {hook}: {type(exc).__name__}: {exc}") from exc
            if value is not None:
                return value
        return None

    # -- sectors and rulesets -----------------------------------------------------------
    def sector(self, sector_id: str) -> SectorEntry:
        entry = self.sectors.get(sector_id)
        if entry is None:
            broken = [p for p in self.plugins.values() if p.status != "ok" and p.name == sector_id]
            if broken:
                p = broken[0]
                raise PluginLoadError(f"sector plugin {p.name!r} ({p.distribution or 'no distribution'} {p.version}) is {p.status}: {p.reason}; run `mrv sectors` for details")
            raise SectorNotFound(f"unknown sector {sector_id!r}; sectors: {', '.join(sorted(self.sectors))}")
        self._load_rulesets(entry)
        if entry.status != "ok":
            raise PluginLoadError(f"sector {sector_id!r} cannot be used: {entry.reason}")
        return entry

    def _load_rulesets(self, entry: SectorEntry) -> None:
        if entry.rulesets is not None:
            return
        entry.rulesets = []
        folder = entry.info.rulesets
        try:
            files = sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")) and not is_golden(f.name)),
                           key=lambda f: f.name)
        except OSError as exc:
            entry.status, entry.reason = "broken", f"cannot list rulesets in {folder}: {exc}"
            return
        loaded = []
        try:
            for f in files:
                rs = load_ruleset(f.read_text(encoding="utf-8"), _display_path(f))  # from the disk cache when it can
                if rs.sector != entry.info.id:
                    raise RulesetError(f"ruleset is for sector {rs.sector!r} but lies in the folder of sector {entry.info.id!r}", rs.where(("sector",)))
                self.index.add(rs)
                loaded.append(rs)
        except MrvError as exc:
            for rs in loaded:  # all of a sector's editions or none
                self.index.by_id.pop(rs.id, None)
                self.index.by_sector.get(rs.sector, []).remove(rs)
            entry.status, entry.reason = "broken", str(exc)
            return
        entry.rulesets = loaded

    def load_all(self) -> None:
        for entry in self.sectors.values():
            self._load_rulesets(entry)


def _display_path(f) -> str:
    """A ruleset's path as people should read it: ``rulesets/...`` for mrv-engine's own files."""
    text = str(f)
    own = str(resources.files("mrv_engine").joinpath("rulesets")) + os.sep
    return "rulesets" + os.sep + text[len(own):] if text.startswith(own) else text
