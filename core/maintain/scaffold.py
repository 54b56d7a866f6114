"""``mrv new-sector``: scaffold a separate, installable sector plugin distribution.

The scaffold is a working plugin from the first minute: it installs next to mrv-engine,
``mrv sectors`` lists it, ``mrv lint`` passes (with warnings for the TODO citations
a maintainer must fill in), ``mrv test`` runs its golden cases, and ``mrv calc``
computes its example submission.
"""

from __future__ import annotations

import datetime
import re
from importlib import resources
from pathlib import Path
from string import Template

from ..base.errors import MrvError

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class ScaffoldError(MrvError):
    """The scaffold cannot be written (bad id, target not empty)."""


def _template(name: str) -> Template:
    text = resources.files("mrv_engine.core.maintain").joinpath("templates", "sector", name).read_text(encoding="utf-8")
    return Template(text)


def new_sector(sector_id: str, name_zh: str, name_en: str, output: str | Path | None = None,
               year: int | None = None) -> Path:
    """Write the plugin distribution of sector ``sector_id``; returns its directory.

    :param output: the directory to create (default ``./mrv-sector-<id>``); must not exist or be empty.
    :param year: the first reporting year of the first ruleset (default: this year).
    """
    if not ID_PATTERN.match(sector_id) or len(sector_id) > 40:
        raise ScaffoldError(f"sector id {sector_id!r} must be lower-case letters, digits and _ (starting with a letter)")
    if sector_id == "general":
        raise ScaffoldError("sector id 'general' is the host's own; choose another")
    for label, value in (("--name-zh", name_zh), ("--name-en", name_en)):
        if not value or not value.strip() or any(c in value for c in "\"\n\\{}$"):
            raise ScaffoldError(f"{label} must be a non-empty name without quotes, braces, $ or backslashes")
    year = year or datetime.date.today().year
    if not 2005 <= year <= 2100:
        raise ScaffoldError(f"first reporting year {year} is outside 2005-2100")
    dist = "mrv-sector-" + sector_id.replace("_", "-")
    pkg = "mrv_sector_" + sector_id
    target = Path(output) if output else Path(dist)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError("exists and is not empty; choose another directory with -o", str(target))
    values = {
        "id": sector_id, "name_zh": name_zh.strip(), "name_en": name_en.strip(), "dist": dist, "pkg": pkg,
        "year": str(year), "ruleset_id": f"{sector_id.replace('_', '-')}-{year}",
    }
    files = {
        "pyproject.toml": "pyproject.toml.tmpl",
        "README.md": "README.md.tmpl",
        f"src/{pkg}/__init__.py": "plugin.py.tmpl",
        f"src/{pkg}/rulesets/{values['ruleset_id']}.yaml": "ruleset.yaml.tmpl",
        f"src/{pkg}/rulesets/{values['ruleset_id']}.golden.yaml": "golden.yaml.tmpl",
        "tests/test_plugin.py": "test_plugin.py.tmpl",
        "examples/submission.json": "submission.json.tmpl",
    }
    for rel, name in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_template(name).substitute(values), encoding="utf-8")
    return target
