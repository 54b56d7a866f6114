"""Safe formulas: simpleeval syntax, checked once at load, compiled, evaluated many times.

A formula is a Python expression of the subset simpleeval accepts, narrowed to
what a methodology needs: arithmetic (+ - * / and small integer powers),
comparisons, ``and``/``or``/``not``, ``x if c else y``, the functions in
:data:`ROW_FUNCTIONS` and, in page summaries, :data:`AGGREGATE_FUNCTIONS`.
Anything else (attributes, subscripts, lambdas, comprehensions, imports,
keyword arguments, unknown names) is refused when the ruleset loads.

Checking also does the unit algebra: every operand's unit is known, ``+``,
``-``, comparisons, ``min``/``max`` and both branches of ``if`` must agree in
dimension (a conversion factor is inserted where the units differ), and the
result must have the dimension of the declared output unit. The checked tree
is compiled to a Python code object with numeric literals hoisted as exact
Decimals, so evaluation never parses again and never sees a float.
"""

from __future__ import annotations

import ast
import marshal
import types
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable

from simpleeval import MAX_STRING_LENGTH

from ..base.errors import FormulaError, UnitError
from . import units as U

#: Longest formula text accepted (characters).
MAX_FORMULA_LENGTH = 2000
#: Largest integer exponent accepted in ``x ** n``.
MAX_EXPONENT = 12
#: Largest exponent a computed exponent (``a ** (b - c)`` of pure numbers) may reach when evaluated.
MAX_RUNTIME_EXPONENT = 64
#: Longest string literal accepted (simpleeval's own limit is far larger).
MAX_LITERAL_LENGTH = min(100, MAX_STRING_LENGTH)

ROW_FUNCTIONS = {"min", "max", "abs"}
AGGREGATE_FUNCTIONS = {"sum", "mean", "wmean", "count"}

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_CMPOPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_TEXT = "text"  # pseudo-unit of strings (choice fields)
_BOOL = "bool"


@dataclass(frozen=True)
class Symbol:
    """What a name in a formula stands for: its unit, whether it is a column of rows,
    and whether it is a parameter (read from the parameters, not from the row)."""

    unit: str | None  # a unit text, or None for text values
    column: bool = False
    param: bool = False


@dataclass
class Compiled:
    """A checked, compiled formula."""

    text: str
    names: tuple[str, ...]
    unit: str
    func: Callable = field(repr=False)
    aggregate: bool = False
    #: the checked tree with unit factors folded in, and its constants: what ``func`` was compiled
    #: from, kept so the formula can be written out again (a workbook's live Excel formulas)
    tree: object = field(default=None, repr=False, compare=False)
    constants: dict = field(default_factory=dict, repr=False, compare=False)

    def __call__(self, values, params=None):
        return self.func(values, values if params is None else params)

    def __reduce__(self):
        # A compiled composition is kept on disk (core.calc.store): the function travels as its
        # code object (marshal, whose format is Python's own: the cache key holds Python's version)
        # and is rebuilt over the same runtime helpers and constants, never checked or compiled again.
        return (_rebuild, (self.text, self.names, self.unit, marshal.dumps(self.func.__code__), self.aggregate,
                           self.tree, self.constants))


def _rebuild(text, names, unit, code, aggregate, tree, constants) -> Compiled:
    func = types.FunctionType(marshal.loads(code), {"__builtins__": {}, **_RUNTIME, **constants})
    return Compiled(text=text, names=names, unit=unit, func=func, aggregate=aggregate, tree=tree, constants=constants)


def _fail(msg: str, where: str, code: str = "formula") -> FormulaError:
    """A refused formula; ``code`` says what kind of mistake (formula, unit, undefined-name)."""
    return FormulaError(msg, where, code)


def parse(text: str, where: str) -> ast.expr:
    """Parse ``text`` as simpleeval does; syntax and size errors are load errors."""
    if not isinstance(text, str) or not text.strip():
        raise _fail("formula is empty", where)
    if len(text) > MAX_FORMULA_LENGTH:
        raise _fail(f"formula longer than {MAX_FORMULA_LENGTH} characters", where)
    try:
        # simpleeval's syntax is Python's expression syntax; mode="eval" also
        # refuses a second statement, which SimpleEval.parse would drop silently.
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        raise _fail(f"formula {text!r} is not a valid expression{col}: {exc.msg}", where) from None


def names_in(tree: ast.AST) -> set[str]:
    """Every name a parsed formula reads (``page.column`` counts as ``page.column``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.add(f"{node.value.id}.{node.attr}")
        elif isinstance(node, ast.Name):
            found.add(node.id)
    # page names used only as attribute bases are not names of their own
    bases = {n.split(".")[0] for n in found if "." in n}
    return {n for n in found if n not in bases or "." in n}


class _Checker:
    """Walks a parsed formula: whitelist, names, units; rewrites it for compilation."""

    def __init__(self, text: str, scope: dict[str, Symbol], where: str, aggregate: bool):
        self.text = text
        self.scope = scope
        self.where = where
        self.aggregate = aggregate
        self.constants: dict[str, object] = {}
        self.used: list[str] = []

    # -- helpers -----------------------------------------------------------------
    def fail(self, msg: str, node: ast.AST | None = None, code: str = "formula"):
        col = f" (column {node.col_offset + 1})" if node is not None and hasattr(node, "col_offset") else ""
        raise _fail(f"formula {self.text!r}{col}: {msg}", self.where, code)

    def const(self, value) -> ast.expr:
        key = f"_k{len(self.constants)}"
        self.constants[key] = value
        return ast.Name(id=key, ctx=ast.Load())

    def scaled(self, node: ast.expr, source, target) -> ast.expr:
        """``node`` (in unit ``source``) expressed in ``target``.

        A literal zero is zero in every unit, so ``quantity > 0`` and
        ``x if c else 0`` need no unit on the 0.
        """
        if isinstance(node, ast.Name) and node.id in self.constants and self.constants[node.id] == 0:
            return node
        k = self.factor(source, target, node)
        if k == 1:
            return node
        return ast.BinOp(left=node, op=ast.Mult(), right=self.const(k))

    def factor(self, source, target, node) -> Decimal:
        if source is target or source == target:
            return Decimal(1)
        if source.dimensionality != target.dimensionality:
            self.fail(
                f"cannot combine {U.display(str(source))!r} with {U.display(str(target))!r}: "
                f"dimensions {U.dimension_text(str(source))} and {U.dimension_text(str(target))} differ",
                node, "unit",
            )
        q = U.registry().Quantity(Decimal(1), source).to(target)
        return Decimal(q.magnitude).normalize()

    def lookup(self, name: str, node: ast.AST) -> Symbol:
        sym = self.scope.get(name)
        if sym is None:
            self.fail(f"unknown name {name!r}; known names are fields, formulas and parameters of this page", node, "undefined-name")
        if name not in self.used:
            self.used.append(name)
        return sym

    def load(self, name: str) -> ast.expr:
        # Row values and parameters are two mappings, so a row needs no merged copy.
        source = "_p" if self.scope[name].param else "_v"
        return ast.Subscript(value=ast.Name(id=source, ctx=ast.Load()), slice=ast.Constant(name), ctx=ast.Load())

    # -- the walk ----------------------------------------------------------------
    def visit(self, node: ast.AST, in_aggregate: bool = False):
        """Return (rewritten node, unit) where unit is a pint Unit, _TEXT or _BOOL."""
        method = getattr(self, "v_" + type(node).__name__, None)
        if method is None:
            self.fail(f"{type(node).__name__} is not allowed in a formula", node)
        return method(node, in_aggregate)

    def v_Constant(self, node, _):
        value = node.value
        if isinstance(value, bool) or value is None:
            self.fail(f"literal {value!r} is not allowed", node)
        if isinstance(value, str):
            if len(value) > MAX_LITERAL_LENGTH:
                self.fail(f"string literal longer than {MAX_LITERAL_LENGTH} characters", node)
            return ast.Constant(value), _TEXT
        if isinstance(value, (int, float)):
            source = ast.get_source_segment(self.text, node) or repr(value)
            try:
                exact = Decimal(source.replace("_", ""))
            except Exception:
                self.fail(f"number {source!r} is not a plain decimal", node)
            return self.const(exact), U.parse("1")
        self.fail(f"literal {value!r} is not allowed", node)

    def v_Name(self, node, in_aggregate):
        sym = self.lookup(node.id, node)
        if sym.column and not in_aggregate:
            self.fail(f"{node.id!r} is a column of rows: use it inside sum(), mean(), wmean() or count()", node)
        unit = _TEXT if sym.unit is None else U.parse(sym.unit)
        return self.load(node.id), unit

    def v_Attribute(self, node, in_aggregate):
        if not (self.aggregate and isinstance(node.value, ast.Name)):
            self.fail("attribute access is not allowed (only page.column inside a page summary)", node)
        return self.v_Name(ast.Name(id=f"{node.value.id}.{node.attr}", ctx=ast.Load(), col_offset=node.col_offset), in_aggregate)

    def v_UnaryOp(self, node, agg):
        operand, unit = self.visit(node.operand, agg)
        if isinstance(node.op, ast.Not):
            return ast.UnaryOp(op=ast.Not(), operand=operand), _BOOL
        if not isinstance(node.op, (ast.USub, ast.UAdd)) or unit in (_TEXT, _BOOL):
            self.fail(f"operator {type(node.op).__name__} is not allowed here", node)
        return ast.UnaryOp(op=node.op, operand=operand), unit

    def v_BinOp(self, node, agg):
        if not isinstance(node.op, _BINOPS):
            self.fail(f"operator {type(node.op).__name__} is not allowed", node)
        left, lu = self.visit(node.left, agg)
        if isinstance(node.op, ast.Pow):
            exp = node.right
            if not (isinstance(exp, ast.Constant) and isinstance(exp.value, int) and not isinstance(exp.value, bool)):
                return self.dimensionless_power(node, left, lu, agg)
            if abs(exp.value) > MAX_EXPONENT:
                self.fail(f"exponent {exp.value} is larger than {MAX_EXPONENT}", node)
            self.numeric(lu, node)
            return ast.BinOp(left=left, op=ast.Pow(), right=ast.Constant(exp.value)), lu ** exp.value
        right, ru = self.visit(node.right, agg)
        self.numeric(lu, node)
        self.numeric(ru, node)
        if isinstance(node.op, (ast.Add, ast.Sub)):
            right = self.scaled(right, ru, lu)
            return ast.BinOp(left=left, op=node.op, right=right), lu
        unit = lu * ru if isinstance(node.op, ast.Mult) else lu / ru
        return ast.BinOp(left=left, op=node.op, right=right), unit

    def dimensionless_power(self, node, left, lu, agg):
        """``a ** b`` with a computed exponent, as allocation plans write correction factors
        (e.g. 1.015 ** (16 - 20 * F)): both sides must be pure numbers, and the exponent is
        bounded when evaluated (:func:`_pow`)."""
        right, ru = self.visit(node.right, agg)
        self.numeric(lu, node)
        self.numeric(ru, node)
        one = U.parse("1")
        if lu.dimensionality != one.dimensionality or ru.dimensionality != one.dimensionality:
            self.fail("the exponent of ** must be a whole-number literal, unless base and exponent are both pure numbers", node)
        args = [self.scaled(left, lu, one), self.scaled(right, ru, one)]
        return ast.Call(func=ast.Name(id="_pow", ctx=ast.Load()), args=args, keywords=[]), one

    def numeric(self, unit, node):
        if unit in (_TEXT, _BOOL):
            self.fail("arithmetic on text or a condition is not allowed", node)

    def v_Compare(self, node, agg):
        left, lu = self.visit(node.left, agg)
        ops, comparators = [], []
        for op, comp in zip(node.ops, node.comparators):
            if not isinstance(op, _CMPOPS):
                self.fail(f"comparison {type(op).__name__} is not allowed", node)
            right, ru = self.visit(comp, agg)
            if lu is _TEXT or ru is _TEXT:
                if lu is not ru or not isinstance(op, (ast.Eq, ast.NotEq)):
                    self.fail("text can only be compared with text, by == or !=", node)
            else:
                right = self.scaled(right, ru, lu)
            ops.append(op)
            comparators.append(right)
        return ast.Compare(left=left, ops=ops, comparators=comparators), _BOOL

    def v_BoolOp(self, node, agg):
        values = [self.visit(v, agg)[0] for v in node.values]
        return ast.BoolOp(op=node.op, values=values), _BOOL

    def v_IfExp(self, node, agg):
        test, _ = self.visit(node.test, agg)
        body, bu = self.visit(node.body, agg)
        orelse, ou = self.visit(node.orelse, agg)
        if bu in (_TEXT, _BOOL) or ou in (_TEXT, _BOOL):
            if bu is not ou:
                self.fail("both branches of 'if' must give the same kind of value", node)
            return ast.IfExp(test=test, body=body, orelse=orelse), bu
        return ast.IfExp(test=test, body=body, orelse=self.scaled(orelse, ou, bu)), bu

    def v_Call(self, node, agg):
        if not isinstance(node.func, ast.Name):
            self.fail("only plain function calls are allowed", node)
        name = node.func.id
        if node.keywords:
            self.fail("keyword arguments are not allowed", node)
        if any(isinstance(a, ast.Starred) for a in node.args):
            self.fail("*args is not allowed", node)
        if name in ROW_FUNCTIONS:
            if not node.args or (name == "abs" and len(node.args) != 1):
                self.fail(f"{name}() takes {'one argument' if name == 'abs' else 'one or more arguments'}", node)
            args, first = [], None
            for a in node.args:
                arg, unit = self.visit(a, agg)
                self.numeric(unit, node)
                if first is None:
                    first = unit
                else:
                    arg = self.scaled(arg, unit, first)
                args.append(arg)
            return ast.Call(func=ast.Name(id="_" + name, ctx=ast.Load()), args=args, keywords=[]), first
        if name in AGGREGATE_FUNCTIONS:
            if not self.aggregate:
                self.fail(f"{name}() is only allowed in a page summary", node)
            if agg:
                self.fail(f"{name}() cannot be nested inside another aggregate", node)
            expected = 2 if name == "wmean" else 1
            if len(node.args) != expected:
                self.fail(f"{name}() takes {expected} argument(s)", node)
            args, units = [], []
            for a in node.args:
                if not isinstance(a, (ast.Name, ast.Attribute)):
                    self.fail(f"the argument of {name}() must be a column name", node)
                arg, unit = self.visit(a, True)
                self.numeric(unit, node)
                args.append(arg)
                units.append(unit)
            unit = U.parse("1") if name == "count" else units[0]
            return ast.Call(func=ast.Name(id="_" + name, ctx=ast.Load()), args=args, keywords=[]), unit
        self.fail(f"function {name}() is not allowed; allowed: {', '.join(sorted(ROW_FUNCTIONS | AGGREGATE_FUNCTIONS))}", node)


def _sum(column):
    # Added left to right from an exact zero, as a loop would, but in C (page summaries sum columns of every report).
    return sum(column, _ZERO)


_ZERO = Decimal(0)


def _mean(column):
    column = list(column)
    if not column:
        raise ZeroDivisionError("mean of no values")
    return _sum(column) / len(column)


def _wmean(column, weights):
    column, weights = list(column), list(weights)
    total = _sum(weights)
    return _sum(x * w for x, w in zip(column, weights)) / total


def _count(column):
    return Decimal(len(list(column)))


def _pow(base, exponent):
    """``base ** exponent`` of pure numbers, exact where Decimal is, refused beyond
    :data:`MAX_RUNTIME_EXPONENT` (an arithmetic finding, never a huge number or a hang)."""
    if abs(exponent) > MAX_RUNTIME_EXPONENT or (base <= 0 and exponent != exponent.to_integral_value()):
        raise InvalidOperation(f"{base} ** {exponent} is outside the computable range")
    return base ** exponent


_RUNTIME = {
    "_pow": _pow,
    "_min": min,
    "_max": max,
    "_abs": abs,
    "_sum": _sum,
    "_mean": _mean,
    "_wmean": _wmean,
    "_count": _count,
}


def compile_formula(
    text: str,
    scope: dict[str, Symbol],
    unit: str,
    where: str,
    aggregate: bool = False,
    condition: bool = False,
) -> Compiled:
    """Check ``text`` against ``scope`` and compile it.

    ``unit`` is the declared unit of the result; the result is converted to it
    exactly, or the formula is refused when the dimensions differ. With
    ``condition`` the formula must be a comparison or boolean (``when:`` cases).
    """
    tree = parse(text, where)
    checker = _Checker(text, scope, where, aggregate)
    node, result_unit = checker.visit(tree)
    if condition:
        if result_unit is not _BOOL:
            raise _fail(f"condition {text!r} must be a comparison", where)
    elif result_unit is _BOOL or result_unit is _TEXT:
        raise _fail(f"formula {text!r} must give a number", where)
    else:
        try:
            target = U.parse(unit)
        except UnitError as exc:
            raise _fail(exc.message, where, "unit") from None
        zero = isinstance(node, ast.Name) and checker.constants.get(node.id) == 0  # 0 is 0 in any unit
        if result_unit.dimensionality != target.dimensionality and not zero:
            raise _fail(
                f"formula {text!r} gives {U.display(unit_text(result_unit))} "
                f"({U.dimension_text(str(result_unit))}) but its output is declared "
                f"{U.display(unit)} ({U.dimension_text(unit)})",
                where, "unit",
            )
        node = checker.scaled(node, result_unit, target)
    lam = ast.Expression(
        body=ast.Lambda(
            args=ast.arguments(posonlyargs=[], args=[ast.arg(arg="_v"), ast.arg(arg="_p")], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=node,
        )
    )
    ast.fix_missing_locations(lam)
    code = compile(lam, where, "eval")
    namespace = {"__builtins__": {}, **_RUNTIME, **checker.constants}
    func = eval(code, namespace)  # the tree holds only whitelisted nodes, checked above
    return Compiled(text=text, names=tuple(checker.used), unit=unit, func=func, aggregate=aggregate,
                    tree=node, constants=checker.constants)


def unit_text(unit) -> str:
    text = f"{unit:~}" if str(unit) != "dimensionless" else "1"
    return text.replace(" ", "")
