"""What a calculation shows people and programs: the trace, the report, the form, the figures by place.

- :mod:`.trace` every figure's formula, operands with units and sources, substitutions, rounding (zh, en);
- :mod:`.report` the JSON report and its table and Markdown renderings;
- :mod:`.forms` the composed form as JSON Schema;
- :mod:`.figures` every figure of a result by its JSON path (what verification and diffs compare);
- :mod:`.text` helpers for text and Markdown tables.

May import: :mod:`mrv_engine.core.calc` and the layers below it.
"""
