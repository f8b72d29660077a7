"""The briefing book as an editable PowerPoint deck (16:9), with python-pptx.

Slides: the title (scorecard, quarter, overall score, status, trend), the
perspectives, one per perspective with its objectives and a native bar chart
of their scores (coloured by status, labelled with status words), the KPIs
that need attention, and the executive summary cut onto as many slides as it
needs so no text overflows. Speaker notes name the data date. With
`pptx_template`, the template's master and layouts are used.
"""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from datetime import datetime
from typing import Any

from babel import Locale
from markupsafe import Markup

from bscgen.formatting import STATUS_LABELS, format_score, format_trend, format_value, STATUS_COLOURS
from bscgen.language import language_of
from bscgen.markup import render_markdown
from bscgen.model import Config, Status
from bscgen.spreadsheets import safe_text

ROWS_PER_SLIDE = 10  # table rows that fit under a title at 14 pt
LINES_PER_SLIDE = 14  # summary lines that fit at 16 pt
CHARS_PER_LINE = 100  # at 16 pt across a 12 in text box
LAYOUT_TITLE, LAYOUT_CONTENT, LAYOUT_TITLE_ONLY = 0, 1, 5  # the default template's layouts


def briefing_deck(config: Config, result: Any, summary: str | None, template: bytes | None) -> bytes:
    from pptx import Presentation
    from pptx.util import Emu

    locale = language_of(config).locale
    deck = Presentation(io.BytesIO(template)) if template else Presentation()
    if template is None:
        deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9, 13.33 x 7.5 in
    notes = f"Data as of {result.quarter.title}, the quarter ending {config.calendar.last_day(result.quarter)}."
    _title_slide(deck, config, result, notes, locale)
    _table_slides(deck, f"Perspectives, {result.quarter.title}", ("Perspective", "Score", "Status", "Trend"), [
        (p.perspective.title, format_score(p.score, locale), _status(p.status), format_trend(p.score, p.previous_score, locale))
        for p in result.perspectives
    ], notes)
    for perspective in result.perspectives:
        _perspective_slides(deck, perspective, notes, locale)
    attention = sorted((k for p in result.perspectives for o in p.objectives for k in o.kpis
                        if k.status in (Status.RED, Status.NONE)), key=lambda k: (k.score is None, k.score or 0))
    _table_slides(deck, "Needs attention", ("KPI", "Actual", "Target", "Score", "Status"), [
        (k.kpi.name, format_value(k.actual, k.kpi, locale), format_value(k.target, k.kpi, locale), format_score(k.score, locale), _status(k.status))
        for k in attention
    ] or [("Every KPI has data and none is off track.", "", "", "", "")], notes)
    if summary:
        _text_slides(deck, f"Executive summary, {result.quarter.title}", summary_lines(summary), notes)
    when = datetime.combine(config.calendar.last_day(result.quarter), datetime.min.time())
    properties = deck.core_properties
    properties.title, properties.author = f"{config.title}: briefing, {result.quarter.title}", config.organization
    properties.subject, properties.created, properties.modified = result.quarter.title, when, when
    properties.last_modified_by, properties.revision = "bscgen", 1
    out = io.BytesIO()
    deck.save(out)
    return _fixed_zip(out.getvalue())


def _status(status: Status) -> str:
    return STATUS_LABELS[status]


def _rgb(status: Status):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(STATUS_COLOURS[status].lstrip("#"))


def _title_slide(deck, config: Config, result, notes: str, locale: Locale) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE])
    slide.shapes.title.text = f"{config.title}: briefing, {result.quarter.title}"
    subtitle = slide.placeholders[1]
    subtitle.text = (f"{config.organization} · overall score {format_score(result.score, locale)}, {_status(result.status)}, "
                     f"{format_trend(result.score, result.previous_score, locale)} on the previous quarter")
    slide.notes_slide.notes_text_frame.text = notes


def _titled(deck, title: str, notes: str):
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    slide.shapes.title.text = title
    slide.notes_slide.notes_text_frame.text = notes
    return slide


def _table_slides(deck, title: str, columns: tuple[str, ...], rows: list[tuple], notes: str, left: float = 0.6,
                  width: float = 12.1) -> list:
    """A table cut onto as many slides as it needs."""
    from pptx.util import Inches, Pt

    slides = []
    for start in range(0, max(len(rows), 1), ROWS_PER_SLIDE):
        part = rows[start:start + ROWS_PER_SLIDE]
        slide = _titled(deck, title if start == 0 else f"{title} (continued)", notes)
        shape = slide.shapes.add_table(len(part) + 1, len(columns), Inches(left), Inches(1.6), Inches(width),
                                       Inches(0.4 * (len(part) + 1)))
        for row, values in enumerate([columns, *part]):
            for column, value in enumerate(values):
                cell = shape.table.cell(row, column)
                cell.text = str(value)
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(14)
        slides.append(slide)
    return slides


def _perspective_slides(deck, perspective, notes: str, locale: Locale) -> None:
    """The objectives' table beside a native bar chart of their scores."""
    rows = [(f"{o.objective.id} {o.objective.title}", format_score(o.score, locale), _status(o.status),
             format_trend(o.score, o.previous_score, locale)) for o in perspective.objectives]
    title = f"{perspective.perspective.title}: {format_score(perspective.score, locale)}, {_status(perspective.status)}"
    slides = _table_slides(deck, title, ("Objective", "Score", "Status", "Trend"), rows, notes, left=6.9, width=5.9)
    for number, slide in enumerate(slides):
        objectives = perspective.objectives[number * ROWS_PER_SLIDE:(number + 1) * ROWS_PER_SLIDE]
        if objectives:
            _score_chart(slide, objectives, locale)


def _score_chart(slide, objectives, locale: Locale) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches, Pt

    data = CategoryChartData()  # embedded as a workbook: its texts must never be read as formulas
    data.categories = [safe_text(o.objective.id) for o in objectives]
    data.add_series("Score", [o.score for o in objectives])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.6), Inches(6.2), Inches(5.4), data)
    chart = frame.chart
    chart.has_legend = False
    chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = 0, max(100, *(o.score or 0 for o in objectives))
    chart.category_axis.reverse_order = True  # the first objective on top, as in the table
    plot = chart.plots[0]
    plot.has_data_labels = True
    for point, objective in zip(plot.series[0].points, objectives):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(objective.status)
        label = point.data_label.text_frame
        label.text = f"{format_score(objective.score, locale)} {_status(objective.status)}"
        label.paragraphs[0].runs[0].font.size = Pt(12)


def summary_lines(markdown: str) -> list[str]:
    """The executive summary as bullet lines: each block of the Markdown one bullet,
    headings kept as their own line, wrapped to the text box's width."""
    html = str(render_markdown(markdown))
    blocks = re.findall(r"<(h\d|p|li)[^>]*>(.*?)</\1>", html, re.S)
    lines = []
    for tag, inner in blocks:
        text = " ".join(Markup(inner).striptags().split())
        if not text:
            continue
        wrapped = textwrap.wrap(text, CHARS_PER_LINE - 2) or [""]
        prefix = "" if tag.startswith("h") else "• "
        lines.append(prefix + wrapped[0])
        lines.extend("  " + more for more in wrapped[1:])
    return lines


def _text_slides(deck, title: str, lines: list[str], notes: str) -> None:
    from pptx.util import Inches, Pt

    for start in range(0, len(lines), LINES_PER_SLIDE):
        slide = _titled(deck, title if start == 0 else f"{title} (continued)", notes)
        box = slide.shapes.add_textbox(Inches(0.6), Inches(1.5), Inches(12.1), Inches(5.6)).text_frame
        box.word_wrap = True
        for number, line in enumerate(lines[start:start + LINES_PER_SLIDE]):
            paragraph = box.paragraphs[0] if number == 0 else box.add_paragraph()
            paragraph.text = line
            paragraph.runs[0].font.size = Pt(16)


FIXED_DATE = b"1980-01-01T00:00:00Z"
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fixed_zip(data: bytes, inner: bool = False) -> bytes:
    """The same file with every zip entry dated 1980-01-01 and the dates inside
    fixed too (python-pptx embeds each chart's data as a workbook stamped with
    the time it was made): the same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                content = _fixed_zip(content, inner=True)
            elif inner and info.filename == "docProps/core.xml":  # the deck's own dates are the quarter's
                content = CORE_DATES.sub(rb"\g<1>" + FIXED_DATE + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
