"""The one comparison of two versions of a rule item: a field, a formula, a table row.

Both differs build on it: the composition-level one behind ``mrv diff``
(:mod:`.differ`) and the ruleset-level one behind each methodology page's list of
changes (:mod:`.rulesets`), so they cannot disagree on whether an item changed.
"""

from __future__ import annotations

from decimal import Decimal

from ..base.numbers import fmt

#: Keys of a field and of a formula whose change matters to a figure (labels and help do not).
#: ``fallbacks``, the only nested one, comes last: its changes are listed after the plain ones.
FIELD_KEYS = ("type", "unit", "decimals", "minimum", "maximum", "required", "table", "choices", "min_frequency", "priority", "ref", "fallbacks")
FORMULA_KEYS = ("expr", "cases", "unit", "decimals", "gas", "category", "minimum", "maximum")
#: The keys that hold what a formula computes (one or the other).
EXPRESSION_KEYS = ("expr", "cases")


def map_leaves(value, leaf):
    """``value`` with ``leaf`` applied to every scalar, inside dicts and lists too."""
    if isinstance(value, dict):
        return {k: map_leaves(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [map_leaves(v, leaf) for v in value]
    return leaf(value)


def _as_text(value):
    """A number as its text (``"0.5"`` and 0.5 are the same; 0.50 is not), any other scalar as it is."""
    return fmt(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else value


def same(a, b) -> bool:
    """Whether two YAML values of a ruleset say the same thing."""
    return map_leaves(a, _as_text) == map_leaves(b, _as_text)


def leaf_changes(a, b, path: str) -> list[tuple[str, object, object]]:
    """(path, from, to) of every leaf that differs between two YAML values (``fallbacks[0].source.clause``)."""
    if same(a, b):
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += leaf_changes(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += leaf_changes(x, y, f"{path}[{i}]")
        return out
    return [(path, a, b)]


def key_changes(a: dict, b: dict, keys) -> list[tuple[str, object, object]]:
    """(key, from, to) of each of ``keys`` whose value differs between two versions of one item (a field, a formula)."""
    return [(k, a.get(k), b.get(k)) for k in keys if not same(a.get(k), b.get(k))]


def is_verified(entry: dict) -> bool:
    """Whether a table row's or a parameter's figures are confirmed (they are unless they say ``verified: false``)."""
    return entry.get("verified", True) is not False


def row_changes(a: dict, b: dict, columns) -> list[tuple[str, object, object]]:
    """(column, from, to) of each column whose figure differs between two versions of a table row,
    then ``("verified", from, to)`` when the row is confirmed under one version only."""
    out = key_changes(a, b, columns)
    # the same figures, confirmed under one edition and not under the other: a verifier must know
    if is_verified(a) != is_verified(b):
        out.append(("verified", is_verified(a), is_verified(b)))
    return out
