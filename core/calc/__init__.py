"""The calculation: composing a sector's pages for a year, resolving rows, evaluating formulas, totals.

- :mod:`.compose` energy pages + base + supplement + general page + supplementary tables, formulas compiled once;
- :mod:`.store` compiled compositions kept on disk between processes (start-up), keyed so a stale entry cannot match;
- :mod:`.resolve` inputs read and converted exactly, defaults and substitution rules applied;
- :mod:`.engine` formulas evaluated, page summaries, totals by category and gas;
- :mod:`.results` what a calculation produces, with the provenance of every value.

May import: :mod:`mrv_engine.core.formula`, :mod:`mrv_engine.core.rules`, :mod:`mrv_engine.core.base`
(not the plugin host: the facade hands the composition the pages the plugin's hooks gave).
"""
