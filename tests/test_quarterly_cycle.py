"""The quarterly cycle (issue 27): when a new quarter's actuals arrive, the
build renders the new quarter's copy and the site root, and every past
quarter's copy stays byte-identical: it lists only the quarters up to its
own (the switcher adds later ones from versions.json at run time)."""

from __future__ import annotations

from pathlib import Path

from bscgen.periods import Quarter
from tests.helpers import build, copy_fixture


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_new_quarter_renders_its_copy_and_the_root_only(tmp_path):
    project = copy_fixture("small", tmp_path / "p")
    before = build(project, period=Quarter.parse("2025-Q4"))
    past = files(project / "site" / "2025-Q4")
    after = build(project)
    new_pages = sum(1 for _ in (project / "site" / "2026-Q1").rglob("*.html"))
    root_pages = sum(1 for p in (project / "site").rglob("*.html")
                     if not p.relative_to(project / "site").parts[0] in ("2025-Q4", "2026-Q1"))
    assert before.quarter == Quarter.parse("2025-Q4") and after.quarter == Quarter.parse("2026-Q1")
    assert after.pages_rendered == new_pages + root_pages
    assert after.pages_reused == len([p for p in past if p.endswith(".html")])
    assert files(project / "site" / "2025-Q4") == past


def test_a_past_copy_lists_quarters_up_to_its_own_and_links_the_full_list(tmp_path):
    project = copy_fixture("small", tmp_path / "p")
    build(project)
    past = (project / "site" / "2025-Q4" / "index.html").read_text()
    assert 'data-quarter="2026-Q1"' not in past  # later quarters come from versions.json
    assert "as published" in past and "(latest)" not in past
    quarters = (project / "site" / "2025-Q4" / "quarters" / "index.html").read_text()
    assert 'href="../../quarters/index.html"' in quarters  # the no-JavaScript way to later quarters
    root = (project / "site" / "index.html").read_text()
    assert 'data-quarter="2025-Q4"' in root and "2026 Q1 (latest)" in root and "as published" not in root
