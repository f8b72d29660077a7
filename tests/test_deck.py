"""The deck, board-ready (SPEC 21): read back with python-pptx, and as LibreOffice
Impress shows it (converted to PDF, its words placed by poppler's pdftotext).

Two decks are made alone (site.board_pack, no site built): a long scorecard's (40
objectives with long names, initiatives, the quarter's events, a summary with
headings, bullets and a paragraph longer than a slide), in English and German;
the example's comes from the session's build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.shapes.connector import Connector

from bscgen import site
from bscgen.deck import summary_blocks
from bscgen.formatting import STATUS_COLOURS, STATUS_LABELS, format_score
from bscgen.slides import PLAIN_TABLE, text_width
from tests.pdfwords import Page, outside, pdf_pages, require
from tests.test_board_pack import dashboard_facts, long_project

LONG_PARAGRAPH = " ".join(
    f"Sentence {n} of the longest paragraph explains, at some length, why the migration took a quarter more than planned."
    for n in range(40))
SUMMARY = f"""# Where we stand

The quarter went as planned in most areas. Two exceptions are worth a word: the network and the data platform.

**What went wrong**

- The network refresh slipped by six weeks, because the vendor's hardware arrived late.
    - Two branches run on the old routers until August.
    - The cut-over plan was reviewed twice.
- Cloud cost rose: old and new data platforms are running in parallel until the end of October.

## What went well

1. Service desk automation went live in every region.
2. Phishing clicks fell to a new low

{LONG_PARAGRAPH}

""" + "\n\n".join(f"Paragraph {n}: the quarter went as planned in most areas, and the long names of this scorecard "
                  "must wrap rather than run off the slide. " * 2 for n in range(10)) + "\n"

INITIATIVE = """---
id: {id}
title: {title}
objectives: [{objective}]
start: 2025-04-01
due: 2026-12-31
budget: {budget}
---
"""
EVENTS = """events:
  - {id: network-cutover, title: Network cut-over weekend, date: 2026-05-09, kpis: [f1]}
  - {id: migration, title: Data platform migration, start: 2026-04-01, end: 2026-06-30, objectives: [C2]}
  - {id: reorganisation, title: IT reorganisation, date: 2026-06-01}
  - {id: earlier, title: An event of an earlier quarter, date: 2025-11-01}
"""


def deck_project(root: Path) -> Path:
    """The long scorecard, with initiatives, events and a summary that needs several slides."""
    root = long_project(root)
    (root / "bscgen.yaml").write_text((root / "bscgen.yaml").read_text().replace("exports: [pdf, pptx]", "exports: [pptx]"))
    initiatives = root / "content" / "initiatives"
    initiatives.mkdir()
    spend = ["initiative,period,spend,progress"]
    for n, (title, objective) in enumerate((("Network refresh across every branch office and data centre", "F1"),
                                            ("Service desk automation", "C1"), ("Data platform", "I2")), start=1):
        (initiatives / f"i{n}.md").write_text(INITIATIVE.format(id=f"I{n}", title=title, objective=objective,
                                                                budget=n * 250000))
        spend += [f"I{n},2026-0{m},{n * 9000 + m * 1000},{min(100, m * 8 * n)}" for m in range(1, 7)]
    (root / "data" / "initiatives.csv").write_text("\n".join(spend) + "\n")
    (root / "data" / "events.yaml").write_text(EVENTS)
    (root / "content" / "commentary" / "2026-Q2" / "index.md").write_text(SUMMARY)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return deck_project(tmp_path_factory.mktemp("deck") / "project")


@pytest.fixture(scope="module")
def deck_bytes(project) -> bytes:
    return site.board_pack(project)["briefing.pptx"]


@pytest.fixture(scope="module")
def deck(deck_bytes, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deck-file") / "briefing.pptx"
    path.write_bytes(deck_bytes)
    return path


@pytest.fixture(scope="module")
def german(project) -> Presentation:
    return Presentation(_saved(site.board_pack(project, language="de")["briefing.pptx"], project.parent / "de.pptx"))


def _saved(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def convert(pptx: Path, folder: Path) -> list[Page]:
    """The deck as LibreOffice Impress lays it out: converted to PDF, each slide a page."""
    soffice = require("soffice", "libreoffice-impress")
    profile = folder / "lo-profile"  # a private profile: parallel runs do not share one
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(pptx)], check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(folder)})
    return pdf_pages(folder / (pptx.stem + ".pdf"))


def titles(presentation) -> list[str]:
    return [slide.shapes.title.text for slide in presentation.slides]


def texts(slide) -> list[str]:
    """Every text of a slide: its shapes' and its tables' cells."""
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return found


def objectives_and_links(data: dict) -> tuple[list[str], set[tuple[str, str]]]:
    objectives = [o for p in data["perspectives"] for o in p["objectives"]]
    return [o["id"] for o in objectives], {(o["id"], target) for o in objectives for target in o["supports"]}


def scorecard_data(project: Path) -> dict:
    from bscgen.copies import scorecard_json
    from bscgen.tree import load_tree

    tree, _ = load_tree(project)
    return json.loads(scorecard_json(tree.scorecard.config, tree.history[-1], None))


# --- read with python-pptx ---------------------------------------------------------------


def test_the_dashboard_is_the_second_slide_and_shows_the_quarter_at_a_glance(example_site):
    presentation = Presentation(example_site / "briefing.pptx")
    facts = dashboard_facts(example_site / "scorecard.json")
    data = facts["data"]
    assert titles(presentation)[:3] == ["IT Balanced Scorecard", "Overview", "Strategy map"]
    dashboard = presentation.slides[1]
    text = " ".join(" ".join(texts(dashboard)).split())
    assert f"Overall score {format_score(data['score'])} ▼ -3.6 ▲ At risk" in text
    for perspective in data["perspectives"]:
        assert f"{perspective['title']} {format_score(perspective['score'])}" in text
    boxes = [s for s in dashboard.shapes if s.name.startswith("Objective ")]
    assert sorted(s.name.split()[1] for s in boxes) == sorted(facts["objectives"])  # the strategy map, small
    assert "Largest movements" in text and facts["largest_move"] in text
    assert "Needs attention" in text and all(name in text for name in facts["attention"])


@pytest.mark.parametrize("which", ["example", "long"])
def test_the_strategy_map_is_native_boxes_and_connectors(which, example_site, deck, project):
    path = example_site / "briefing.pptx" if which == "example" else deck
    data = json.loads((example_site / "scorecard.json").read_text()) if which == "example" else scorecard_data(project)
    objectives, links = objectives_and_links(data)
    slide = Presentation(path).slides[2]
    assert slide.shapes.title.text == "Strategy map"
    boxes = {s.shape_id: s for s in slide.shapes if s.name.startswith("Objective ")}
    assert sorted(s.name.split()[1] for s in boxes.values()) == sorted(objectives)  # one shape per objective
    status_of = {o["id"]: o["status"] for p in data["perspectives"] for o in p["objectives"]}
    for shape in boxes.values():
        assert shape.auto_shape_type == MSO_SHAPE.ROUNDED_RECTANGLE
        status = status_of[shape.name.split()[1]]
        assert str(shape.line.color.rgb) == STATUS_COLOURS[status].lstrip("#")
        assert STATUS_LABELS[status] in shape.text_frame.text  # the status in words as well
    connectors = [s for s in slide.shapes if isinstance(s, Connector)]
    attached = set()
    for line in connectors:
        xml = line._element.xml
        start, end = (int(re.search(rf'<a:{tag} id="(\d+)"', xml).group(1)) for tag in ("stCxn", "endCxn"))
        assert line.begin_x != line.end_x or line.begin_y != line.end_y
        assert '<a:tailEnd type="triangle"' in xml  # an arrowhead at the supported objective
        attached.add((boxes[start].name.split()[1], boxes[end].name.split()[1]))  # from the supporting objective
    assert len(connectors) == len(links) and attached == links  # one connector per supports link, glued to both


def test_status_cells_are_coloured_in_a_neutral_table_style(deck):
    presentation = Presentation(deck)
    words = {label: status for status, label in STATUS_LABELS.items()}
    coloured = 0
    for slide in presentation.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            assert shape.table._tbl.tblPr.find(qn("a:tableStyleId")).text == PLAIN_TABLE  # not PowerPoint's blue
            header = shape.table.rows[0].cells
            assert all(run.font.bold for cell in header for p in cell.text_frame.paragraphs for run in p.runs)
            assert all(str(cell.fill.fore_color.rgb) == "F2F2F2" for cell in header)
            for row in list(shape.table.rows)[1:]:
                for cell in row.cells:
                    word = cell.text.split(" ", 1)[-1]
                    if word in words:
                        assert str(cell.fill.fore_color.rgb) == STATUS_COLOURS[words[word]].lstrip("#")
                        coloured += 1
    assert coloured > 40


def test_every_slide_but_the_title_has_its_number_and_notes_with_the_data_date(deck):
    presentation = Presentation(deck)
    slides = list(presentation.slides)
    for number, slide in enumerate(slides, start=1):
        numbers = [s.text_frame.text for s in slide.shapes if s.name == "Slide number"]
        assert numbers == ([] if number == 1 else [f"{number} / {len(slides)}"])
        assert slide.notes_slide.notes_text_frame.text == "Data as of Q2 2026, the quarter ending Jun 30, 2026."


def test_titles_fit_one_line_with_the_quarter_under_them(deck):
    presentation = Presentation(deck)
    for slide in list(presentation.slides)[1:]:
        title = slide.shapes.title
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        assert text_width(title.text, size) <= title.width / 12700 - 10, title.text
        subtitle = next(s for s in slide.shapes if s.name == "Subtitle").text_frame.text
        assert subtitle.startswith("Q2 2026"), subtitle
    assert "Q2 2026, continued" in [next(s for s in slide.shapes if s.name == "Subtitle").text_frame.text
                                    for slide in presentation.slides]


def summary_slides(presentation) -> list:
    return [slide for slide in presentation.slides if slide.shapes.title.text == "Executive summary"]


def test_the_summary_has_subheadings_and_bullets_and_continues_at_block_boundaries(deck):
    slides = summary_slides(Presentation(deck))
    assert len(slides) >= 3
    paragraphs = [p for slide in slides for s in slide.shapes if s.name == "Executive summary" for p in s.text_frame.paragraphs]
    by_text = {p.text: p for p in paragraphs}
    for heading in ("Where we stand", "What went wrong", "What went well"):  # "#", "**...**" alone, "##"
        runs = by_text[heading].runs
        assert all(r.font.bold for r in runs) and runs[0].font.size.pt > 16
        assert by_text[heading]._p.pPr.find(qn("a:buNone")) is not None  # not a bullet
    bullet = by_text["The network refresh slipped by six weeks, because the vendor's hardware arrived late."]
    assert bullet._p.pPr.find(qn("a:buChar")).get("char") == "•"
    nested = by_text["Two branches run on the old routers until August."]
    assert int(nested._p.pPr.get("marL")) > int(bullet._p.pPr.get("marL"))
    assert "1.\tService desk automation went live in every region." in by_text
    # each block whole on one slide: the longest paragraph alone, in smaller type
    assert by_text[LONG_PARAGRAPH].runs[0].font.size.pt < 16
    blocks = [" ".join(b.text.split()) for b in summary_blocks(SUMMARY)]
    assert [" ".join(p.text.split("\t")[-1].split()) for p in paragraphs] == blocks


def test_the_portfolio_and_the_quarters_events(deck):
    presentation = Presentation(deck)
    found = {slide.shapes.title.text: slide for slide in presentation.slides}
    table = next(s for s in found["Initiatives"].shapes if s.has_table).table
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Initiative", "Budget", "AC", "EV", "CPI", "SPI", "Health"]
    assert rows[1][:2] == ["I1 Network refresh across every branch office and data centre", "250,000"]
    assert rows[-1][:2] == ["Total", "1,500,000"]
    events = next(s for s in found["Events"].shapes if s.has_table).table
    rows = [[cell.text for cell in row.cells] for row in events.rows]
    assert [r[0] for r in rows[1:]] == ["Data platform migration", "Network cut-over weekend", "IT reorganisation"]
    assert rows[1][1] == "Apr 1, 2026 – Jun 30, 2026" and rows[3][2] == "Scorecard-wide"
    assert rows[1][2].startswith("C2 Improve the reliability")


def test_a_german_deck_has_no_english_phrase(german):
    shown = " ".join(t for slide in german.slides for t in texts(slide) + [slide.notes_slide.notes_text_frame.text])
    for phrase in ("Overview", "Strategy map", "Executive summary", "Perspectives", "Needs attention", "Largest movements",
                   "Overall score", "Initiatives", "Events", "Health", "Total", "continued", "Data as of",
                   "Scorecard-wide", "On track", "At risk", "Off track", "more rows", "is on slide", "Briefing"):
        assert phrase not in shown, phrase
    assert "Übersicht" in titles(german) and "Q2 2026" in shown and "30.06.2026" in shown


def test_the_deck_is_the_same_bytes_each_time(project, deck_bytes):
    assert site.board_pack(project)["briefing.pptx"] == deck_bytes


# --- as LibreOffice Impress shows it ------------------------------------------------------


@pytest.mark.parametrize("which", ["example", "long"])
def test_no_word_outside_its_slide_and_no_slide_ends_inside_a_sentence(which, example_site, deck, tmp_path):
    path = example_site / "briefing.pptx" if which == "example" else deck
    presentation = Presentation(path)
    pages = convert(path, tmp_path)
    assert len(pages) == len(presentation.slides)
    for page in pages:
        assert not outside(page, 0, 0, page.width, page.height), (page.number, outside(page, 0, 0, page.width, page.height)[:5])
    summary = summary_slides(presentation)
    ends = set()
    for slide in summary:
        for shape in slide.shapes:
            if shape.name == "Executive summary":
                ends |= {p.text.split()[-1] for p in shape.text_frame.paragraphs if p.text.strip()}
    numbers = [n for n, slide in enumerate(presentation.slides) if slide in summary]
    for number in numbers[:-1]:
        page = pages[number]
        body = [line for line in page.lines if not re.fullmatch(r"\d+ / \d+", " ".join(w.text for w in line))]
        last = body[-1][-1].text
        assert last[-1] in ".!?:" or last in ends, (page.number, last)  # the end of a sentence, or of a block
