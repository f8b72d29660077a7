"""Every page type of the example site passes the W3C Nu HTML checker (vnu).

Needs Java and the checker's jar: `npm install --no-save vnu-jar` puts it in
node_modules/ (or point VNU_JAR at a vnu.jar); without them the tests are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO

VNU = Path(os.environ.get("VNU_JAR", REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not VNU.is_file(), reason="needs java and vnu.jar (npm install --no-save vnu-jar)"
)
QUARTER = re.compile(r"^\d{4}-Q[1-4]$")


def vnu(*pages: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, pages)],
        capture_output=True, text=True, timeout=300,
    )


def one_page_of_each_type(site: Path) -> list[Path]:
    """The home page, one page from each folder of the latest quarter (and the folder's own
    page, a catalogue like kpis/index.html), and a past quarter's home."""
    pages = [site / "index.html"]
    for folder in sorted(p for p in site.iterdir() if p.is_dir()):
        if QUARTER.match(folder.name):
            continue
        own = folder / "index.html"
        found = sorted(p for p in folder.rglob("index.html") if p != own)
        pages += ([own] if own.is_file() else []) + found[:1]
    pages += sorted(site.glob("*-Q?/index.html"))[:1]
    return pages


def test_every_page_type_is_valid_html(example_site: Path):
    pages = one_page_of_each_type(example_site)
    names = {page.relative_to(example_site).parts[0] for page in pages}
    assert {"index.html", "kpis", "objectives", "perspectives", "strategy-map"} <= names
    assert {"kpis/index.html", "objectives/index.html", "perspectives/index.html", "scorecards/index.html"} <= {
        page.relative_to(example_site).as_posix() for page in pages}
    result = vnu(*pages)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_checker_does_find_errors(tmp_path: Path):
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html lang=en><title>x</title><p><div></span>")
    assert vnu(page).returncode != 0
