"""Batch work over the public API: many reports into one SQLite database, and screening across them.

``mrv batch`` (:func:`run`) calculates or verifies thousands of documents with worker processes
into a database whose schema is the numbered migrations in ``migrations/`` (docs/batch.md);
a run interrupted or killed resumes by content hash and rules hash. ``mrv screen``
(:mod:`.screening`) reads that database and shows what looks wrong across the reports.

Layer: beside the CLI, above the public API. It imports only ``mrv_engine`` (the public API of
host applications) and the standard library, as any host application would; the core never
imports it (the import-linter contracts in pyproject.toml). Nothing heavy is imported by
``import mrv_engine.batch``: the engine loads when a run starts.
"""

from __future__ import annotations

__all__ = ["Store", "engine_version", "expand", "run"]


def engine_version() -> str:
    """The installed mrv-engine's version, recorded with every run."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mrv-engine")
    except PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"


def __getattr__(name):
    if name in ("run", "expand"):
        from . import runner

        return getattr(runner, name)
    if name in ("screen", "render_screen"):
        from . import screening

        return {"screen": screening.screen, "render_screen": screening.render}[name]
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(name)
