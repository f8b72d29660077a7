"""The build cache (.bscgen-cache/): what an unchanged build can skip.

- Charts are cached by their spec: an unchanged chart is never drawn again.
- Every output file is recorded with a key (a page's key digests everything
  its template receives; other files are keyed by their bytes). A file whose
  key is unchanged is hard-linked from the previous site instead of being
  rendered and written again.
- A copy of a quarter whose inputs are unchanged is not even laid out; if
  only Markdown texts changed, only the pages showing them are.

Keys include a digest of bscgen's own code and of the theme, so a new
version or an edited template invalidates everything it touches.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

CACHE_DIR = ".bscgen-cache"
MANIFEST = "manifest.json"
_PACKAGE = Path(__file__).resolve().parent


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def code_digest() -> str:
    """bscgen's own source and the versions of the libraries that shape output."""
    import markdown
    import vl_convert

    parts = [sha256(path.read_bytes()) for path in sorted(_PACKAGE.glob("*.py"))]
    parts += [markdown.__version__, getattr(vl_convert, "__version__", "")]
    parts += [_version(name) for name in ("nh3", "altair", "pagefind")]
    return sha256("\n".join(parts))


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return ""


def tree_digest(folders: list[Path]) -> str:
    """Every file below the folders (a theme's templates and static files)."""
    parts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(folder).as_posix()}:{sha256(path.read_bytes())}")
    return sha256("\n".join(parts))


class Digest:
    """Content digests of the values pages are made from.

    Each object is digested once (by identity), so the many pages sharing one
    quarter's results cost little. The memo keeps what it digested alive: use
    one Digest per batch of short-lived values, sharing a longer-lived one.
    """

    def __init__(self, shared: Digest | None = None) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}
        # digests of long-lived values (a build's results), looked up but not added to
        self._shared = shared._memo if shared else {}

    def __call__(self, value: Any) -> str:
        kind = type(value)
        if value is None or kind in (bool, int, float):
            return repr(value)
        if isinstance(value, str):  # Markup included
            return repr(value) if len(value) < 80 else "#" + sha256(value)
        key = id(value)
        memo = self._memo.get(key) or self._shared.get(key)
        if memo is not None:
            return memo[1]
        digest = "#" + sha256(self._parts(value))
        self._memo[key] = (value, digest)  # keeps value alive so its id stays unique
        return digest

    def _join(self, items) -> str:
        # length-prefixed, so no two different structures read the same
        return "".join(f"{len(part)}:{part}" for part in items)

    def _parts(self, value: Any) -> str:
        if isinstance(value, dict):
            return "d" + self._join(f"{self(k)}={self(v)}" for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return "l" + self._join(self(item) for item in value)
        if isinstance(value, (set, frozenset)):
            return "f" + self._join(sorted(self(item) for item in value))
        if isinstance(value, date):
            return "t" + value.isoformat()
        own = getattr(value, "cache_key", None)
        if own is not None:  # the object knows a digest of itself (a chart: of its spec)
            return "k" + own
        if dataclasses.is_dataclass(value):
            names = _field_names(type(value))
            return f"c{type(value).__qualname__}" + self._join(self(getattr(value, name)) for name in names)
        if callable(value):
            return "callable"  # helpers such as asset(); what they return is keyed elsewhere
        raise TypeError(f"cannot digest a {type(value).__name__}")


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


class BuildCache:
    """The cache of one project for builds into one output folder."""

    def __init__(self, root: Path, out: Path, salt: str, enabled: bool = True):
        self.folder = root / CACHE_DIR
        self.out = out
        self.salt = salt
        self.enabled = enabled
        self.charts_drawn = 0
        self.charts_cached = 0
        self.files_written = 0
        self.files_reused = 0
        self.pages_rendered = 0
        self.pages_reused = 0
        self.drawn_keys: set[str] = set()  # charts drawn by this build
        self._old: dict[str, Any] = self._load() if enabled else {}
        self._old_by_copy: dict[str | None, dict[str, str]] = {}  # copy -> site path -> key
        for path, entry in self._old.get("files", {}).items():
            self._old_by_copy.setdefault(copy_of(path), {})[path] = entry[0]
        self._intact_memo: dict[str, bool] = {}
        self._made_dirs: set[Path] = set()
        self._new_files: dict[str, list] = {}
        self._new_quarters: dict[str, dict[str, Any]] = {}
        self._new_bundles: dict[str, str] = {}

    # --- manifest ------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        try:
            manifest = json.loads((self.folder / MANIFEST).read_text())
        except (OSError, ValueError):
            return {}
        same = manifest.get("out") == str(self.out.resolve()) and manifest.get("salt") == self.salt
        return manifest if same else {}

    def save(self) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(exist_ok=True)
        manifest = {
            "out": str(self.out.resolve()),
            "salt": self.salt,
            "quarters": self._new_quarters,
            "files": self._new_files,
            "bundles": self._new_bundles,
        }
        temporary = self.folder / (MANIFEST + ".new")
        temporary.write_text(json.dumps(manifest, sort_keys=True))
        os.replace(temporary, self.folder / MANIFEST)

    # --- quarters ------------------------------------------------------------------

    def plan_copy(self, folder: str, key: str, texts: dict[str, str]) -> frozenset[str] | None:
        """Which pages of one copy of a quarter ("" for the site root) must be made
        again: None for all of them; for a copy whose key (everything but its
        Markdown texts) is unchanged and whose files are intact, only the pages
        that show an edited text (see render.texts_of), often none.

        `texts` digests each text by id.
        """
        self._new_quarters[folder] = {"key": key, "texts": texts, "uses": {}}
        old = self._old.get("quarters", {}).get(folder)
        if not self.enabled or not isinstance(old, dict) or old.get("key") != key:
            return None
        files = self.old_files_of(folder)
        if not files or not all(self._intact(path) for path in files):
            return None
        edited = {i for i in old["texts"].keys() | texts.keys() if old["texts"].get(i) != texts.get(i)}
        self.record_uses(folder, old["uses"])  # the same pages show the same texts
        return frozenset(path for path, ids in old["uses"].items() if edited.intersection(ids))

    def record_uses(self, folder: str, uses: dict[str, list[str]]) -> None:
        """Which texts each page of a copy shows (site path -> text ids)."""
        self._new_quarters[folder]["uses"] = uses

    def old_files_of(self, folder: str) -> dict[str, str]:
        """site path -> key of every file the previous build wrote for one copy of a quarter."""
        return self._old_by_copy.get(folder, {})

    def reuse_copy(self, staging: Path, folder: str, skip: frozenset[str] = frozenset(), bundles: bool = True) -> int:
        """Link the files of a copy of a quarter from the previous site, but for
        the pages in `skip` and, unless `bundles`, its search bundles. Returns
        how many pages were linked."""
        old_bundles = {b: key for b, key in self._old.get("bundles", {}).items() if copy_of(b + "/") == folder}
        linked = {
            site_path: key for site_path, key in self.old_files_of(folder).items()
            if site_path not in skip and (bundles or not any(site_path.startswith(b + "/") for b in old_bundles))
        }
        self._link_old(staging, linked)
        if bundles:
            self._new_bundles.update(old_bundles)
        return sum(site_path.endswith(".html") for site_path in linked)

    def _link_old(self, staging: Path, files: dict[str, str]) -> None:
        """Link files of the previous site (site path -> key) known to be intact."""
        for site_path, key in files.items():
            if not self.write(staging, site_path, key, _must_not_render):
                raise RuntimeError(f"{site_path} changed during the build")

    # --- files ---------------------------------------------------------------------

    def _intact(self, site_path: str) -> bool:
        intact = self._intact_memo.get(site_path)
        if intact is None:
            intact = self._intact_memo[site_path] = self._check_intact(site_path)
        return intact

    def _check_intact(self, site_path: str) -> bool:
        entry = self._old.get("files", {}).get(site_path)
        if entry is None:
            return False
        try:
            stat = (self.out / site_path).stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == entry[1:]

    def reusable(self, site_path: str, key: str) -> bool:
        """True if the previous site has this very file, unchanged since it was written."""
        entry = self._old.get("files", {}).get(site_path)
        return self.enabled and entry is not None and entry[0] == key and self._intact(site_path)

    def write(self, staging: Path, site_path: str, key: str, content: Callable[[], str | bytes] | str | bytes) -> bool:
        """Put one file into the staging folder: linked from the previous site
        when its key is unchanged, else written. Returns True if reused."""
        target = staging / site_path
        if target.parent not in self._made_dirs:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(target.parent)
        reused = self.reusable(site_path, key)
        if reused:
            _link(self.out / site_path, target)
            self.files_reused += 1
        else:
            data = content() if callable(content) else content
            target.write_bytes(data.encode() if isinstance(data, str) else data)
            self.files_written += 1
        stat = target.stat()
        self._new_files[site_path] = [key, stat.st_size, stat.st_mtime_ns]
        return reused

    # --- bundles: folders another tool writes (search indexes) -----------------------

    def reuse_bundle(self, staging: Path, folder: str, key: str) -> bool:
        """Link a bundle from the previous site if it had this very one in this folder."""
        self._new_bundles[folder] = key
        return self.enabled and self._old.get("bundles", {}).get(folder) == key and self.reuse_folder(staging, folder + "/")

    def adopt(self, staging: Path, folder: str, source: Path | None = None) -> None:
        """Record the files of a bundle written into the staging folder, after
        linking them from `source` (the same bundle made for another copy)."""
        base = staging / folder
        if source is not None:
            shutil.copytree(source, base, copy_function=_link)
        key = self._new_bundles[folder]
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            site_path = path.relative_to(staging).as_posix()
            stat = path.stat()
            # named by the bundle's key: reused (or not) as a whole, never file by file
            self._new_files[site_path] = [sha256(key + site_path), stat.st_size, stat.st_mtime_ns]
            self.files_written += 1

    def reuse_folder(self, staging: Path, folder: str) -> bool:
        """Link every file the previous build had below a folder, if all are intact."""
        old = {path: key for path, key in self.old_files_of(copy_of(folder)).items() if path.startswith(folder)}
        if not self.enabled or not old or not all(self._intact(path) for path in old):
            return False
        self._link_old(staging, old)
        return True

    # --- charts --------------------------------------------------------------------

    def chart(self, key: str) -> str | None:
        if not self.enabled:
            return None
        try:
            return (self.folder / "charts" / f"{key}.svg").read_text(encoding="utf-8")
        except OSError:
            return None

    def store_chart(self, key: str, svg: str) -> None:
        if self.enabled:
            folder = self.folder / "charts"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{key}.svg").write_text(svg, encoding="utf-8")


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def _must_not_render() -> bytes:
    raise RuntimeError("an unchanged file was about to be written again")


SITE_FILES = {"versions.json"}  # files of the site as a whole, not of one quarter's copy


def copy_of(site_path: str) -> str | None:
    """Which copy of a quarter a site file belongs to: "2026-Q3/", "" (the root), or None."""
    if site_path in SITE_FILES:
        return None
    head = site_path.split("/", 1)[0]
    if len(head) == 7 and head[4:6] == "-Q" and "/" in site_path:
        return head + "/"
    return ""
