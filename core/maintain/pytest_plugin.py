"""pytest plugin: every ``*.golden.yaml`` file pytest meets becomes a test file, one item per case.

Registered under the ``pytest11`` entry point as ``mrv_engine``, so any project with
mrv-engine installed (this repository, or a third-party sector plugin's test suite)
collects its golden cases the same way ``mrv test`` runs them; both go through
:class:`mrv_engine.core.maintain.golden.GoldenRunner`. Point pytest at the folders holding the
golden files (``testpaths``, or ``pytest path/to/rulesets``). Turn the plugin off with
``-p no:mrv_engine``.

A failing case is reported as the figure table (expected vs actual) and the trace of
each differing figure, not as a Python traceback.

This module is imported by every pytest run in an environment where mrv-engine is
installed, so it imports nothing from the engine until a golden file is collected.
"""

from __future__ import annotations

import pytest

SUFFIXES = (".golden.yaml", ".golden.yml")
_RUNNER = pytest.StashKey[object]()


def pytest_addoption(parser):
    group = parser.getgroup("mrv_engine", "mrv-engine golden cases")
    group.addoption("--mrv-lang", choices=["en", "zh"], default="en",
                    help="language of the traces shown for failing golden cases (default: en)")


def pytest_collect_file(file_path, parent):
    if file_path.name.endswith(SUFFIXES):
        return GoldenFileNode.from_parent(parent, path=file_path)
    return None


def _runner(config):
    runner = config.stash.get(_RUNNER, None)
    if runner is None:
        from mrv_engine.core.maintain.golden import GoldenRunner

        runner = GoldenRunner(lang=config.getoption("--mrv-lang", "en"))
        config.stash[_RUNNER] = runner
    return runner


class GoldenFailure(Exception):
    """A golden case gave other figures than expected (or failed to calculate)."""

    def __init__(self, outcome):
        super().__init__(outcome.case.name)
        self.outcome = outcome


class GoldenFileNode(pytest.File):
    def collect(self):
        from mrv_engine.core.base.errors import MrvError
        from mrv_engine.core.maintain.golden import load_golden

        try:
            golden = load_golden(self.path)
        except MrvError as exc:
            raise self.CollectError(f"invalid golden file: {exc}") from None
        for case in golden.cases:
            yield GoldenItem.from_parent(self, name=case.name, case=case)


class GoldenItem(pytest.Item):
    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        outcome = _runner(self.config).run(self.case)
        if not outcome.passed:
            raise GoldenFailure(outcome)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GoldenFailure):
            return excinfo.value.outcome.report(_runner(self.config).lang)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.case.line - 1, f"golden case {self.case.name} ({self.case.sector} {self.case.year})"
