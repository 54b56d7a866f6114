"""Compiled compositions kept on disk, so that a fresh process neither checks nor compiles formulas again.

Composing a sector's edition (every formula parsed, its units checked through pint, compiled) is
most of what a one-document ``mrv calc`` would otherwise spend after its imports. :func:`composed`
keeps the finished :class:`~.compose.Composition` in the user's cache directory (beside the parsed
rulesets of :mod:`mrv_engine.core.rules.cache`, under ``compositions/``), keyed by

- the digest and path of the general ruleset and of the sector's own,
- the pages the sector's plugin hooks gave (their content, so a plugin that builds or edits pages
  in code never meets an entry made from other pages),
- the engine's and Python's versions and the size and mtime of every source file composing reads
  (core.calc, core.formula with its unit definitions, core.rules, core.base),

so an edited ruleset, plugin, engine or Python never meets a stale entry. An entry that cannot be
read, is corrupt or does not match what it names is ignored and rewritten; a cache that cannot be
written is not an error. Since composing is a pure function of what the key holds, an entry on
disk also proves the composition checks: :func:`stored` lets the Engine skip composing every edition
when a sector loads, composing (or reading) only the one a submission needs.

The rulesets themselves are not in an entry: they are referred to by position (pickle's persistent
ids), and so are the page, field, formula and table dicts inside them, so a loaded composition
shares the host's objects exactly as a freshly composed one does.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ..rules.cache import cache_dir, fingerprint, read_entry, write_entry
from ..rules.grid import GridRules
from ..rules.ruleset import Parameter, Ruleset
from .compose import Composition, compose

#: Bumped when the entry format changes in a way the source fingerprint would not show.
FORMAT = "2"


def _fingerprint() -> str:
    here = Path(__file__).resolve().parent
    core = here.parent
    return fingerprint(here, core / "formula", core / "rules", core / "base", extra=("compositions", FORMAT))


def key(general: Ruleset, sector_rs: Ruleset | None, pages: list[dict] | None) -> str | None:
    """The cache key of ``compose(general, sector_rs, pages)``; None when caching is off or the pages
    cannot be hashed (then the composition is simply made every time)."""
    if cache_dir("compositions") is None:
        return None
    try:
        shown = pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a plugin's pages holding something pickle cannot write
        return None
    parts = [_fingerprint(), general.path, general.digest]
    if sector_rs is not None:
        parts += [sector_rs.path, sector_rs.digest]
    parts.append(hashlib.sha256(shown).hexdigest())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _entry(key: str) -> Path:
    return cache_dir("compositions") / f"{key}.pickle"


def stored(key: str | None) -> bool:
    """Whether an entry for ``key`` is on disk (it is read, and checked, only when used)."""
    return key is not None and _entry(key).is_file()


def composed(general: Ruleset, sector_rs: Ruleset | None, pages: list[dict] | None, key: str | None) -> Composition:
    """``compose(general, sector_rs, pages)``, from the disk cache under ``key`` (see :func:`key`) when it
    holds it; composed and written there otherwise. A composition error is raised as ever and nothing is cached."""
    rulesets = [general] if sector_rs is None else [general, sector_rs]
    if key is not None:
        got = read_entry(_entry(key), lambda handle: _Loader(handle, rulesets).load())
        if isinstance(got, Composition) and len(got.rulesets) == len(rulesets) \
                and all(a is b for a, b in zip(got.rulesets, rulesets)):
            return got
    comp = compose(general, sector_rs, pages)
    if key is not None:
        write_entry(_entry(key), lambda handle: _Saver(handle, rulesets).dump(comp))
    return comp


def _shared(rulesets: list[Ruleset]) -> list:
    """Every object of ``rulesets`` a composition refers to, in an order that depends only on their
    content: the rulesets, their parameters and grid rules, and every dict and list of their pages
    and tables (depth first)."""
    out: list = []

    def walk(node):
        out.append(node)
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)):
                walk(child)

    for rs in rulesets:
        out.append(rs)
        out.extend(rs.parameters[name] for name in sorted(rs.parameters))
        if rs.grid is not None:
            out.append(rs.grid)
        walk(rs.pages)
        walk(rs.data.get("tables", {}))
    return out


class _Saver(pickle.Pickler):
    def __init__(self, handle, rulesets):
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        # The list is kept: an object it alone held (a ruleset's absent tables, read as a new {})
        # would otherwise be freed and its id given to another object pickled after it.
        self.shared = _shared(rulesets)
        self.count = len(self.shared)
        self.ids = {id(obj): n for n, obj in enumerate(self.shared)}

    def dump(self, comp):
        super().dump((self.count, comp))

    def persistent_id(self, obj):
        if isinstance(obj, (dict, list, Ruleset, Parameter, GridRules)):
            n = self.ids.get(id(obj))
            if n is not None and self.shared[n] is obj:
                return n
        return None


class _Loader(pickle.Unpickler):
    def __init__(self, handle, rulesets):
        super().__init__(handle)
        self.shared = _shared(rulesets)

    def load(self):
        count, comp = super().load()
        # Another shape of the same rulesets (which their digests rule out) would point elsewhere.
        return comp if count == len(self.shared) else None

    def persistent_load(self, pid):
        return self.shared[pid]
