"""Units: exact conversion factors between two units, and unit algebra for formulas.

pint does the parsing and the dimensional algebra (a well-kept library beats a
hand-written table); it runs on :class:`~decimal.Decimal` with our own
definitions file, so every factor is exact. pint is imported on first use
only, and each unit pair's factor is computed once, then kept on disk
(:func:`factor`): a calculation whose compositions and factors are cached
never imports pint.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import threading
from decimal import Decimal, localcontext
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from ..base.errors import UnitError
from ..base.numbers import CONTEXT
from ..rules.cache import cache_dir, fingerprint, read_entry, write_entry

# Spellings people write that pint cannot parse as they stand.
_ALIASES = [
    (re.compile(r"10\^4\s*Nm(?:3|³)"), "e4Nm3"),
    (re.compile(r"万\s*(?:N?m3|Nm³|m³|标立方米)"), "e4Nm3"),
    (re.compile(r"10\^4\s*m(?:2|²)"), "e4m2"),
    (re.compile(r"万\s*(?:m2|m²|平方米)"), "e4m2"),
    (re.compile(r"10\^4\s*t\b"), "e4t"),
    (re.compile(r"万\s*t\b|万吨"), "e4t"),
    (re.compile(r"Nm³"), "Nm3"),
    (re.compile(r"m³"), "m**3"),
    (re.compile(r"吨"), "t"),
]
_DISPLAY = [("e4Nm3", "10^4 Nm3"), ("e4m2", "10^4 m2"), ("e4t", "10^4 t")]


@lru_cache(maxsize=None)
def normalize(text: str) -> str:
    """The pint spelling of a unit as people write it (``GJ/10^4 Nm3`` -> ``GJ/e4Nm3``)."""
    out = text.strip()
    for pattern, repl in _ALIASES:
        out = pattern.sub(repl, out)
    return out or "1"


def display(text: str) -> str:
    """The spelling of a unit for people (inverse of :func:`normalize`)."""
    out = text
    for internal, shown in _DISPLAY:
        out = out.replace(internal, shown)
    return out


_REGISTRY: list = []
_REGISTRY_LOCK = threading.Lock()


def registry():
    """The one pint registry. Built under a lock: two threads that both found none (the HTTP
    service's first concurrent requests) would build two, and pint refuses to compute with units
    of different registries."""
    if _REGISTRY:
        return _REGISTRY[0]
    with _REGISTRY_LOCK:
        if not _REGISTRY:
            import pint  # lazy: costs ~0.1 s, needed only when units differ or formulas load

            path = resources.files("mrv_engine.core.formula").joinpath("units.txt")
            with resources.as_file(path) as real:
                _REGISTRY.append(pint.UnitRegistry(str(real), non_int_type=Decimal, cache_folder=None))
    return _REGISTRY[0]


@lru_cache(maxsize=None)
def parse(text: str):
    """The pint Unit for ``text``; :class:`UnitError` when it is unknown."""
    try:
        return registry().parse_units(normalize(text))
    except Exception as exc:  # pint raises several unrelated types here
        raise UnitError(f"unknown unit {text!r} ({exc})") from None


@lru_cache(maxsize=None)
def factor(source: str, target: str) -> Decimal:
    """Exact factor f with value_in_target = value_in_source × f.

    Raises :class:`UnitError` when the two units measure different things. A factor pint has
    computed once is kept on disk (:func:`_known`), so a fresh process converting units it has met
    before neither imports pint nor builds its registry.
    """
    if normalize(source) == normalize(target):
        return Decimal(1)
    known = _known()
    found = known.get((source, target))
    if found is None:
        found = known[(source, target)] = _pint_factor(source, target)
        _save(known)
    return found


def _pint_factor(source: str, target: str) -> Decimal:
    src, dst = parse(source), parse(target)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(
            f"unit {display(source)!r} ({_dim(src)}) cannot be converted to "
            f"{display(target)!r} ({_dim(dst)})"
        )
    with localcontext(CONTEXT):  # a non-terminating factor (GJ -> kcal) keeps 50 digits
        quantity = registry().Quantity(Decimal(1), src).to(dst)
        return Decimal(quantity.magnitude).normalize()


# -- Factors kept on disk --------------------------------------------------------------------
# Keyed by this module, the unit definitions and pint's own files (size and mtime), the engine's
# and Python's versions (core.rules.cache.fingerprint): another pint or other definitions never
# meet a stale factor. An entry that cannot be read is ignored; one that cannot be written is not
# an error.
_DISK: dict = {}


def _entry() -> Path | None:
    folder = cache_dir("units")
    if folder is None:
        return None
    spec = find_spec("pint")
    pint_dir = Path(spec.origin).parent if spec and spec.origin else Path("pint-missing")
    here = Path(__file__).resolve().parent
    stamp = fingerprint(here, pint_dir, extra=("units", 1))
    return folder / f"{hashlib.sha256(stamp.encode('utf-8')).hexdigest()}.pickle"


def _known() -> dict:
    """(source, target) -> factor, as the disk holds them (read once per process)."""
    if "factors" not in _DISK:
        factors = {}
        entry = _DISK["entry"] = _entry()
        if entry is not None:
            got = read_entry(entry, pickle.load)
            if isinstance(got, dict) and all(isinstance(k, tuple) and isinstance(v, Decimal) for k, v in got.items()):
                factors = got
        _DISK["factors"] = factors
    return _DISK["factors"]


def _save(factors: dict) -> None:
    entry = _DISK.get("entry")
    if entry is not None:
        write_entry(entry, lambda handle: pickle.dump(dict(factors), handle, protocol=pickle.HIGHEST_PROTOCOL))


def same_dimension(a: str, b: str) -> bool:
    return parse(a).dimensionality == parse(b).dimensionality


def _dim(unit) -> str:
    dims = str(unit.dimensionality)
    return "dimensionless" if dims in ("", "dimensionless") else dims


def dimension_text(text: str) -> str:
    return _dim(parse(text))
