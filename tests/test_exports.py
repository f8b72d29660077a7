"""The board pack (SPEC 14): briefing.pdf and briefing.pptx in every quarter copy."""

import io
import json
from pathlib import Path

import pypdf
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from bscgen import config as settings, site
from bscgen.slides import Para, height_of
from tests.helpers import cli, cli_build, copy_fixture

SUMMARY = "# Where we stand\n\n" + "\n\n".join(
    f"Paragraph {n}: " + "the quarter went as planned in most areas, with a few exceptions worth a word. " * 3
    for n in range(12)) + "\n\n- one bullet\n- another bullet\n"


def make(tmp_path: Path, config: str = "exports: [pdf, pptx]\n", name: str = "p") -> Path:
    project = copy_fixture("small", tmp_path / name)
    with (project / "bscgen.yaml").open("a") as yaml:
        yaml.write(config)
    summary = project / "content" / "commentary" / "2026-Q1" / "index.md"
    summary.parent.mkdir(parents=True)
    summary.write_text(SUMMARY)
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = make(tmp_path_factory.mktemp("exports"))
    site.build(project, project / "site", use_cache=False)
    return project / "site"


def test_every_quarter_copy_has_both_files_and_pages_link_them(built):
    for copy in (built, built / "2025-Q4", built / "2026-Q1"):
        assert (copy / "briefing.pdf").is_file() and (copy / "briefing.pptx").is_file()
    home = (built / "index.html").read_text()
    assert 'href="briefing.pdf" download' in home and 'href="briefing.pptx" download' in home
    assert 'href="../briefing.pdf" download' in (built / "briefing" / "index.html").read_text()


def test_the_pdf_is_the_printed_briefing_book(built):
    reader = pypdf.PdfReader(built / "briefing.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3  # the cover, then each perspective on a new page
    for words in ("Financial", "Customer", "2026 Q1", "Where we stand"):
        assert words in text
    assert reader.metadata.title == "Small Scorecard: briefing book, 2026 Q1"
    assert reader.metadata.author == "Test IT" and reader.metadata.subject == "2026 Q1"
    assert all(not page.images for page in reader.pages)  # charts are vectors, not pictures
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_letter_paper(tmp_path):
    project = make(tmp_path, "exports: [pdf]\npaper: letter\n")
    site.build(project, project / "site", use_cache=False, latest_only=True)
    page = pypdf.PdfReader(project / "site" / "briefing.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert not (project / "site" / "briefing.pptx").exists()


def test_the_deck_has_a_native_chart_per_perspective_with_the_scores(built):
    presentation = Presentation(built / "briefing.pptx")
    data = json.loads((built / "scorecard.json").read_text())
    assert presentation.slide_width * 9 == presentation.slide_height * 16  # 16:9
    titles = [slide.shapes.title.text for slide in presentation.slides]
    assert titles[:3] == ["Small Scorecard", "Overview", "Strategy map"] and "Perspectives" in titles
    for perspective in data["perspectives"]:
        slide = next(s for s in presentation.slides if s.shapes.title.text == perspective["title"])
        chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
        assert list(chart.plots[0].categories) == [o["id"] for o in perspective["objectives"]]
        assert list(chart.plots[0].series[0].values) == pytest.approx([o["score"] for o in perspective["objectives"]])
        labels = [point.data_label.text_frame.text for point in chart.plots[0].series[0].points]
        assert all(label.split(" ", 1)[1] in ("On track", "At risk", "Off track", "No data") for label in labels)
    assert "Needs attention" in titles
    assert all(slide.has_notes_slide and "Data as of Q1 2026" in slide.notes_slide.notes_text_frame.text
               for slide in presentation.slides)


def test_a_long_summary_continues_on_more_slides_and_never_overflows(built):
    presentation = Presentation(built / "briefing.pptx")
    summary = [s for s in presentation.slides if s.shapes.title.text == "Executive summary"]
    subtitles = [next(shape for shape in s.shapes if shape.name == "Subtitle").text_frame.text for s in summary]
    assert len(summary) >= 2 and subtitles[0] == "Q1 2026" and subtitles[1] == "Q1 2026, continued"
    paragraphs = []
    for slide in summary:
        shape = next(shape for shape in slide.shapes if shape.name == "Executive summary")
        paras = [Para.of(p.text, p.runs[0].font.size.pt, space_before=p.space_before.pt if p.space_before else 0,
                         bullet="•" if p._p.pPr.find(qn("a:buChar")) is not None else None) for p in shape.text_frame.paragraphs]
        assert height_of(paras, shape.width / 12700) <= shape.height / 12700  # as measured, it fits its box
        paragraphs += shape.text_frame.paragraphs
    text = {p.text: p for p in paragraphs}
    assert "Where we stand" in text and text["another bullet"]._p.pPr.find(qn("a:buChar")) is not None


def test_exports_are_deterministic_and_made_only_when_changed(tmp_path, built):
    project = make(tmp_path)
    site.build(project, project / "site", use_cache=False)
    for name in ("briefing.pdf", "briefing.pptx", "2025-Q4/briefing.pdf"):
        assert (project / "site" / name).read_bytes() == (built / name).read_bytes(), name
    site.build(project, project / "site")
    pdf = project / "site" / "briefing.pdf"
    inode = pdf.stat().st_ino
    report = site.build(project, project / "site")  # no-op: nothing made again
    assert report.pages_rendered == 0 and pdf.stat().st_ino == inode


def test_a_frozen_quarter_keeps_its_board_pack(tmp_path):
    project = make(tmp_path)
    assert cli("archive", "-s", project, "2025-Q4").exit_code == 0
    frozen = (project / "archive" / "2025-Q4" / "briefing.pptx").read_bytes()
    (project / "bscgen.yaml").write_text((project / "bscgen.yaml").read_text().replace("Small Scorecard", "Renamed"))
    site.build(project, project / "site")
    assert (project / "site" / "2025-Q4" / "briefing.pptx").read_bytes() == frozen
    assert b"Renamed" not in (project / "site" / "2025-Q4" / "briefing.pdf").read_bytes()


def test_a_pptx_template_gives_the_deck_its_master(tmp_path):
    template = Presentation()
    template.slide_width, template.slide_height = 12192000, 6858000
    template.slide_master.name = "Example Corp master"
    buffer = io.BytesIO()
    template.save(buffer)
    project = make(tmp_path, "exports: [pptx]\npptx_template: corporate.pptx\n")
    (project / "corporate.pptx").write_bytes(buffer.getvalue())
    site.build(project, project / "site", use_cache=False, latest_only=True)
    assert Presentation(project / "site" / "briefing.pptx").slide_master.name == "Example Corp master"


@pytest.mark.parametrize("export, extra", [("pdf", 'pip install "bscgen[pdf]"'), ("pptx", 'pip install "bscgen[pptx]"')])
def test_a_missing_extra_is_named(tmp_path, monkeypatch, export, extra):
    project = make(tmp_path, f"exports: [{export}]\n")
    module = settings.EXPORTS[export][0]
    real = settings.importlib.util.find_spec
    monkeypatch.setattr(settings.importlib.util, "find_spec", lambda name: None if name == module else real(name))
    result = cli_build(project)
    assert result.exit_code == 1
    assert f"bscgen.yaml:6: error: the {export} export needs the {export} extra" in result.output and extra in result.output
    assert not (project / "site").exists()


def test_unknown_export_and_missing_template(tmp_path):
    project = make(tmp_path, "exports: [pdf, docx]\npptx_template: nowhere.pptx\n")
    result = cli("check", "-s", project)
    assert result.exit_code == 1
    assert 'bscgen.yaml:6: error: "exports" takes pdf and pptx, not "docx"' in result.output
    assert 'bscgen.yaml:7: error: the PowerPoint template "nowhere.pptx" does not exist' in result.output
