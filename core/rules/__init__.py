"""Rulesets: one YAML file per guideline edition, validated by JSON Schema, indexed by sector and year.

- :mod:`.ruleset` loading (schema errors with file and line), citations, dated parameters,
  selection of the edition that governs a reporting year (overlaps refused).
- :mod:`.cache` parsed rulesets kept on disk between processes (start-up), keyed so a stale
  entry cannot match; an unwritable cache is not an error.

May import: :mod:`mrv_engine.core.base`.
"""
