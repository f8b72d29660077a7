"""Where every word of a PDF lies, as poppler's `pdftotext -bbox-layout` reports
it: the board pack's "nothing cut off" tests (SPEC 21) read PDFs through it."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pytest

MM = 72 / 25.4  # points per millimetre
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[tuple[Word, ...], ...]  # top to bottom, as poppler groups them

    @property
    def words(self) -> list[Word]:
        return [word for line in self.lines for word in line]

    @property
    def text(self) -> str:
        return "\n".join(" ".join(word.text for word in line) for line in self.lines)


def require(command: str, package: str) -> str:
    """The path of a command; skipped without it, except under CI, where .ci/run installs it."""
    found = shutil.which(command)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{command} is required under CI (Debian's {package}, which .ci/run installs)")
        pytest.skip(f"{command} is not installed (Debian's {package})")
    return found


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page of a PDF with its lines of words, in points from the top left."""
    out = subprocess.run([require("pdftotext", "poppler-utils"), "-bbox-layout", str(pdf), "-"],
                         capture_output=True, check=True).stdout
    pages = []
    for number, page in enumerate(ElementTree.fromstring(out).iter(XHTML + "page"), start=1):
        lines = tuple(
            tuple(Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                  for w in line.iter(XHTML + "word"))
            for line in page.iter(XHTML + "line"))
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), lines))
    return pages


def outside(page: Page, left: float, top: float, right: float, bottom: float, slack: float = 0.5) -> list[Word]:
    """The words of a page not wholly inside the box `left`..`right`, `top`..`bottom` (points)."""
    return [w for w in page.words
            if w.x0 < left - slack or w.x1 > right + slack or w.y0 < top - slack or w.y1 > bottom + slack]
