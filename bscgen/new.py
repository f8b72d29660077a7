"""`bscgen new DIR`: a small, working, commented scorecard project to start from."""

from __future__ import annotations

import shutil
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter"


class NotEmptyError(Exception):
    """The target folder already has files in it."""


def create_project(target: Path) -> list[Path]:
    """Copy the starter project into `target` (which must be absent or empty)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NotEmptyError(f"{target} is not an empty folder; choose a new folder for the project")
    shutil.copytree(STARTER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    # Stored without its dot so packaging tools do not treat it as their own.
    (target / "gitignore").rename(target / ".gitignore")
    return sorted(p for p in target.rglob("*") if p.is_file())
