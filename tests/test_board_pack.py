"""The board pack, board-ready (SPEC 21): nothing in the PDF cut off, read back
with poppler's pdftotext; the example's PDF comes from the session's build, a
long scorecard's board pack is made alone (site.board_pack), never a whole site."""

from __future__ import annotations

from pathlib import Path

import pytest

from bscgen import site
from tests.pdfwords import MM, Page, outside, pdf_pages

# the print stylesheet's @page margins (themes/default/static/style.css), in points
TOP, SIDES, BOTTOM = 18 * MM, 14 * MM, 16 * MM
EDGE = 5 * MM  # what most printers cannot print on: the running header and footer keep off it

LONG_NAME = "Percentage of critical business application incidents resolved within the agreed service level window"
UNBROKEN = "Endtoendcustomerjourneyavailabilityacrossallregions"  # a name with nowhere to wrap
LONG_UNIT = "certifications per employee"
PERSPECTIVES = (("financial", "Financial"), ("customer", "Customer"),
                ("internal", "Internal Business Processes"), ("learning", "Learning and Growth"))


def long_project(root: Path) -> Path:
    """40 objectives with long titles, KPIs with long names and units (wide tables), a long summary."""
    objectives, kpis, rows = root / "content" / "objectives", ["kpis:"], ["kpi,period,value"]
    objectives.mkdir(parents=True)
    (root / "data").mkdir()
    (root / "bscgen.yaml").write_text(
        "title: Long Scorecard\norganization: Long Names Department of Information Technology\n"
        "exports: [pdf, pptx]\nperspectives:\n" + "".join(f"  - {{id: {p}, title: {t}}}\n" for p, t in PERSPECTIVES))
    for level, (pid, _) in enumerate(PERSPECTIVES):
        for n in range(1, 11):
            oid = f"{pid[0].upper()}{n}"
            supports = f"supports: [{PERSPECTIVES[level - 1][0][0].upper()}{n}]\n" if level else ""
            (objectives / f"{oid.lower()}.md").write_text(
                f"---\nid: {oid}\ntitle: Improve the reliability, cost and experience of every {pid} service "
                f"number {n} for all business units\nperspective: {pid}\n{supports}---\nText of {oid}.\n")
            k = n % 2  # every other objective's KPI has a name with nowhere to wrap and a long unit
            name, unit = (f"Q{oid} {LONG_NAME} Z{oid}", "%") if k == 0 else (f"{UNBROKEN}{oid}", LONG_UNIT)
            kid = oid.lower()
            kpis.append(f"  - {{id: {kid}, name: {name}, objective: {oid}, unit: '{unit}', "
                        f"baseline: 1000, target: 123456, decimals: 1}}")
            rows += [f"{kid},2026-0{month},{(n * 9000 + month * 7000 + k * 30000) % 123456 + 1000}"
                     for month in range(1, 7)]
    (root / "data" / "kpis.yaml").write_text("\n".join(kpis) + "\n")
    (root / "data" / "actuals.csv").write_text("\n".join(rows) + "\n")
    summary = root / "content" / "commentary" / "2026-Q2" / "index.md"
    summary.parent.mkdir(parents=True)
    summary.write_text("# What went well\n\n" + "\n\n".join(
        f"Paragraph {n}: the quarter went as planned in most areas, and the long names of this scorecard "
        "must wrap rather than run off the page. " * 3 for n in range(8)) + "\n")
    return root


@pytest.fixture(scope="module")
def long_pack(tmp_path_factory) -> Path:
    """The long scorecard's board pack, made alone (no site built)."""
    root = long_project(tmp_path_factory.mktemp("long") / "project")
    out = root / "pack"
    out.mkdir()
    for path, data in site.board_pack(root).items():
        (out / path).write_bytes(data)
    return out


def running_header_and_footer(page: Page) -> tuple[list[str], list[str]]:
    """The words in the top and the bottom margin."""
    top = [w.text for w in page.words if w.y1 <= TOP]
    bottom = [w.text for w in page.words if w.y0 >= page.height - BOTTOM]
    return top, bottom


def assert_nothing_cut_off(pdf: Path, header: str) -> list[Page]:
    pages = pdf_pages(pdf)
    for page in pages:
        # in the margins only the running header and "Page N of M", and even they keep off the edge
        top, bottom = running_header_and_footer(page)
        assert " ".join(top) == header and bottom == ["Page", str(page.number), "of", str(len(pages))], page.number
        assert not outside(page, EDGE, EDGE, page.width - EDGE, page.height - EDGE), page.number
        body = [w for w in page.words if TOP < w.y1 and w.y0 < page.height - BOTTOM]
        off = [w for w in body if w.x0 < SIDES - 0.5 or w.x1 > page.width - SIDES + 0.5
               or w.y0 < TOP - 0.5 or w.y1 > page.height - BOTTOM + 0.5]
        assert not off, (page.number, off[:5])
    return pages


def test_no_word_of_the_example_pdf_outside_the_printable_area(example_site):
    assert_nothing_cut_off(example_site / "briefing.pdf", "IT Balanced Scorecard · Example Corp IT · 2026 Q3")


def test_no_word_of_a_long_scorecard_pdf_outside_the_printable_area(long_pack):
    pages = assert_nothing_cut_off(long_pack / "briefing.pdf",
                                   "Long Scorecard · Long Names Department of Information Technology · 2026 Q2")
    # a name with nowhere to wrap is printed whole down the first column, in pieces if hyphenated
    first_column = "".join(w.text.removesuffix("\u2010") for page in pages for w in page.words if w.x0 < SIDES + 6)
    assert all(f"{UNBROKEN}F{n}" in first_column for n in range(1, 11, 2))


def test_a_table_row_never_splits_and_a_heading_never_ends_a_page(long_pack):
    pages = pdf_pages(long_pack / "briefing.pdf")
    where = {word.text: page.number for page in pages for word in page.words}
    for pid, _ in PERSPECTIVES:
        for n in range(2, 11, 2):
            oid = f"{pid[0].upper()}{n}"
            assert where[f"Q{oid}"] == where[f"Z{oid}"], oid  # the first and last word of a wrapped name
    for page in pages[:-1]:
        body = [line for line in page.lines if TOP < line[0].y1 and line[0].y0 < page.height - BOTTOM]
        last = " ".join(word.text for word in body[-1])
        assert "· " not in last or "Score" in last, (page.number, last)  # an objective's heading: "F1 Title · 66.2 At risk"
