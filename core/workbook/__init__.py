"""Workbooks: the composed form as an Excel template, a filled template read back as a submission,
and calculation and verification reports as workbooks whose figures are live Excel formulas.

==================  ==================================================================
``layout.py``       what writer and reader share: sheet names, the hidden map sheet, limits
``template.py``     ``mrv template``: the input workbook of a form (optionally filled)
``guard.py``        a workbook file checked before openpyxl opens it (zip bomb, macros, encryption)
``cells.py``        exact reading of one cell: the shortest decimal of a stored double, text numbers
``read.py``         a filled template read into a submission, with the cell of every JSON path
``formulas.py``     a compiled formula written as an Excel formula over cells
``report.py``       the report and verification workbooks (``--format xlsx``)
==================  ==================================================================

It sits above ``verify`` and ``diff`` (a verification workbook renders a verification report) and
below ``api``, which exposes it; it may import ``verify``, ``output``, ``calc``, ``formula`` and
``base``. Reading (``read.py``) imports only ``base``: ``mrv_engine.load_document`` reaches it
from the public package, never ``core.base`` upward. openpyxl is imported inside the functions
that need it, so ``import mrv_engine`` and ``mrv --help`` stay light.
"""
