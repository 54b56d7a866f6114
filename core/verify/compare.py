"""Reported figures against the recomputed ones, at the reported decimals.

A reported figure agrees when the recomputed one lies within half a unit of its last
decimal (``|verified - reported| <= 0.5 * 10^-d``), in exact decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..base.numbers import NotANumber, fmt, round_half_up, to_decimal
from ..output.figures import Figure
from ..rules.ruleset import CATEGORIES


@dataclass
class Comparison:
    place: str
    label: dict
    unit: str
    reported_text: str
    reported: Decimal | None
    verified: Decimal | None
    difference: Decimal | None  # reported - verified
    share: Decimal | None  # difference / verified, in percent
    agrees: bool
    tolerance: Decimal | None
    emission: bool = False

    def show(self, value: Decimal | None) -> str:
        """``value`` for people: an unrounded formula result (more than 10 decimals) is shown with two
        decimals more than the reported figure (at least 4); the exact value stays in the JSON."""
        if value is None:
            return "—"
        if self.tolerance is not None and -value.as_tuple().exponent > 10:  # an unrounded result
            places = max(-self.tolerance.as_tuple().exponent + 1, 4)  # reported decimals + 2, at least 4
            return fmt(value.quantize(Decimal(1).scaleb(-places)))
        return fmt(value)

    def as_dict(self) -> dict:
        return {"place": self.place, "label": self.label, "unit": self.unit, "reported": self.reported_text,
                "verified": fmt(self.verified) if self.verified is not None else None,
                "difference": fmt(self.difference) if self.difference is not None else None,
                "share_percent": fmt(self.share) if self.share is not None else None,
                "tolerance": fmt(self.tolerance) if self.tolerance is not None else None,
                "agrees": self.agrees}


def tolerance_of(text: str) -> Decimal:
    """Half a unit of the last decimal of ``text`` (``"12.30"`` -> 0.005)."""
    d = to_decimal(text)
    exp = d.as_tuple().exponent
    return Decimal(5).scaleb(exp - 1)


def agrees(reported_text: str, value: Decimal) -> bool:
    return abs(value - to_decimal(reported_text)) <= tolerance_of(reported_text)


def number_text(raw) -> str:
    """The text of a reported number as the user wrote it (JSON numbers arrive as Decimal or int)."""
    if isinstance(raw, float):  # a float from a Python caller: its shortest repr is what was written
        return repr(raw)
    if isinstance(raw, Decimal):
        return format(raw, "f")
    return str(raw).strip()


def compare(reported: dict, figures: dict[str, Figure]) -> list[Comparison]:
    out = []
    for place, raw in (reported or {}).items():
        text = number_text(raw)
        fig = figures.get(place)
        try:
            rep = to_decimal(text)
        except NotANumber:
            out.append(Comparison(place, fig.label if fig else {"zh": place, "en": place}, fig.unit if fig else "", text,
                                  None, fig.value if fig else None, None, None, False, None, bool(fig and fig.emission)))
            continue
        if fig is None:
            out.append(Comparison(place, {"zh": place, "en": place}, "", text, rep, None, None, None, False, None))
            continue
        tol = tolerance_of(text)
        diff = rep - fig.value
        share = round_half_up(diff * 100 / fig.value, 2) if fig.value else None
        out.append(Comparison(place, fig.label, fig.unit, text, rep, fig.value, diff, share, abs(diff) <= tol, tol, fig.emission))
    return out


def category_summary(reported: dict, figures: dict[str, Figure]) -> list[dict]:
    rows = []
    for key in list(CATEGORIES) + ["total"]:
        place = f"$.totals.{key}"
        fig = figures.get(place)
        raw = (reported or {}).get(place)
        row = {"category": key, "label": fig.label if fig else {"zh": key, "en": key},
               "verified": fig.value if fig else None, "reported": None, "difference": None, "share_percent": None}
        if raw is not None:
            try:
                rep = to_decimal(number_text(raw))
            except NotANumber:
                rep = None
            row["reported"] = rep
            if rep is not None and fig is not None:
                row["difference"] = rep - fig.value
                row["share_percent"] = round_half_up((rep - fig.value) * 100 / fig.value, 2) if fig.value else None
        rows.append(row)
    return rows
