"""Allocation and compliance: allowance allocation plans as versioned rule data, the allocation of
each unit from a verified report's supplementary data table, the surrender obligation and what
remains to buy, and the calendar of the compliance chain.

- :mod:`.plans` loading a plan (schema, citations, compiled formulas), selection by compliance year;
- :mod:`.allocate` the allowances of each unit and of the enterprise, each figure traced;
- :mod:`.comply` the obligation under the plan's caps, exemptions, offsets, banking and borrowing;
- :mod:`.calendar` deadlines by programme, province and sector, and their iCalendar export;
- :mod:`.render` text, Markdown and JSON of the three.

It sits above the calculation and its outputs (it reads a calculated report and builds trace
nodes) and below verification, the differ and the Engine, which use it.

May import: :mod:`mrv_engine.core.output` and below.
"""
