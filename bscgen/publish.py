"""Writing the site: into a staging folder beside the output, swapped in whole.

A build that fails half-way, or is killed, leaves the previous site exactly as
it was. On Linux the swap is one atomic exchange of the two folders
(renameat2 with RENAME_EXCHANGE), so there is no instant without a whole site
at the output path; elsewhere it is two renames. Each build holds a lock on
its staging folder, and the next build removes the staging folders that no
live build holds: those of builds that were killed.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # not a POSIX system: no locks, and leftovers are not removed
    fcntl = None  # type: ignore[assignment]


DEFAULT_OUTPUT = "site"  # a project's output folder unless -o says otherwise
AT_FDCWD = -100  # <fcntl.h>: paths relative to the working directory
RENAME_EXCHANGE = 2  # <linux/fs.h>: swap the two paths, both must exist
UNSUPPORTED = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP)  # the kernel or file system cannot


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


def _prefixes(out: Path) -> tuple[str, str]:
    """The names' starts of the folders a build of `out` writes into and retires."""
    return f".{out.name}.new-", f".{out.name}.old-"


def is_staging(path: Path, out: Path) -> bool:
    """Whether a path is (inside) a folder a build of `out` writes or retires."""
    return any(part.startswith(_prefixes(out)) for part in path.parts)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield an empty folder to write the site into; on success it replaces `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with _claimed(out) as staging:
        try:
            yield staging
            os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is meant to be served
            _swap(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


@contextmanager
def _claimed(out: Path) -> Iterator[Path]:
    """A new staging folder, locked for as long as the build runs, after removing the
    ones killed builds left. Cleaning and claiming happen under a lock on the output's
    parent folder, so one build never takes another's fresh folder for a leftover."""
    parent = _lock(out.parent, wait=True)
    try:
        remove_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=_prefixes(out)[0], dir=out.parent))
        lock = _lock(staging, wait=True)
    finally:
        _unlock(parent)
    try:
        yield staging
    finally:
        _unlock(lock)


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the staging and retired folders of `out` that no live build holds."""
    removed = []
    for path in sorted(out.parent.glob(".*")):
        if not path.name.startswith(_prefixes(out)) or path.is_symlink() or not path.is_dir():
            continue
        lock = _lock(path, wait=False)
        if lock is None:  # a build still running, or no locks on this system
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            _unlock(lock)
    return removed


def _lock(folder: Path, wait: bool) -> int | None:
    """An exclusive lock on a folder (flock on its descriptor, released when the process
    ends, however it ends); None if another process holds it or there are no locks."""
    if fcntl is None:
        return None
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def _unlock(descriptor: int | None) -> None:
    if descriptor is not None:
        os.close(descriptor)  # closing the last descriptor releases the lock


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():  # the first build
        staging.rename(out)
        return
    if exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # the staging path now holds the previous site
        return
    retired = Path(tempfile.mkdtemp(prefix=_prefixes(out)[1], dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    """libc's renameat2 (Linux, glibc 2.28 and later), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function
