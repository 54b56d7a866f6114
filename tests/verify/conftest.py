"""Fixtures the verification tests share (tests/verify/)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest


@pytest.fixture(scope="session")
def run(engine):
    """``run(submission, engine=None, **options) -> report``: verify a submission, on the shared engine
    unless another is given."""
    from mrv_engine.core.verify.recompute import verify

    shared = engine

    def run(sub: dict, engine=None, **kw):
        return verify(engine or shared, sub, **kw)

    return run


@pytest.fixture(scope="session")
def codes():
    """``codes(report) -> set[str]``: the finding codes of a verification report."""
    return lambda report: {f.code for f in report.findings}


@pytest.fixture(scope="session")
def found():
    """``found(report, code) -> list``: the findings of a verification report with that code."""
    return lambda report, code: [f for f in report.findings if f.code == code]


@pytest.fixture(scope="session")
def load_example(examples_dir):
    """``load_example(name) -> dict``: an example submission, its decimals read as Decimal."""
    return lambda name: json.loads((examples_dir / name).read_text(encoding="utf-8"), parse_float=Decimal)
