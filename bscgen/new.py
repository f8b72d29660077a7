"""`bscgen new DIR`: a small, working, commented scorecard project to start from."""

from __future__ import annotations

import shutil
from pathlib import Path

from bscgen import __version__
from bscgen.schemas import write_schemas

STARTER = Path(__file__).resolve().parent / "starter"
SCHEMAS = "schemas"  # the JSON Schemas the starter's YAML files name on their first line


class NotEmptyError(Exception):
    """The target folder already has files in it."""


def create_project(target: Path) -> list[Path]:
    """Copy the starter project into `target` (which must be absent or empty), with the
    JSON Schemas its YAML files point editors at."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NotEmptyError(f"{target} is not an empty folder; choose a new folder for the project")
    shutil.copytree(STARTER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    # Stored without its dot so packaging tools do not treat it as their own.
    (target / "gitignore").rename(target / ".gitignore")
    write_schemas(target / SCHEMAS, __version__)
    return sorted(p for p in target.rglob("*") if p.is_file())
