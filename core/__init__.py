"""The engine core: rulesets, formulas, units, the plugin host and the calculation.

Nothing here imports a sector plugin or the CLI; sectors reach the core only
through the hooks in :mod:`mrv_engine.core.plugin.hookspecs`.
"""
