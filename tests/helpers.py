"""Small helpers shared by several test modules (moving into conftest.py fixtures)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from mrv_engine import InputError


def half_up(x: Fraction, places: int = 4) -> Decimal:
    """An exact fraction rounded half up, as a ruleset rounds: the tests' independent arithmetic."""
    q = Decimal(x.numerator) / Decimal(x.denominator)
    return q.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def finding_places(engine, submission) -> set:
    """(code, place) of every finding of a submission that must not calculate."""
    with pytest.raises(InputError) as exc:
        engine.calculate(submission)
    return {(f.code, f.place) for f in exc.value.findings}
