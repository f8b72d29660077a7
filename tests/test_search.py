"""The Pagefind indexes: a catalogue shared by every quarter and each quarter's commentary."""

import gzip
import json
import re
from pathlib import Path

from bscgen.search import SearchPage
from tests.helpers import cli_build, copy_example, reuse_charts


def indexed_pages(bundle):
    """URL -> (title, content) of the pages in a Pagefind bundle (fragments are gzipped JSON)."""
    pages = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        pages[record["url"]] = (record["meta"].get("title", ""), record["content"])
    return pages


def bundle_bytes(bundle):
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_every_quarter_has_a_catalogue_index(example_site):
    for folder in [example_site, *(example_site / q for q in ("2024-Q3", "2025-Q4", "2026-Q3"))]:
        bundle = folder / "pagefind"
        assert (bundle / "pagefind-entry.json").is_file()
        assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-ui.css").is_file()


def test_catalogue_holds_perspectives_objectives_kpis_and_initiatives(example_site):
    pages = indexed_pages(example_site / "pagefind")
    assert pages["/objectives/C1/index.html"][0] == "C1 Deliver reliable business services"
    assert "/kpis/cloud-cost/index.html" in pages
    assert "/perspectives/customer/index.html" in pages
    assert "/initiatives/index.html" in pages
    assert "/index.html" in pages
    assert not any(url.startswith(("/briefing", "/strategy-map", "/quarters")) for url in pages)
    title, content = pages["/kpis/cloud-cost/index.html"]
    assert "Objective: F1 Reduce the unit cost of IT services" in content


def test_the_catalogue_is_the_same_in_every_quarter(example_site):
    # Quarters differ in scores, not in names and descriptions: one index, built once.
    root = bundle_bytes(example_site / "pagefind")
    for quarter in ("2024-Q3", "2025-Q4", "2026-Q3"):
        assert bundle_bytes(example_site / quarter / "pagefind") == root


def test_a_quarter_commentary_index_holds_that_quarter_commentary(example_site):
    pages = indexed_pages(example_site / "2026-Q2" / "pagefind-commentary")
    titles = {title for title, _ in pages.values()}
    assert "Executive summary, 2026 Q2" in titles
    assert all("2026 Q2" in title for title in titles) and pages
    latest = indexed_pages(example_site / "pagefind-commentary")
    assert all("2026 Q3" in title for title, _ in latest.values()) and latest
    assert latest != pages


def test_a_quarter_without_commentary_has_no_commentary_index(example_site):
    assert not (example_site / "2025-Q2" / "pagefind-commentary").exists()
    assert "data-commentary" not in (example_site / "2025-Q2" / "index.html").read_text()
    page = (example_site / "2026-Q2" / "objectives" / "C1" / "index.html").read_text()
    assert 'data-commentary="../../pagefind-commentary/"' in page


def test_search_text_is_escaped(tmp_path):
    page = SearchPage("kpis/x/index.html", "<script>alert(1)</script>", "<p>safe</p>")
    assert "<script>" not in page.document() and "&lt;script&gt;" in page.document()


def build(project: Path, *args: str) -> None:
    result = cli_build(project, *args)
    assert result.exit_code == 0, result.output


def test_an_edit_reindexes_the_catalogue_once_and_keeps_commentary(tmp_path, example_site):
    project = copy_example(tmp_path / "p")
    # the session's example drew these very charts; the board pack is not what this test is about
    reuse_charts(example_site, project)
    config = project / "bscgen.yaml"
    config.write_text("".join(line for line in config.read_text().splitlines(True) if not line.startswith("exports:")))
    build(project)
    site = project / "site"
    commentary = next((site / "2026-Q2" / "pagefind-commentary" / "fragment").iterdir())
    inode = commentary.stat().st_ino
    objective = project / "content" / "objectives" / "customer" / "c1-reliable-services.md"
    objective.write_text(objective.read_text() + "\nZanzibar readiness review.\n")
    build(project)
    assert commentary.stat().st_ino == inode  # linked from the previous site, not indexed again
    for folder in (site, site / "2024-Q3"):
        title, content = indexed_pages(folder / "pagefind")["/objectives/C1/index.html"]
        assert "Zanzibar" in content
    # the copies share the one index just built: the same files, hard-linked
    fragment = re.compile(r".*\.pf_fragment")
    inodes = {p.name: p.stat().st_ino for p in (site / "pagefind" / "fragment").iterdir() if fragment.match(p.name)}
    assert inodes == {p.name: p.stat().st_ino for p in (site / "2024-Q3" / "pagefind" / "fragment").iterdir()}
    clean = tmp_path / "clean"
    build(project, "-o", str(clean))  # another output: every page and index made anew (charts from the cache)
    assert bundle_bytes(site / "pagefind") == bundle_bytes(clean / "pagefind")


def test_an_exception_from_progress_stops_indexing_at_the_next_bundle(tmp_path):
    """How a stopped `bscgen serve` ends a build in its search stage: the bundle under way
    is finished, no other is started, the services close and the exception is raised."""
    import pytest

    from bscgen import search

    class Stop(Exception):
        pass

    seen = []

    def progress(stage, done, total):
        seen.append((stage, done, total))
        raise Stop

    page = SearchPage("index.html", "Home", ())
    bundles = {tmp_path / f"b{n}": [page] for n in range(6)}
    with pytest.raises(Stop):
        search.build_bundles(bundles, progress)
    written = [folder for folder in bundles if (folder / "pagefind.js").is_file()]
    assert seen and all(stage == "search" and total == 6 for stage, _, total in seen)
    assert len(written) == len(seen) < 6  # one per service at most, then no more
