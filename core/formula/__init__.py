"""The formula language: simpleeval syntax narrowed by a whitelist, unit algebra, compiled to exact Decimal code.

- :mod:`.language` parsing, checking (names, sandbox, dimensions) and compiling a formula once;
- :mod:`.units` pint on Decimal with the project's own exact definitions (``units.txt``).

May import: :mod:`mrv_engine.core.base`, :mod:`mrv_engine.core.rules` (it needs neither today).
"""
