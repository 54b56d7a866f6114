"""The methodology maintainer's toolkit, as public API: ``from mrv_engine import maintain``.

* :func:`lint` - findings (file, line, code, severity, message) over ruleset and golden
  files, or over every installed sector plugin;
* :func:`load_golden`, :func:`find_golden_files`, :func:`installed_golden_files`,
  :func:`run_files`, :class:`GoldenRunner` - golden cases (``*.golden.yaml``): a submission,
  its year and the figures the rules must give; the pytest plugin
  ``mrv_engine.core.maintain.pytest_plugin`` runs them the same way;
* :func:`sector_docs` - a sector's methodology pages in Markdown, one per rule version;
* :func:`new_sector` - scaffold an installable sector plugin distribution.

The ``mrv lint``, ``mrv test``, ``mrv docs`` and ``mrv new-sector`` commands are thin layers
over these.
"""

from .core.base.findings import Finding
from .core.maintain.docs import change_sentences as diff_rulesets
from .core.maintain.docs import readable, sector_docs
from .core.maintain.golden import (
    GoldenError,
    GoldenRunner,
    find_golden_files,
    installed_golden_files,
    load_golden,
    run_files,
)
from .core.maintain.lint import FigureCount, LintResult, lint, lint_dict, lint_line
from .core.maintain.scaffold import ScaffoldError, new_sector

__all__ = [
    "lint", "Finding", "LintResult", "FigureCount", "lint_line", "lint_dict",
    "load_golden", "find_golden_files", "installed_golden_files", "run_files", "GoldenRunner", "GoldenError",
    "sector_docs", "readable", "diff_rulesets",
    "new_sector", "ScaffoldError",
]
