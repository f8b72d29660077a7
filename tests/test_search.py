"""The Pagefind index: one per copy of a quarter, holding the pages worth finding."""

import gzip
import json


def indexed_urls(bundle):
    """URLs and titles of the pages in a Pagefind bundle (fragments are gzipped JSON)."""
    pages = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        pages[record["url"]] = record["meta"].get("title", "")
    return pages


def test_every_quarter_has_its_own_index(example_site):
    for folder in [example_site, *(example_site / q for q in ("2024-Q3", "2025-Q4", "2026-Q3"))]:
        bundle = folder / "pagefind"
        assert (bundle / "pagefind-entry.json").is_file()
        assert (bundle / "pagefind-ui.js").is_file() and (bundle / "pagefind-ui.css").is_file()


def test_index_holds_objectives_kpis_initiatives_and_commentary(example_site):
    pages = indexed_urls(example_site / "pagefind")
    assert pages["/objectives/C1/index.html"] == "C1 Deliver reliable business services"
    assert "/kpis/cloud-cost/index.html" in pages
    assert "/initiatives/index.html" in pages
    assert "/index.html" in pages  # the executive summary
    assert not any(url.startswith(("/briefing", "/strategy-map", "/quarters")) for url in pages)


def test_a_past_quarter_index_describes_that_quarter(example_site):
    pages = indexed_urls(example_site / "2025-Q2" / "pagefind")
    assert "/objectives/C1/index.html" in pages  # relative to the quarter's folder
    fragments = b"".join(gzip.decompress(f.read_bytes()) for f in (example_site / "2025-Q2" / "pagefind" / "fragment").glob("*"))
    assert b"2025 Q2" in fragments and b"2026 Q3" not in fragments
