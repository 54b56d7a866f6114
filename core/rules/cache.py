"""Loaded rulesets cached on disk, so that a fresh process does not parse and validate YAML again.

Reading a ruleset (YAML with the line of every value, JSON Schema validation, citations, dated
parameters) is most of the start-up of a one-document ``mrv`` command. :func:`load_ruleset` keeps
the finished :class:`~.ruleset.Ruleset` in the user's cache directory, keyed by the file's text,
its displayed path, the engine's version and the loader's own source files, so an edited ruleset,
a new engine or a changed loader never meets a stale entry. An entry that cannot be read, is
corrupt, is not the user's own or does not match its key is ignored and rewritten; a cache that
cannot be written is not an error (the ruleset is simply parsed next time too). Entries are
written atomically (temporary file, then rename). :func:`read_entry` and :func:`write_entry` serve
:mod:`mrv_engine.core.calc.store` too, which keeps compiled compositions the same way.

``MRV_CACHE_DIR`` names another directory; ``MRV_NO_CACHE=1`` turns the cache off. The default is
platformdirs' user cache directory (``$XDG_CACHE_HOME/mrv-engine`` or ``~/.cache/mrv-engine`` on
Linux). ``python -m mrv_engine.core.rules.cache --clear`` empties it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

from .ruleset import Ruleset, load_validated, locator, parse_ruleset

#: Bumped when the entry format changes in a way the source fingerprint would not show.
FORMAT = "1"
_STATE: dict = {}


def cache_root() -> Path | None:
    """The engine's cache directory, or None when caching is off."""
    if os.environ.get("MRV_NO_CACHE", "").strip() not in ("", "0"):
        return None
    given = os.environ.get("MRV_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mrv-engine", appauthor=False))


def cache_dir(kind: str = "rulesets") -> Path | None:
    """The directory of one kind of cached entry (``rulesets``, ``compositions``), or None when caching is off."""
    root = cache_root()
    return None if root is None else root / kind


def fingerprint(*folders: Path, extra: tuple = ()) -> str:
    """The engine's version, Python's, and the size and mtime of every source file in ``folders``:
    what else a cached entry made by the code in those folders depends on. Computed once per process."""
    name = "\n".join(str(f) for f in folders) + repr(extra)
    if name not in _STATE:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("mrv-engine")
        except PackageNotFoundError:  # pragma: no cover - a bare checkout
            ver = "0+unknown"
        parts = [FORMAT, ver, sys.version, *map(str, extra)]
        for folder in folders:
            if not folder.is_dir():
                continue
            for f in sorted(folder.iterdir(), key=lambda f: f.name):
                if f.suffix in (".py", ".txt", ".json"):
                    st = f.stat()
                    parts.append(f"{folder.name}/{f.name}:{st.st_size}:{st.st_mtime_ns}")
        _STATE[name] = "\n".join(parts)
    return _STATE[name]


def _fingerprint() -> str:
    """What a parsed ruleset depends on besides its text: the loader (this package), core.base and
    the bundled JSON Schemas it validates against."""
    here = Path(__file__).resolve().parent
    return fingerprint(here, here.parent / "base", here.parent.parent / "schemas")


def _entry(folder: Path, text: str, *names: str) -> tuple[str, Path]:
    """(sha256 of ``text``, the cache file of ``text`` read as ``names`` by this loader): the key holds the
    loader's fingerprint, so a changed loader or engine never meets an old entry."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = hashlib.sha256("\n".join((_fingerprint(), *names, digest)).encode()).hexdigest()
    return digest, folder / f"{key}.pickle"


def load_ruleset(text: str, path: str) -> Ruleset:
    """:func:`~.ruleset.parse_ruleset` of ``text``, from the disk cache when it holds it."""
    folder = cache_dir()
    if folder is None:
        return parse_ruleset(text, path)
    digest, entry = _entry(folder, text, path)
    rs = read_entry(entry, pickle.load)
    if not isinstance(rs, Ruleset) or rs.digest != digest or rs.path != path:
        rs = parse_ruleset(text, path)  # a RulesetError is raised as ever, and nothing is cached
        write_entry(entry, lambda handle: pickle.dump(rs, handle, protocol=pickle.HIGHEST_PROTOCOL))
    return rs


def load_validated_cached(text: str, path: str, schema_name: str, error, what: str):
    """:func:`~.ruleset.load_validated` of ``text`` (YAML checked against a bundled schema), its
    (data, lines) from the disk cache when it holds them: what an allocation plan costs to read.

    Parsing the six bundled plans with line numbers and validating them was 0.4 s of every
    ``mrv batch`` start (before any worker can begin) and of ``mrv allocate``. Keyed like a ruleset
    (text, path, schema, loader); only a valid document is kept, so a refused one is refused afresh.
    """
    folder = cache_dir("documents")
    if folder is None:
        return load_validated(text, path, schema_name, error, what)
    digest, entry = _entry(folder, text, schema_name, path)
    got = read_entry(entry, pickle.load)
    if isinstance(got, tuple) and len(got) == 3 and got[0] == digest and isinstance(got[1], dict) and isinstance(got[2], dict):
        return got[1], got[2], locator(path, got[2])
    data, lines, where_of = load_validated(text, path, schema_name, error, what)  # raises as ever when refused
    write_entry(entry, lambda handle: pickle.dump((digest, data, lines), handle, protocol=pickle.HIGHEST_PROTOCOL))
    return data, lines, where_of


def read_entry(entry: Path, load):
    """``load(handle)`` of the cache file ``entry``; None when it is missing, unreadable, not the
    user's own, or ``load`` fails on it in any way (truncated, corrupt, from another version)."""
    try:
        with open(entry, "rb") as handle:
            # Only the user's own entries: a pickle runs code when loaded, so one planted by another
            # user in a shared directory is never read.
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            return load(handle)
    except Exception:  # noqa: BLE001 - missing, unreadable, truncated or from another version: made again
        return None


def write_entry(entry: Path, dump) -> None:
    """Write the cache file ``entry`` whole with ``dump(handle)`` (temporary file, then rename), or not at all."""
    folder = entry.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                dump(handle)
            os.replace(tmp, entry)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        pass  # read-only home, full disk, no permission: the cache is an optimisation, never an error


# -- Envelopes found valid -----------------------------------------------------------------------
#: How many valid submission envelopes are remembered (the most recent; a few kilobytes).
MAX_REMEMBERED = 256
_PLAIN = (str, int, float, Decimal, bool, type(None))


def validator_loaded() -> bool:
    """Whether jsonschema is imported already (then validating costs less than remembering)."""
    return "jsonschema" in sys.modules


def _plain(data, depth: int = 0) -> bool:
    """Only what JSON and YAML documents hold, whose repr says everything validation sees."""
    if depth > 64:
        return False
    if isinstance(data, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in data.items())
    if isinstance(data, list):
        return all(_plain(v, depth + 1) for v in data)
    return isinstance(data, _PLAIN)


def validated(schema_name: str, data, check) -> list:
    """``check(data)`` (the schema's errors), unless ``data`` was found valid against ``schema_name`` before.

    Importing jsonschema is a sixth of a one-document ``mrv calc``; the envelope of a submission
    (everything but its page rows) rarely changes between runs. The keys of the last
    :data:`MAX_REMEMBERED` valid envelopes (sha256 of the schemas, the validator's and the engine's
    code, and the envelope's exact repr, types included) are kept as one text file; an invalid one is
    never remembered, so its findings are always computed.
    """
    if validator_loaded():  # first: cheaper than finding the cache directory (platformdirs) every time
        return check(data)
    folder = cache_dir("envelopes")
    if folder is None or not _plain(data):
        return check(data)
    here = Path(__file__).resolve().parent
    spec = find_spec("jsonschema")
    validator_dir = Path(spec.origin).parent if spec and spec.origin else Path("jsonschema-missing")
    stamp = fingerprint(here, here.parent / "base", here.parent.parent / "schemas", validator_dir, extra=("envelopes",))
    key = hashlib.sha256(f"{stamp}\n{schema_name}\n{data!r}".encode()).hexdigest()
    entry = folder / "valid.txt"
    known = read_entry(entry, lambda handle: handle.read(MAX_REMEMBERED * 65 + 1).decode("ascii").split())
    if isinstance(known, list) and key in known:
        return []
    errors = check(data)
    if not errors:
        keep = [k for k in (known or []) if len(k) == 64 and k != key][-(MAX_REMEMBERED - 1):] + [key]
        write_entry(entry, lambda handle: handle.write("\n".join(keep).encode("ascii") + b"\n"))
    return errors


def clear() -> int:
    """Remove every cached entry (rulesets, compositions, unit factors, valid envelopes, plan documents); the number removed."""
    root = cache_root()
    n = 0
    for kind in ("rulesets", "compositions", "units", "envelopes", "documents"):
        folder = root / kind if root else None
        if folder and folder.is_dir():
            for f in [*folder.glob("*.pickle"), *folder.glob("*.txt")]:
                try:
                    f.unlink()
                    n += 1
                except OSError:
                    pass
    return n


if __name__ == "__main__":  # pragma: no cover - maintenance
    if "--clear" in sys.argv:
        print(f"{clear()} cached entries removed from {cache_root()}")
    else:
        print(cache_root() or "the cache is off (MRV_NO_CACHE)")
