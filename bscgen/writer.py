"""The writer: puts output records into the staging folder, and counts.

For each record it decides, with the build state, to link the file from the
previous site (its key is unchanged and the file intact) or to make it. It
draws the charts only of pages it makes, and keeps the counts the build
report shows.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from bscgen import keys, urls
from bscgen.buildstate import BuildState
from bscgen.chartstore import ChartStore, Progress
from bscgen.outputs import Output


@dataclass
class Counts:
    """What a build did: every count the build report shows."""

    files_written: int = 0
    files_linked: int = 0
    pages_rendered: int = 0
    pages_reused: int = 0
    charts_drawn: int = 0
    charts_cached: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other))))


class Writer:
    def __init__(self, staging: Path, state: BuildState, charts: ChartStore, digest: keys.Digest, drawer,
                 progress: Progress | None = None):
        """`digest` digests what outputs are made of; each batch gets one of its own. `drawer`
        (a charts.ChartDrawer) draws the charts of the pages made; one serves a whole build."""
        self.staging = staging
        self.state = state
        self.charts = charts
        self.digest = digest  # long-lived digests (a build's results), shared by every batch
        self.drawer = drawer
        self.progress = progress
        self._counts = Counts()
        self._made_dirs: set[Path] = set()

    @property
    def counts(self) -> Counts:
        return replace(self._counts, charts_drawn=self.charts.drawn, charts_cached=self.charts.cached)

    def write_files(self, outputs: Sequence[Output]) -> None:
        """Write plain files (no charts): made, or linked when unchanged."""
        digest = keys.Digest()
        for output in outputs:
            self._put(output.path, self._key(output, digest), lambda output=output: output.produce({}))

    def write_pages(self, outputs: Sequence[Output]) -> None:
        """Write a batch of pages (one copy of a quarter). The charts of the pages made
        are drawn together, on every core; the batch's digests are freed with it."""
        digest = self.digest.batch()
        keyed = [(output, self._key(output, digest)) for output in outputs]
        needed = {c.key: c.spec for output, key in keyed if not self.state.current(output.path, key) for c in output.charts}
        svgs = self.charts.svgs(needed, self.drawer, self.progress) if needed else {}
        for output, key in keyed:
            linked = self._put(output.path, key, lambda output=output: output.produce(svgs))
            if output.is_page:  # exports made beside the pages are files
                if linked:
                    self._counts.pages_reused += 1
                else:
                    self._counts.pages_rendered += 1

    def _key(self, output: Output, digest: keys.Digest) -> str:
        return keys.output_key(self.state.salt, output.path, digest(output.made_of))

    def _put(self, site_path: str, key: str, make: Callable[[], bytes | str]) -> bool:
        """One file: linked from the previous site when current, else made. True if linked."""
        target = self.staging / site_path
        if target.parent not in self._made_dirs:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(target.parent)
        linked = self.state.current(site_path, key)
        if linked:
            _link(self.state.out / site_path, target)
            self._counts.files_linked += 1
        else:
            data = make()
            target.write_bytes(data.encode() if isinstance(data, str) else data)
            self._counts.files_written += 1
        self.state.wrote(site_path, key, target)
        return linked

    def link_old(self, files: dict[str, str]) -> None:
        """Link files of the previous site (site path -> key) known to be intact."""
        for site_path, key in files.items():
            if not self._put(site_path, key, _must_not_make):
                raise RuntimeError(f"{site_path} changed during the build")

    def link_copy(self, folder: str, except_pages: frozenset[str], with_bundles: bool) -> None:
        """Link a copy of a quarter from the previous site, but for some pages and,
        unless `with_bundles`, its search bundles."""
        bundles = self.state.old_bundles(folder)
        linked = {
            site_path: key for site_path, key in self.state.old_files(folder).items()
            if site_path not in except_pages
            and (with_bundles or not any(site_path.startswith(b + "/") for b in bundles))
        }
        self.link_old(linked)
        if with_bundles:
            for bundle, key in bundles.items():
                self.state.record_bundle(bundle, key)
        self._counts.pages_reused += sum(site_path.endswith(".html") for site_path in linked)

    # --- bundles: folders another tool writes (search indexes) -----------------------

    def link_bundle(self, folder: str, key: str) -> bool:
        """Link a bundle from the previous site if it had this very one in this folder."""
        self.state.record_bundle(folder, key)
        if not self.state.bundle_current(folder, key):
            return False
        old = self.state.old_files(urls.copy_of(folder + "/"), below=folder + "/")
        if not old or not all(self.state.intact(path) for path in old):
            return False
        self.link_old(old)
        return True

    def adopt_bundle(self, folder: str, key: str, source: Path | None = None) -> None:
        """Record the files of a bundle written into the staging folder, after
        linking them from `source` (the same bundle made for another copy)."""
        base = self.staging / folder
        if source is not None:
            shutil.copytree(source, base, copy_function=_link)
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            site_path = path.relative_to(self.staging).as_posix()
            # named by the bundle's key: reused (or not) as a whole, never file by file
            self.state.wrote(site_path, keys.sha256(key + site_path), path)
            self._counts.files_written += 1


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def _must_not_make() -> bytes:
    raise RuntimeError("an unchanged file was about to be written again")
