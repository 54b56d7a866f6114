"""Loaded rulesets cached on disk, so that a fresh process does not parse and validate YAML again.

Reading a ruleset (YAML with the line of every value, JSON Schema validation, citations, dated
parameters) is most of the start-up of a one-document ``mrv`` command. :func:`load_ruleset` keeps
the finished :class:`~.ruleset.Ruleset` in the user's cache directory, keyed by the file's text,
its displayed path, the engine's version and the loader's own source files, so an edited ruleset,
a new engine or a changed loader never meets a stale entry. An entry that cannot be read, is
corrupt, is not the user's own or does not match its key is ignored and rewritten; a cache that
cannot be written is not an error (the ruleset is simply parsed next time too). Entries are
written atomically (temporary file, then rename).

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
from pathlib import Path

from .ruleset import Ruleset, parse_ruleset

#: Bumped when the entry format changes in a way the source fingerprint would not show.
FORMAT = "1"
_STATE: dict = {}


def cache_dir() -> Path | None:
    """The directory of cached rulesets, or None when caching is off."""
    if os.environ.get("MRV_NO_CACHE", "").strip() not in ("", "0"):
        return None
    given = os.environ.get("MRV_CACHE_DIR")
    if given:
        return Path(given) / "rulesets"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mrv-engine", appauthor=False)) / "rulesets"


def _fingerprint() -> str:
    """The engine's version and the loader's source files (size and mtime): what else a parsed ruleset depends on."""
    if "fp" not in _STATE:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("mrv-engine")
        except PackageNotFoundError:  # pragma: no cover - a bare checkout
            ver = "0+unknown"
        here = Path(__file__).resolve().parent
        parts = [FORMAT, ver, sys.version.split()[0]]
        for f in sorted(here.glob("*.py")) + sorted((here.parent / "base").glob("*.py")):
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
        _STATE["fp"] = "\n".join(parts)
    return _STATE["fp"]


def load_ruleset(text: str, path: str) -> Ruleset:
    """:func:`~.ruleset.parse_ruleset` of ``text``, from the disk cache when it holds it."""
    folder = cache_dir()
    if folder is None:
        return parse_ruleset(text, path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = hashlib.sha256(f"{_fingerprint()}\n{path}\n{digest}".encode()).hexdigest()
    entry = folder / f"{key}.pickle"
    rs = _read(entry, digest, path)
    if rs is None:
        rs = parse_ruleset(text, path)  # a RulesetError is raised as ever, and nothing is cached
        _write(folder, entry, rs)
    return rs


def _read(entry: Path, digest: str, path: str) -> Ruleset | None:
    try:
        with open(entry, "rb") as handle:
            # Only the user's own entries: a pickle runs code when loaded, so one planted by another
            # user in a shared directory is never read.
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            rs = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, unreadable, truncated or from another version: parse again
        return None
    if not isinstance(rs, Ruleset) or rs.digest != digest or rs.path != path:
        return None
    return rs


def _write(folder: Path, entry: Path, rs: Ruleset) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(rs, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass  # read-only home, full disk, no permission: the cache is an optimisation, never an error


def clear() -> int:
    """Remove every cached ruleset; the number removed."""
    folder = cache_dir()
    n = 0
    if folder and folder.is_dir():
        for f in folder.glob("*.pickle"):
            try:
                f.unlink()
                n += 1
            except OSError:
                pass
    return n


if __name__ == "__main__":  # pragma: no cover - maintenance
    if "--clear" in sys.argv:
        print(f"{clear()} cached rulesets removed from {cache_dir()}")
    else:
        print(cache_dir() or "the ruleset cache is off (MRV_NO_CACHE)")
