"""A compiled formula written as an Excel formula over cells.

The formula language compiles each formula to a checked tree with the unit factors folded in
(``Compiled.tree``, its constants in ``Compiled.constants``); that same tree is written here in
Excel's syntax, so the workbook computes what the engine computes: a row's names become the cells
of its values, parameters the cells of the parameter sheet, ``sum``/``mean``/``wmean``/``count``
over a page's column ``SUMPRODUCT`` over that column's range with the group's criteria (exact
equality, not ``SUMIFS``'s wildcards), ``a if c else b`` ``IF``, ``min``/``max``/``abs`` their Excel
namesakes, and a figure the rules round, ``ROUND`` (half away from zero: 四舍五入 for the
positive figures of a report, as the engine's ROUND_HALF_UP).
"""

from __future__ import annotations

import ast
from decimal import Decimal

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ROW_FUNCS = {"_min": "MIN", "_max": "MAX", "_abs": "ABS"}


class NotExpressible(Exception):
    """A formula the workbook cannot state (the figure is then written as the engine's value)."""


def excel(compiled, scalar, column=None, decimals=None) -> str:
    """``=…`` of ``compiled`` with ``scalar(name, is_param) -> ref`` for a value and
    ``column(name) -> (range, [criteria])`` for an aggregate's column."""
    body = _Writer(compiled.constants, scalar, column).visit(compiled.tree)
    if decimals is not None:
        body = f"ROUND({body},{int(decimals)})"
    return "=" + body


def literal(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def text_literal(text: str) -> str:
    return '"' + str(text).replace('"', '""') + '"'


class _Writer:
    def __init__(self, constants, scalar, column):
        self.constants, self.scalar, self.column = constants, scalar, column

    def visit(self, node) -> str:
        method = getattr(self, "v_" + type(node).__name__, None)
        if method is None:
            raise NotExpressible(type(node).__name__)
        return method(node)

    def v_Name(self, node):
        if node.id in self.constants:
            value = self.constants[node.id]
            return text_literal(value) if isinstance(value, str) else literal(Decimal(value))
        raise NotExpressible(node.id)

    def v_Constant(self, node):
        if isinstance(node.value, str):
            return text_literal(node.value)
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return literal(Decimal(str(node.value)))
        raise NotExpressible(repr(node.value))

    def v_Subscript(self, node):
        source = node.value.id  # _v (a row's value) or _p (a parameter)
        return self.scalar(node.slice.value, source == "_p")

    def v_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            return f"({left}^{right})"
        return f"({left}{_OPS[type(node.op)]}{right})"

    def v_UnaryOp(self, node):
        inner = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return f"NOT({inner})"
        return f"(-{inner})" if isinstance(node.op, ast.USub) else inner

    def v_Compare(self, node):
        parts, left = [], self.visit(node.left)
        for op, comp in zip(node.ops, node.comparators):
            right = self.visit(comp)
            parts.append(f"{left}{_CMP[type(op)]}{right}")
            left = right
        return parts[0] if len(parts) == 1 else f"AND({','.join(parts)})"

    def v_BoolOp(self, node):
        name = "AND" if isinstance(node.op, ast.And) else "OR"
        return f"{name}({','.join(self.visit(v) for v in node.values)})"

    def v_IfExp(self, node):
        return f"IF({self.visit(node.test)},{self.visit(node.body)},{self.visit(node.orelse)})"

    def v_Call(self, node):
        name = node.func.id
        if name in _ROW_FUNCS:
            return f"{_ROW_FUNCS[name]}({','.join(self.visit(a) for a in node.args)})"
        if self.column is None:
            raise NotExpressible(name)
        cols = [self.column(a.slice.value) for a in node.args]
        rng, crit = cols[0]
        where = "".join(f"({c})*" for c in crit)
        present = f"({rng}<>\"\")"
        if name == "_sum":
            return f"SUMPRODUCT({where}{present}*{rng})" if crit else f"SUM({rng})"
        if name == "_count":
            return f"SUMPRODUCT({where}{present}*1)"
        if name == "_mean":
            return f"(SUMPRODUCT({where}{present}*{rng})/SUMPRODUCT({where}{present}*1))"
        if name == "_wmean":
            w, _ = cols[1]
            return f"(SUMPRODUCT({where}{present}*{rng}*{w})/SUMPRODUCT({where}({w}<>\"\")*{w}))"
        raise NotExpressible(name)
