"""Frozen quarters: archive/<quarter>/ holds a quarter's build as published.

Every build copies a frozen quarter verbatim into site/<quarter>/ instead of
rebuilding it, so what was published at quarter close never changes.
"""

from __future__ import annotations

from pathlib import Path

from bscgen.periods import PeriodError, Quarter
from bscgen.problems import Problems, Source

ARCHIVE = "archive"


def archived_quarters(root: Path, problems: Problems | None = None) -> dict[Quarter, Path]:
    """Every frozen quarter of the project, by quarter."""
    folder = root / ARCHIVE
    frozen: dict[Quarter, Path] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not path.is_dir():
            continue
        try:
            frozen[Quarter.parse(path.name)] = path
        except PeriodError:
            if problems is not None:
                problems.warning(Source(f"{ARCHIVE}/{path.name}"), f'"{path.name}" is not a quarter, so this folder is ignored; archived quarters are named like 2026-Q3')
    return frozen


def frozen_copy(folder: Path, audience: str | None) -> Path:
    """Where a frozen quarter keeps one audience's view: archive/<quarter>/<audience>/
    when bscgen.yaml has audiences (SPEC 17), else archive/<quarter>/ itself."""
    return folder if audience is None else folder / audience


def frozen_files(folder: Path) -> dict[str, bytes]:
    """Every file of a frozen quarter, by path relative to the quarter's folder."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def frozen_pages(folder: Path) -> frozenset[str]:
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
