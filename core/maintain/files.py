"""Finding a maintainer's files in a tree, and naming them as people read them."""

from __future__ import annotations

import os
from pathlib import Path

#: Folders never searched for rulesets or golden files (virtual environments, builds, caches).
SKIP_DIRS = {".git", ".hg", ".venv", "venv", "env", "node_modules", "build", "dist", "__pycache__", ".tox",
             ".nox", ".mypy_cache", ".pytest_cache", "site-packages", ".eggs"}


def display(path: str) -> str:
    """A path as people should read it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def yaml_files(root: Path):
    """Every ``*.yaml`` / ``*.yml`` file under ``root``, skipping :data:`SKIP_DIRS` and ``*.egg-info``."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in filenames:
            if name.endswith((".yaml", ".yml")):
                yield Path(dirpath) / name
