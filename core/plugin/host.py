"""The plugin host: discovery, per-plugin isolation, sectors and their rulesets.

Each entry point of group ``mrv_engine.sectors`` is loaded on its own; a plugin that fails in
any way (an import that raises or does not finish within :data:`LOAD_SECONDS`, a hook the
host does not know, an invalid registration, a sector id already taken) is recorded as broken
with the reason and unregistered, and the other sectors load as usual. mrv-engine's own
sectors are registered first, so a third-party plugin can never take (shadow) a built-in id.

A sector's rulesets are read through the bounded readers of :mod:`..base.documents` (regular
files only, size, depth, alias and number limits) and checked by the host's ``checker`` (the
:class:`~mrv_engine.core.api.Engine` composes every edition, compiling every formula): any
failure, of any kind, marks that sector broken with the reason, never another sector.
Plugin code runs in the host's process: its time is bounded (a watchdog thread), its memory
only through the bounded inputs it is given.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from importlib import resources
from importlib.metadata import entry_points

import pluggy

from ..base.documents import MAX_YAML_BYTES, read_text
from ..base.errors import MrvError, PluginLoadError, RulesetError, SectorNotFound
from ..rules.cache import load_ruleset
from ..rules.ruleset import Ruleset, RulesetIndex, is_golden
from . import checks, hookspecs
from .sector import SectorInfo

#: Seconds a plugin's import, or its registration, may take before it is reported broken (the
#: slowest built-in imports in well under 0.1 s); ``MRV_PLUGIN_LOAD_SECONDS`` overrides it.
#: Its thread is left behind, as a daemon.
LOAD_SECONDS = 10.0


def load_seconds() -> float:
    """:data:`LOAD_SECONDS`, or ``MRV_PLUGIN_LOAD_SECONDS`` when that is a positive number."""
    try:
        value = float(os.environ.get("MRV_PLUGIN_LOAD_SECONDS", ""))
    except ValueError:
        return LOAD_SECONDS
    return value if value > 0 else LOAD_SECONDS
#: Ruleset files one sector may have (each bounded by MAX_YAML_BYTES).
MAX_RULESET_FILES = 64
#: The distribution whose plugins are registered before any other (the built-in sectors).
OWN_DISTRIBUTION = "mrv-engine"


class _Timeout(Exception):
    pass


def bounded_call(fn, seconds: float | None = None):
    """``fn()`` run in a daemon thread; its result or its exception, or :class:`_Timeout` when it
    has not returned within ``seconds`` (a plugin stuck at import time must not hang the host)."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    seconds = load_seconds() if seconds is None else seconds
    worker = threading.Thread(target=run, name="mrv-plugin-load", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _Timeout(f"did not finish within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _reason(exc: BaseException) -> str:
    """An exception as a reason people read: the engine's own message, else type and text."""
    if isinstance(exc, MrvError):
        return str(exc)
    if isinstance(exc, _Timeout):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


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
    #: the composition error that made the sector broken (re-raised when the sector is asked for)
    error: BaseException | None = None


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
        #: ``checker(entry)`` checks a sector's loaded rulesets further (the Engine composes every
        #: edition, compiling every formula); raising marks the sector broken.
        self.checker = None
        if entry_points:
            self._load_entry_points()
        for name, obj in plugins:
            self.add_plugin(name, obj)

    # -- discovery -------------------------------------------------------------------
    def _load_entry_points(self) -> None:
        # A distribution's name and version each parse its METADATA file (email headers) on every
        # access: read once per distribution, not twice per entry point (start-up, issue 17).
        known: dict = {}

        def about(ep) -> tuple[str, str]:
            dist = getattr(ep, "dist", None)
            if dist is None:
                return "", ""
            where = getattr(dist, "_path", None)
            where = str(where) if where is not None else id(dist)
            if where not in known:
                known[where] = (getattr(dist, "name", "") or "", getattr(dist, "version", "") or "")
            return known[where]

        def order(ep):  # mrv-engine's own sectors first: their ids can never be taken by another plugin
            return (about(ep)[0].replace("_", "-").lower() != OWN_DISTRIBUTION, ep.name)

        for ep in sorted(entry_points(group=GROUP), key=order):
            name, version = about(ep)
            status = PluginStatus(ep.name, "ok", distribution=name, version=version)
            if ep.name in self.plugins:
                status.status, status.reason = "broken", (
                    f"entry point name {ep.name!r} is already used by {self._owner(self.plugins[ep.name])}")
                self.plugins[f"{ep.name} ({status.distribution or ep.value})"] = status
                continue
            if ep.name in self.blocked:
                status.status, status.reason = "blocked", "blocked by MRV_DISABLE_PLUGINS or the host"
                self.plugins[ep.name] = status
                continue
            try:
                obj = bounded_call(ep.load)
            except BaseException as exc:  # any import failure is the plugin's, not ours
                if isinstance(exc, KeyboardInterrupt):
                    raise
                status.status, status.reason = "broken", f"failed to import {ep.value}: {_reason(exc)}"
                self.plugins[ep.name] = status
                continue
            self.add_plugin(ep.name, obj, status)

    @staticmethod
    def _owner(status: PluginStatus) -> str:
        dist = f" ({status.distribution} {status.version})".replace(" )", ")") if status.distribution else ""
        return f"plugin {status.name!r}{dist}"

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
            taken = self.sectors.get(info.id) or next((i for i in registered if i.id == info.id), None)
            if taken is not None:
                owner = self._owner(self.plugins[taken.plugin_name]) if isinstance(taken, SectorEntry) else "this plugin"
                raise PluginLoadError(f"sector id {info.id!r} is already registered by {owner}; "
                                      f"{self._owner(status)} cannot register it too (choose another id)")
            registered.append(info)

        def register_all():
            for impl in self._impls(obj, "mrv_register_sectors"):
                impl.function(register=register)

        try:
            bounded_call(register_all)
        except BaseException as exc:  # a plugin's failure, whatever it is (but Ctrl-C)
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.pm.unregister(obj)
            prefix = "" if isinstance(exc, PluginLoadError) else "mrv_register_sectors failed: "
            status.status, status.reason = "broken", prefix + _reason(exc)
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
        except MrvError as exc:
            return [checks.failed(plugin, "mrv_checks", exc.message)]
        return checks.run_checks(registered, plugin, result)

    def call_sector_hook(self, hook: str, sector: str, *, usable: bool = True, **kwargs):
        """Call ``hook`` on the plugin that owns ``sector`` only (attribution, isolation).

        ``usable=False`` calls it on a sector the host found broken too (lint, finding out why)."""
        entry = self.sector(sector) if usable else self.sectors[sector]
        for impl in self._impls(entry.plugin, hook):
            try:
                value = impl.function(sector=sector, **kwargs)
            except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError too: the plugin's, never a traceback
                raise PluginLoadError(f"sector plugin {entry.plugin_name!r} failed in {hook}: {_reason(exc)}") from None
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
            raise SectorNotFound(f"unknown sector {sector_id!r}; sectors: {', '.join(sorted(self.sectors))}",
                                 message_zh=f"未知的行业 {sector_id!r}；现有行业：{', '.join(sorted(self.sectors))}")
        self._load_rulesets(entry)
        if entry.status != "ok":
            if isinstance(entry.error, MrvError):  # the ruleset's own error, with its code and file:line
                raise entry.error.with_traceback(None)
            raise PluginLoadError(f"sector {sector_id!r} cannot be used: {entry.reason}")
        return entry

    def _load_rulesets(self, entry: SectorEntry) -> None:
        """Read, validate, index and check every ruleset of ``entry``'s sector, once: all of its
        editions or none, and any failure (of any kind) the sector's alone, recorded as its reason."""
        if entry.rulesets is not None:
            return
        entry.rulesets = []
        loaded, checking = [], False
        try:
            for f in self._ruleset_files(entry):
                name = _display_path(f)
                text, _ = read_text(f, MAX_YAML_BYTES, name)
                rs = load_ruleset(text, name)  # from the disk cache when it can
                if rs.sector != entry.info.id:
                    raise RulesetError(f"ruleset is for sector {rs.sector!r} but lies in the folder of sector {entry.info.id!r}", rs.where(("sector",)))
                self.index.add(rs)
                loaded.append(rs)
            entry.rulesets = loaded
            if self.checker is not None:
                checking = True
                self.checker(entry)
        except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError, a plugin's bug: this sector only
            for rs in loaded:  # all of a sector's editions or none
                self.index.by_id.pop(rs.id, None)
                if rs in self.index.by_sector.get(rs.sector, []):
                    self.index.by_sector[rs.sector].remove(rs)
            entry.rulesets = []
            entry.status, entry.reason = "broken", _reason(exc)
            # A composition error (a formula, a page) is raised as itself when the sector is asked
            # for, as composing on demand would have raised it; a file that does not load is a
            # PluginLoadError naming the sector.
            entry.error = exc if checking else None

    @staticmethod
    def _ruleset_files(entry: SectorEntry) -> list:
        folder = entry.info.rulesets
        try:
            files = sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")) and not is_golden(f.name)),
                           key=lambda f: f.name)
        except OSError as exc:
            raise PluginLoadError(f"cannot list rulesets in {folder}: {exc.strerror or exc}") from None
        if len(files) > MAX_RULESET_FILES:
            raise PluginLoadError(f"{len(files)} ruleset files in {folder}: a sector has at most {MAX_RULESET_FILES}")
        return files

    def load_all(self) -> None:
        for sid in sorted(self.sectors, key=lambda s: s != "general"):  # general first: every sector composes with it
            self._load_rulesets(self.sectors[sid])


def _display_path(f) -> str:
    """A ruleset's path as people should read it: relative to mrv-engine's package for its own
    files (``rulesets/...``, or ``plugins/<sector>/rulesets/...`` for a built-in sector written
    as a third-party plugin would be), so reports name the same path on every machine."""
    text = str(f)
    own = str(resources.files("mrv_engine")) + os.sep
    return text.removeprefix(own)
