"""The build state (.bscgen-cache/manifest.json): what the previous build wrote.

Like Lektor's build state, it remembers each output file's key and the
stat of the file it wrote, and per copy of a quarter the copy's key and
which texts each page shows. The writer asks it whether a file in the
previous site is still current; it records what this build writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bscgen import urls
from bscgen.texts import TextRef

CACHE_DIR = ".bscgen-cache"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Redo:
    """What one copy of a quarter must make again: everything, or only some pages
    (the rest of the copy is linked from the previous site)."""

    everything: bool
    pages: frozenset[str] = frozenset()  # site paths, when not everything

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.pages


EVERYTHING = Redo(everything=True)


class BuildState:
    """The manifest of the previous build into one output folder, and this build's."""

    def __init__(self, root: Path, out: Path, salt: str, enabled: bool = True, audience: str | None = None):
        self.folder = root / CACHE_DIR
        # one manifest per audience: each audience's site is built into an output of its own
        self.manifest = MANIFEST if audience is None else f"manifest-{audience}.json"
        self.out = out
        self.salt = salt
        self.enabled = enabled
        self._old: dict[str, Any] = self._load() if enabled else {}
        self._old_files: dict[str, list] = self._old.get("files", {})
        self._old_by_copy: dict[str | None, dict[str, str]] = {}  # copy folder -> site path -> key
        for path, entry in self._old_files.items():
            self._old_by_copy.setdefault(urls.copy_of(path), {})[path] = entry[0]
        self._intact_memo: dict[str, bool] = {}
        self._files: dict[str, list] = {}
        self._copies: dict[str, dict[str, Any]] = {}
        self._bundles: dict[str, str] = {}

    def _load(self) -> dict[str, Any]:
        try:
            manifest = json.loads((self.folder / self.manifest).read_text())
        except (OSError, ValueError):
            return {}
        same = manifest.get("out") == str(self.out.resolve()) and manifest.get("salt") == self.salt
        return manifest if same else {}

    def save(self) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(exist_ok=True)
        manifest = {
            "out": str(self.out.resolve()), "salt": self.salt,
            "quarters": self._copies, "files": self._files, "bundles": self._bundles,
        }
        temporary = self.folder / (self.manifest + ".new")
        temporary.write_text(json.dumps(manifest, sort_keys=True))
        os.replace(temporary, self.folder / self.manifest)

    # --- files ---------------------------------------------------------------------

    def current(self, site_path: str, key: str) -> bool:
        """True if the previous site has this very file, unchanged since it was written."""
        entry = self._old_files.get(site_path)
        return self.enabled and entry is not None and entry[0] == key and self.intact(site_path)

    def intact(self, site_path: str) -> bool:
        """The previous site's file is as the previous build left it (size and time)."""
        intact = self._intact_memo.get(site_path)
        if intact is None:
            entry = self._old_files.get(site_path)
            try:
                stat = (self.out / site_path).stat()
                intact = entry is not None and [stat.st_size, stat.st_mtime_ns] == entry[1:]
            except OSError:
                intact = False
            self._intact_memo[site_path] = intact
        return intact

    def old_files(self, copy: str | None, below: str = "") -> dict[str, str]:
        """site path -> key of the previous build's files of one copy (and below a folder)."""
        files = self._old_by_copy.get(copy, {})
        return {path: key for path, key in files.items() if path.startswith(below)} if below else files

    def wrote(self, site_path: str, key: str, file: Path) -> None:
        stat = file.stat()
        self._files[site_path] = [key, stat.st_size, stat.st_mtime_ns]

    # --- copies of quarters ----------------------------------------------------------

    def plan_copy(self, folder: str, key: str, texts: dict[TextRef, str]) -> Redo:
        """What of one copy must be made again. A copy whose key (everything but its
        Markdown texts) is unchanged and whose files are intact needs only the pages
        that show an edited text, often none. `texts` digests each text."""
        digests = {str(ref): digest for ref, digest in texts.items()}
        self._copies[folder] = {"key": key, "texts": digests, "uses": {}}
        old = self._old.get("quarters", {}).get(folder)
        if not self.enabled or not isinstance(old, dict) or old.get("key") != key:
            return EVERYTHING
        files = self.old_files(folder)
        if not files or not all(self.intact(path) for path in files):
            return EVERYTHING
        edited = {ref for ref in old["texts"].keys() | digests.keys() if old["texts"].get(ref) != digests.get(ref)}
        self._copies[folder]["uses"] = old["uses"]  # the same pages show the same texts
        return Redo(False, frozenset(path for path, refs in old["uses"].items() if edited.intersection(refs)))

    def record_uses(self, folder: str, uses: dict[str, tuple[TextRef, ...]]) -> None:
        """Which texts each page of a copy shows (site path -> texts)."""
        self._copies[folder]["uses"] = {path: [str(ref) for ref in refs] for path, refs in uses.items()}

    # --- bundles: folders another tool writes (search indexes) -----------------------

    def old_bundles(self, copy: str) -> dict[str, str]:
        """bundle folder -> key of the previous build's bundles of one copy."""
        return {b: key for b, key in self._old.get("bundles", {}).items() if urls.copy_of(b + "/") == copy}

    def bundle_current(self, folder: str, key: str) -> bool:
        return self.enabled and self._old.get("bundles", {}).get(folder) == key

    def record_bundle(self, folder: str, key: str) -> None:
        self._bundles[folder] = key
