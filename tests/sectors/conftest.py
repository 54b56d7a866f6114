"""Fixtures the sector tests share (tests/sectors/<sector>/)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest


def _half_up(x: Fraction, places: int = 4) -> Decimal:
    """An exact fraction rounded half up, as a ruleset rounds: the tests' independent arithmetic."""
    q = Decimal(x.numerator) / Decimal(x.denominator)
    return q.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="session")
def half_up():
    """``half_up(fraction, places=4) -> Decimal``: exact arithmetic rounded half up, independently of the engine."""
    return _half_up


@pytest.fixture(scope="session")
def refused_places(refused):
    """``refused_places(submission, engine=None) -> set``: (code, place) of every finding of a submission
    that must not calculate."""

    def places(submission, engine=None):
        return {(f.code, f.place) for f in refused(submission, engine)}

    return places
