"""The engine core, in layers; each imports only the layers below it (pyproject's import-linter contract).

====================  ==============================================================
``api.py``            :class:`~.api.Engine`, the facade host applications and the CLI use
``maintain/``         lint, golden tests, methodology pages, the sector scaffold
``verify/``           recompute, compare, check, the verification report
``diff/``             the one ruleset differ
``output/``           trace, report, form, figures by place
``calc/``             composition, resolving rows, evaluation, totals
``plugin/``           hook specifications, plugin discovery, the check contract
``formula/``          the formula language and units
``rules/``            rulesets: loading, validation, selection by year
``base/``             numbers, errors, the one Finding, documents
====================  ==============================================================

Nothing here imports a sector plugin or the CLI; sectors reach the core only through the
hooks, and import only :mod:`mrv_engine.plugin`. docs/architecture.md walks one submission
through the layers.
"""
