"""Writing the site: into a staging folder beside the output, swapped in whole.

A build that fails half-way leaves the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


DEFAULT_OUTPUT = "site"  # a project's output folder unless -o says otherwise


class OutputError(Exception):
    """The output folder cannot be used (it would overwrite the project, say)."""


def check_output(out: Path, root: Path) -> None:
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        raise OutputError(f"the output folder {out} contains the project; choose a folder such as {root / 'site'}")
    for protected in ("content", "data", "themes", "archive"):
        if out == root / protected or (root / protected) in out.parents:
            raise OutputError(f"the output folder {out} is inside the project's {protected}/ folder; choose another")
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output {out} exists and is not a folder")


def is_staging(path: Path, out: Path) -> bool:
    """Whether a path is (inside) a folder a build of `out` writes or retires."""
    return any(part.startswith((f".{out.name}.new-", f".{out.name}.old-")) for part in path.parts)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield an empty folder to write the site into; on success it replaces `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is meant to be served
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
