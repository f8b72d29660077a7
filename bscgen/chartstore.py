"""The chart store (.bscgen-cache/charts/): drawn SVGs by chart key.

A chart whose key is stored is never drawn again; one drawn or found earlier
in this build is reused for the next copy of a quarter (the root repeats the
latest quarter).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from bscgen.buildstate import CACHE_DIR

Progress = Callable[[str, int, int], None]


class ChartStore:
    def __init__(self, root: Path, enabled: bool = True):
        self.folder = root / CACHE_DIR / "charts"
        self.enabled = enabled
        self.drawn = 0
        self.cached = 0
        self._drawn_keys: set[str] = set()  # a chart drawn by this build counts once, as drawn
        self._recent: dict[str, str] = {}  # the previous batch's SVGs

    def svgs(self, specs: dict[str, Any], drawer, progress: Progress | None = None) -> dict[str, str]:
        """The SVG of every chart asked for (key -> spec): stored, or drawn now by `drawer`."""
        found, missing = {}, {}
        for key, spec in specs.items():
            svg = self._recent.get(key) or self._read(key)
            if svg is None:
                missing[key] = spec
            else:
                found[key] = svg
        self.cached += len(set(found) - self._drawn_keys)
        drawn = drawer.draw(missing, progress=progress)
        for key, svg in drawn.items():
            self._write(key, svg)
        self._drawn_keys.update(drawn)
        self.drawn += len(drawn)
        self._recent = {**found, **drawn}
        return self._recent

    def _read(self, key: str) -> str | None:
        if not self.enabled:
            return None
        try:
            return (self.folder / f"{key}.svg").read_text(encoding="utf-8")
        except OSError:
            return None

    def _write(self, key: str, svg: str) -> None:
        if self.enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            # written whole or not at all: a build killed while writing must not leave half a chart to reuse
            temporary = self.folder / f"{key}.svg.{os.getpid()}.new"
            temporary.write_text(svg, encoding="utf-8")
            os.replace(temporary, self.folder / f"{key}.svg")
