"""The briefing book as an editable PowerPoint deck (16:9), with python-pptx (SPEC 14, 21).

Slides: the title (scorecard, quarter, overall score, status, trend); a
dashboard (overall score, the perspectives, a small strategy map, the largest
movements, the KPIs that need attention); the strategy map as native shapes,
boxes coloured by status and connectors for `supports`; the executive summary,
continued at paragraph and bullet boundaries; the perspectives; one slide per
perspective with its objectives and a native bar chart of their scores; the
KPIs that need attention; the portfolio of initiatives and the quarter's
events when there are any. Every title fits one line with the quarter in a
subtitle under it, every slide but the title has its number, and speaker notes
name the data date. Every text the deck writes itself is in the site's
language (its gettext translations) and numbers in its locale. With
`pptx_template`, the template's master, layouts and fonts are used.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from bscgen.compute import KpiResult, PerspectiveResult, QuarterResult
from bscgen.contexts import Dashboard
from bscgen.formatting import (
    STATUS_ICONS, STATUS_LABELS, STATUS_TEXT_COLOURS, STATUS_TINTS, format_day, format_index, format_money,
    format_number, format_quarter, format_score, format_trend, format_value,
)
from bscgen.language import Language
from bscgen.markup import render_markdown
from bscgen.model import Config, Event, Status
from bscgen.pages import Results, needing_attention
from bscgen.slides import (
    EMU_PER_POINT, INSET, MUTED, TEXT, Area, Cell, Column, Para, Run, Table, add_table, area_of, box, connector,
    fitted, fixed_zip, height_of, rgb, send_behind, shorten, status_colour, text_box, text_width, write,
)
from bscgen.spreadsheets import safe_text
from bscgen.strategy_map import StrategyMap

WIDTH, HEIGHT = 960.0, 540.0  # points: 13.33 x 7.5 in, 16:9
MARGIN = 36.0
TITLE_SIZE, SMALLEST_TITLE = 28.0, 16.0
SUBTITLE_SIZE = 15.0
BODY_SIZE, TABLE_SIZE = 16.0, 12.0
FOOT = 40.0  # kept free at the bottom: the slide number
MAP_SLIDE = 3  # the title, the dashboard, then the strategy map


def briefing_deck(config: Config, language: Language, dashboard: Dashboard, summary: str | None,
                  template: bytes | None) -> bytes:
    deck = _Deck(config, language, dashboard.result, template)
    deck.title_slide()
    deck.dashboard(dashboard)
    deck.strategy_map(dashboard.strategy_map)
    if summary:
        deck.summary(summary_blocks(summary))
    deck.perspectives()
    for perspective in dashboard.result.perspectives:
        deck.perspective(perspective)
    deck.attention(needing_attention(Results.of(dashboard.result)))
    if dashboard.result.portfolio and dashboard.result.portfolio.initiatives:
        deck.portfolio()
    events = dashboard.result.events_in(dashboard.result.quarter)
    if events:
        deck.events(events)
    return deck.save()


class _Deck:
    """The presentation being made, and how its slides are laid out."""

    def __init__(self, config: Config, language: Language, result: QuarterResult, template: bytes | None):
        self.config, self.language, self.result = config, language, result
        self.locale, self._ = language.locale, language.gettext
        self.template = template is not None
        self.deck = Presentation(io.BytesIO(template)) if template else Presentation()
        if template is None:
            self.deck.slide_width, self.deck.slide_height = Emu(12192000), Emu(6858000)  # 16:9, 13.33 x 7.5 in
        self.width, self.height = self.deck.slide_width / EMU_PER_POINT, self.deck.slide_height / EMU_PER_POINT
        self.title_layout, self.titled_layout = _layouts(self.deck)
        self.quarter = format_quarter(result.quarter, self.locale)
        day = format_day(config.calendar.last_day(result.quarter), self.locale)
        self.notes = self._("Data as of %(quarter)s, the quarter ending %(day)s.") % {"quarter": self.quarter, "day": day}

    # --- slides ------------------------------------------------------------------

    def title_slide(self) -> None:
        slide = self.deck.slides.add_slide(self.title_layout)
        title = slide.shapes.title
        if not self.template:
            _place(title, Area(60, 150, self.width - 120, 80))
        _fit_title(title, self.config.title, 40.0)
        result = self.result
        lines = [
            Para.of(self._("Briefing, %(quarter)s") % {"quarter": self.quarter}, 24, colour=TEXT),
            Para.of(self.config.organization, 18, colour=MUTED, space_before=6),
            Para((Run(f"{self._('Overall score')} {format_score(result.score, self.locale)} · "),
                  Run(self._status(result.status), bold=True, colour=_text_colour(result.status)),
                  Run(f" · {format_trend(result.score, result.previous_score, self.locale)}")), 18, space_before=6),
        ]
        subtitle = next((p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)
        if subtitle is None or not self.template:
            if subtitle is not None:
                subtitle._element.getparent().remove(subtitle._element)
            top = area_of(title).bottom + 12
            area = Area(area_of(title).x, top, area_of(title).w, min(150.0, self.height - top - FOOT))
            text_box(slide, area, fitted(lines, area), "Subtitle")
        else:
            subtitle.text_frame.clear()
            write(subtitle.text_frame, fitted(lines, area_of(subtitle)))
        self._notes(slide)

    def dashboard(self, dashboard: Dashboard) -> None:
        _ = self._
        slide, body = self._titled(_("Overview"), self.quarter)
        result = dashboard.result
        tiles, below = body.top(82), body.below(82, 14)
        count = len(result.perspectives)
        cells = tiles.columns(1.15, *([1.0] * count), gap=8)
        self._tile(slide, cells[0], _("Overall score"), result.score, result.previous_score, result.status, "Overall score")
        for cell, perspective in zip(cells[1:], result.perspectives):
            self._tile(slide, cell, perspective.perspective.title, perspective.score, perspective.previous_score,
                       perspective.status, f"Perspective {perspective.perspective.id}")
        movements = Table((Column(_("Objective or KPI"), grow=True), Column(_("Before"), align="right"),
                           Column(_("Now"), align="right"), Column(_("Change"), align="right")), tuple(
            (Cell(f"{m.item.id} {m.item.title}" if m.item.kind != "KPI" else m.item.title), Cell(format_score(m.before, self.locale)),
             Cell(format_score(m.after, self.locale)), Cell(format_trend(m.after, m.before, self.locale)))
            for m in dashboard.movements), size=10)
        attention = self._attention_table(dashboard.attention, size=10, with_objective=False)
        left, right = below.columns(1.1, 1.0, gap=18)
        drawn = _MapDrawing(self, dashboard.strategy_map, left.below(self._heading(None, left, "")), small=True)
        if drawn.fits():  # the map at the left, the two tables stacked at the right
            self._heading(slide, left, _("Strategy map"), "Strategy map heading")
            drawn.draw(slide)
            used = self._dashboard_table(slide, right, right.h / 2, _("Largest movements"), movements,
                                         _("No score moved since the quarter before."), 0)
            lower = right.below(used, 10)
        else:  # too many objectives to read at this size: the next slide has them, the tables side by side
            text = _("The strategy map is on slide %(number)s.") % {"number": format_number(MAP_SLIDE, 0, self.locale)}
            text_box(slide, below.top(22), [Para.of(text, 11, colour=MUTED)], "Strategy map reference")
            left, lower = below.below(22, 6).columns(1.0, 1.0, gap=18)
            self._dashboard_table(slide, left, left.h, _("Largest movements"), movements,
                                  _("No score moved since the quarter before."), 0)
        self._dashboard_table(slide, lower, lower.h, _("Needs attention"), attention,
                              _("Every KPI has data and none is off track."), dashboard.attention_total)

    def _dashboard_table(self, slide, area: Area, budget: float, title: str, table: Table, empty: str,
                         total: int) -> float:
        """A heading and as many of the table's rows as fit `budget` points (a line says how many
        more there are); the height used."""
        head = self._heading(slide, area, title, f"{title} heading")
        space = area.below(head)
        if not table.rows:
            text_box(slide, space.top(24), [Para.of(empty, 11, colour=MUTED)], f"{title} note")
            return head + 24
        note = 18 if total > len(table.rows) else 0
        shown = _fit_rows(table.laid_out(space.w), budget - head - note)
        add_table(slide, shown, space.x, space.y, title)
        used = head + shown.height()
        if total > len(shown.rows):  # the needs-attention slide lists them all
            rest = total - len(shown.rows)
            line = self.language.ngettext("and %(count)s more row", "and %(count)s more rows", rest) % {"count": rest}
            text_box(slide, space.below(shown.height(), 2).top(18), [Para.of(line, 10, colour=MUTED)], f"{title}: more")
            used += 20
        return used

    def strategy_map(self, strategy_map: StrategyMap) -> None:
        slide, body = self._titled(self._("Strategy map"), self.quarter)
        _MapDrawing(self, strategy_map, body, small=False).draw(slide)

    def summary(self, blocks: list[Para]) -> None:
        title = self._("Executive summary")
        slide, body = self._titled(title, self.quarter)
        for number, part in enumerate(summary_pages(blocks, body)):
            if number:
                slide, body = self._titled(title, self._continued())
            text_box(slide, body, part, "Executive summary")

    def perspectives(self) -> None:
        _ = self._
        table = Table((Column(_("Perspective"), grow=True), Column(_("Score"), align="right"), Column(_("Status")),
                       Column(_("Trend"), align="right")), tuple(
            (Cell(p.perspective.title), Cell(format_score(p.score, self.locale)), self._status_cell(p.status),
             Cell(format_trend(p.score, p.previous_score, self.locale))) for p in self.result.perspectives))
        self._table_slides(_("Perspectives"), table)

    def perspective(self, perspective: PerspectiveResult) -> None:
        """The objectives' table beside a native bar chart of their scores."""
        _ = self._
        scores = (f"{_('Score')} {format_score(perspective.score, self.locale)} · {self._status(perspective.status)} · "
                  f"{format_trend(perspective.score, perspective.previous_score, self.locale)}")
        table = Table((Column(_("Objective"), grow=True), Column(_("Score"), align="right"), Column(_("Status")),
                       Column(_("Trend"), align="right")), tuple(
            (Cell(f"{o.objective.id} {o.objective.title}"), Cell(format_score(o.score, self.locale)),
             self._status_cell(o.status), Cell(format_trend(o.score, o.previous_score, self.locale)))
            for o in perspective.objectives))
        title = perspective.perspective.title
        slide, body = self._titled(title, f"{self.quarter} · {scores}")
        chart_area, table_area = body.columns(1.0, 1.05, gap=18)
        objectives = list(perspective.objectives)
        for number, part in enumerate(table.laid_out(table_area.w).pages(table_area.h)):
            if number:
                slide = self._titled(title, f"{self._continued()} · {scores}")[0]
            add_table(slide, part, table_area.x, table_area.y, "Objectives")
            shown, objectives = objectives[:len(part.rows)], objectives[len(part.rows):]
            if shown:
                self._score_chart(slide, shown, chart_area)

    def attention(self, kpis: list[KpiResult]) -> None:
        table = self._attention_table(kpis)
        if not table.rows:
            slide, body = self._titled(self._("Needs attention"), self.quarter)
            text_box(slide, body.top(30), [Para.of(self._("Every KPI has data and none is off track."), BODY_SIZE)], "Note")
            return
        self._table_slides(self._("Needs attention"), table)

    def portfolio(self) -> None:
        _, portfolio = self._, self.result.portfolio
        money = lambda amount: "–" if amount is None else format_money(amount, self.language.currency, self.locale)  # noqa: E731
        index = lambda value: format_index(value, self.locale)  # noqa: E731
        totals = portfolio.totals
        table = Table((Column(_("Initiative"), grow=True), Column(_("Budget"), align="right"), Column(_("AC"), align="right"),
                       Column(_("EV"), align="right"), Column(_("CPI"), align="right"), Column(_("SPI"), align="right"),
                       Column(_("Health"))), tuple(
            (Cell(f"{r.initiative.id} {r.initiative.title}"), Cell(money(r.figures.budget)), Cell(money(r.figures.actual_cost)),
             Cell(money(r.figures.earned_value)), Cell(index(r.figures.cpi)), Cell(index(r.figures.spi)),
             self._status_cell(r.health)) for r in portfolio.initiatives),
            totals=((Cell(_("Total")), Cell(money(totals.budget)), Cell(money(totals.actual_cost)),
                     Cell(money(totals.earned_value)), Cell(index(totals.cpi)), Cell(index(totals.spi)), Cell("")),))
        self._table_slides(_("Initiatives"), table)

    def events(self, events: list[Event]) -> None:
        _ = self._
        table = Table((Column(_("Event"), grow=True), Column(_("Date")), Column(_("Scope"), grow=True)), tuple(
            (Cell(e.title), Cell(self._when(e)), Cell(self._scope(e))) for e in events))
        self._table_slides(_("Events"), table)

    def save(self) -> bytes:
        slides = list(self.deck.slides)
        total = format_number(len(slides), 0, self.locale)
        for number, slide in enumerate(slides[1:], start=2):  # not on the title slide
            area = Area(self.width - MARGIN - 90, self.height - 30, 90, 20)
            text_box(slide, area, [Para.of(f"{format_number(number, 0, self.locale)} / {total}", 10, colour=MUTED,
                                           align="right")], "Slide number", inset=2)
        if self.language.direction == "rtl":
            for slide in slides:
                _right_to_left(slide)
        when = datetime.combine(self.config.calendar.last_day(self.result.quarter), datetime.min.time())
        properties = self.deck.core_properties
        properties.title = f"{self.config.title}: {self._('Briefing, %(quarter)s') % {'quarter': self.quarter}}"
        properties.author, properties.subject, properties.language = self.config.organization, self.quarter, self.language.tag
        properties.created, properties.modified = when, when
        properties.last_modified_by, properties.revision = "bscgen", 1
        out = io.BytesIO()
        self.deck.save(out)
        return fixed_zip(out.getvalue())

    # --- parts -------------------------------------------------------------------

    def _status(self, status: Status) -> str:
        return self._(STATUS_LABELS[status])

    def _status_cell(self, status: Status) -> Cell:
        return Cell(self._status(status), status=status)

    def _continued(self) -> str:
        return self._("%(quarter)s, continued") % {"quarter": self.quarter}

    def _notes(self, slide) -> None:
        slide.notes_slide.notes_text_frame.text = self.notes

    def _titled(self, title: str, subtitle: str):
        """A new slide with a one-line title and the subtitle under it; the body's area."""
        slide = self.deck.slides.add_slide(self.titled_layout)
        shape = slide.shapes.title
        if not self.template:
            _place(shape, Area(MARGIN, 18, self.width - 2 * MARGIN, 46))
        _fit_title(shape, title, TITLE_SIZE, left=not self.template)  # over the subtitle; a template's aligns as it likes
        where = area_of(shape)
        line = Area(where.x, where.bottom, where.w, SUBTITLE_SIZE * 1.2 + 2 * INSET)
        text_box(slide, line, [Para.of(shorten(subtitle, line.w - 2 * INSET, SUBTITLE_SIZE), SUBTITLE_SIZE, colour=MUTED)],
                 "Subtitle")
        self._notes(slide)
        top = line.bottom + 8
        return slide, Area(where.x, top, where.w, self.height - FOOT - top)

    def _table_slides(self, title: str, table: Table) -> None:
        slide, body = self._titled(title, self.quarter)
        for number, part in enumerate(table.laid_out(body.w).pages(body.h)):
            if number:
                slide, body = self._titled(title, self._continued())
            add_table(slide, part, body.x, body.y, title)

    def _heading(self, slide, area: Area, text: str, name: str = "") -> float:
        """A small heading at the top of `area` (none without a slide); its height."""
        para = Para.of(shorten(text, area.w - 2 * INSET, 13, bold=True), 13, bold=True)
        height = height_of([para], area.w)
        if slide is not None:
            text_box(slide, area.top(height), [para], name)
        return height

    def _tile(self, slide, area: Area, title: str, score, previous, status: Status, name: str) -> None:
        """A perspective's (or the scorecard's) score: its title, score and trend, the status in words."""
        width = area.w - 6
        lines = [
            Para.of(shorten(title, width - 2 * INSET, 11, bold=True, most=2), 11, bold=True),
            Para((Run(format_score(score, self.locale), bold=True), Run("  " + format_trend(score, previous, self.locale))), 20),
            Para((Run(f"{STATUS_ICONS[status]} {self._status(status)}", bold=True, colour=_text_colour(status)),), 11),
        ]
        lines[1] = replace(lines[1], runs=(lines[1].runs[0], replace(lines[1].runs[1], colour=MUTED)))
        box(slide, area, fitted(lines, Area(0, 0, width, area.h)), name, fill=STATUS_TINTS[status],
            line=status_colour(status), anchor="middle", line_width=1.5)

    def _attention_table(self, kpis, size: float = TABLE_SIZE, with_objective: bool = True) -> Table:
        _ = self._
        columns = (Column(_("KPI"), grow=True), *((Column(_("Objective")),) if with_objective else ()),
                   Column(_("Actual"), align="right"), Column(_("Target"), align="right"),
                   Column(_("Score"), align="right"), Column(_("Status")))
        return Table(columns, tuple(
            (Cell(k.kpi.name), *((Cell(k.kpi.objective),) if with_objective else ()),
             Cell(format_value(k.actual, k.kpi, self.locale)), Cell(format_value(k.target, k.kpi, self.locale)),
             Cell(format_score(k.score, self.locale)), self._status_cell(k.status)) for k in kpis), size=size)

    def _score_chart(self, slide, objectives, area: Area) -> None:
        data = CategoryChartData()  # embedded as a workbook: its texts must never be read as formulas
        data.categories = [safe_text(o.objective.id) for o in objectives]
        data.add_series(safe_text(self._("Score")), [o.score for o in objectives])
        height = min(area.h, 60 + 40 * len(objectives))
        frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *Area(area.x, area.y, area.w, height).emu(), data)
        chart = frame.chart
        chart.has_legend, chart.has_title = False, False
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = 0, max(100, *(o.score or 0 for o in objectives))
        chart.value_axis.tick_labels.font.size = chart.category_axis.tick_labels.font.size = Pt(11)
        chart.category_axis.reverse_order = True  # the first objective on top, as in the table
        plot = chart.plots[0]
        plot.has_data_labels = True
        for point, objective in zip(plot.series[0].points, objectives):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(status_colour(objective.status))
            label = point.data_label.text_frame
            label.text = f"{format_score(objective.score, self.locale)} {self._status(objective.status)}"
            run = label.paragraphs[0].runs[0]
            run.font.size, run.font.color.rgb = Pt(10), rgb("000000")  # black reads on every status colour
            label._txBody.bodyPr.set("wrap", "none")  # "66.2 At risk" on one line
            point.data_label.position = XL_LABEL_POSITION.INSIDE_BASE  # inside the plot, never past its edge

    def _when(self, event: Event) -> str:
        start = format_day(event.start, self.locale)
        return start if event.end is None else f"{start} – {format_day(event.end, self.locale)}"

    def _scope(self, event: Event) -> str:
        if event.scorecard_wide:
            return self._("Scorecard-wide")
        perspectives = {p.perspective.id: p for p in self.result.perspectives}
        objectives = {o.objective.id: o for p in self.result.perspectives for o in p.objectives}
        kpis = {k.kpi.id: k for o in objectives.values() for k in o.kpis}
        names = [perspectives[i].perspective.title for i in event.perspectives if i in perspectives]
        names += [f"{i} {objectives[i].objective.title}" for i in event.objectives if i in objectives]
        names += [kpis[i].kpi.name for i in event.kpis if i in kpis]
        return ", ".join(names)


def _right_to_left(slide) -> None:
    """Arabic: every paragraph right to left, starting at the right. Tables keep their columns'
    order (and their widths: Impress mirrors a table of right-to-left cells, but not its widths)."""
    in_tables = {p for cell in slide.shapes._spTree.iter(qn("a:tc")) for p in cell.iter(qn("a:p"))}
    for paragraph in slide.shapes._spTree.iter(qn("a:p")):
        if paragraph in in_tables:
            continue
        pPr = paragraph.find(qn("a:pPr"))
        if pPr is None:
            pPr = paragraph.makeelement(qn("a:pPr"), {})
            paragraph.insert(0, pPr)
        pPr.set("rtl", "1")
        if pPr.get("algn", "l") == "l":
            pPr.set("algn", "r")


def _text_colour(status: Status) -> str:
    return STATUS_TEXT_COLOURS[status].lstrip("#")


def _layouts(deck):
    """The title slide's layout and the layout of every other slide (a title and nothing
    else), found by their placeholders so a company template's order does not matter."""
    def kinds(layout) -> set:
        return {p.placeholder_format.type for p in layout.placeholders} - {
            PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}

    layouts = list(deck.slide_layouts)
    title = next((l for l in layouts if {PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE} <= kinds(l)), layouts[0])
    only = next((l for l in layouts if kinds(l) == {PP_PLACEHOLDER.TITLE}), None)
    return title, only or next((l for l in layouts if PP_PLACEHOLDER.TITLE in kinds(l)), layouts[-1])


def _place(shape, area: Area) -> None:
    shape.left, shape.top, shape.width, shape.height = area.emu()


def _fit_title(shape, text: str, largest: float, left: bool = False) -> None:
    """The title on one line of its placeholder: smaller type if it would wrap, cut with "…" below 16 pt."""
    width = area_of(shape).w - 2 * INSET
    size = largest
    while size > SMALLEST_TITLE and text_width(text, size) > width:
        size -= 1
    shown = shorten(text, width, size)
    frame = shape.text_frame
    frame.text = shown
    frame.word_wrap = True
    for side in ("left", "right"):
        setattr(frame, f"margin_{side}", Pt(INSET))
    frame.paragraphs[0].runs[0].font.size = Pt(size)
    if left:
        frame.paragraphs[0].alignment = PP_ALIGN.LEFT


def _fit_rows(table: Table, height: float) -> Table:
    """As many of the table's first rows as fit `height` points (at least one), in smaller type if need be."""
    for size in (table.size, table.size - 1, table.size - 2):
        sized = replace(table, size=size).laid_out(sum(table.widths))
        if sized.height() <= height:
            return sized
    rows = sized.rows
    while len(rows) > 1 and replace(sized, rows=rows).height() > height:
        rows = rows[:-1]
    return replace(sized, rows=rows)


# --- the strategy map as native shapes ------------------------------------------------


class _MapDrawing:
    """The strategy map in an area: a row per perspective (its title at the left), a
    rounded box per objective coloured by status, a connector per `supports` link."""

    GAP = 8.0

    def __init__(self, deck: _Deck, strategy_map: StrategyMap, area: Area, small: bool):
        self.deck, self.map, self.area, self.small = deck, strategy_map, area, small
        self.label_w = 70.0 if small else 118.0
        self.size = 8.0 if small else 10.0
        boxes = {b.id: b for b in strategy_map.boxes}
        self.bands = [(band, [boxes[o.objective.id] for o in p.objectives if o.objective.id in boxes])
                      for band, p in zip(strategy_map.bands, deck.result.perspectives)]
        free = area.w - self.label_w - self.GAP
        self.smallest_box = 58.0 if small else 70.0
        self.per_row = max(1, int((free + self.GAP) // (self.smallest_box + self.GAP)))
        rows = [max(1, math.ceil(len(objectives) / self.per_row)) for _, objectives in self.bands]
        # room above and below each perspective's boxes, where the connectors between them run
        self.pad = 9.0 if small else 15.0
        self.row_h = (area.h - self.GAP * (sum(rows) - len(rows)) - 2 * self.pad * len(rows)) / max(1, sum(rows))
        self.rows = rows

    def fits(self) -> bool:
        """Each perspective in one row of boxes tall enough for an id and a status."""
        return all(r == 1 for r in self.rows) and self.row_h >= 3 * self.size * 1.2 + 8

    def draw(self, slide) -> None:
        """The bands first, then the boxes, the connectors slipped in between (behind the boxes)."""
        area, y, places = self.area, self.area.y, []
        for number, ((band, objectives), rows) in enumerate(zip(self.bands, self.rows)):
            height = rows * self.row_h + (rows - 1) * self.GAP + 2 * self.pad
            box(slide, Area(area.x, y, area.w, height), [], f"Band {band.id}", fill="F6F8FA" if number % 2 else "EEF1F4",
                rounded=False)
            label_area = Area(area.x, y, self.label_w, height)
            text_box(slide, label_area, fitted([Para.of(band.title, self.size + 1, bold=True)], label_area, smallest=6),
                     f"Perspective {band.id}", anchor="middle")
            free = area.w - self.label_w - self.GAP
            per_row = min(self.per_row, max(1, len(objectives)))
            width = min((free - self.GAP * (per_row - 1)) / per_row, 120.0 if self.small else 190.0)
            for index, objective in enumerate(objectives):
                row, column = divmod(index, self.per_row)
                in_row = min(self.per_row, len(objectives) - row * self.per_row)
                left = area.x + self.label_w + (free - in_row * width - (in_row - 1) * self.GAP) / 2
                places.append((objective, row + sum(self.rows[:number]), Area(
                    left + column * (width + self.GAP), y + self.pad + row * (self.row_h + self.GAP), width, self.row_h)))
            y += height
        shapes = {objective.id: (box(slide, where, self._text(objective, where), f"Objective {objective.id}",
                                     fill=STATUS_TINTS[objective.status], line=status_colour(objective.status),
                                     line_width=1.5), row, where) for objective, row, where in places}
        lines = []
        for arrow in self.map.arrows:
            if arrow.source in shapes and arrow.target in shapes:
                (source, source_row, source_at), (target, target_row, target_at) = shapes[arrow.source], shapes[arrow.target]
                if target_row < source_row:
                    points = (0, 2)  # up: from the top edge to the bottom edge
                elif target_row > source_row:
                    points = (2, 0)
                else:
                    points = (3, 1) if target_at.x > source_at.x else (1, 3)
                lines.append(connector(slide, source, points[0], target, points[1], f"{arrow.source} supports {arrow.target}"))
        if shapes:
            send_behind(slide, lines, next(iter(shapes.values()))[0])

    def _text(self, objective, where: Area) -> list[Para]:
        """The box's id, score and status word, then as much of the title as fits."""
        deck, size = self.deck, self.size
        status = Run(f"{STATUS_ICONS[objective.status]} {deck._status(objective.status)}", bold=True,
                     colour=_text_colour(objective.status))
        inner = Area(0, 0, where.w - 6, where.h - 6)
        head = [Para((Run(f"{objective.id} ", bold=True), Run(objective.score)), size),
                Para((status,), size)]
        head = fitted(head, inner, smallest=5)
        room = inner.h - height_of(head, inner.w)
        lines = int(room // (size * 1.2))
        if self.small or lines < 1:
            return head
        title = Para.of(shorten(objective.title, inner.w - 2 * INSET, size, most=lines), size, colour=TEXT)
        return head + [title]


# --- the executive summary ---------------------------------------------------------

HEADING_SIZE = 20.0


def summary_blocks(markdown: str) -> list[Para]:
    """The summary's Markdown as paragraphs: headings (and paragraphs that are nothing but
    bold text, as "**What went wrong**") as bold subheadings, list items as bullets."""
    parser = _Blocks()
    parser.feed(str(render_markdown(markdown)))
    parser.close()
    parser.flush()
    paras = []
    for kind, runs, level, number in parser.blocks:
        text = "".join(r.text for r in runs).strip()
        runs = _trimmed(runs)
        if not text:
            continue
        if kind == "p" and all(r.bold for r in runs if r.text.strip()) and len(text) < 90 and text[-1] not in ".!?;,":
            kind = "h"
        if kind == "h":
            paras.append(Para(tuple(replace(r, bold=True) for r in runs), HEADING_SIZE, bold=True, space_before=14))
        elif kind == "li":
            paras.append(Para(runs, BODY_SIZE, bullet=f"{number}." if number else "•", level=level, space_before=5))
        else:
            paras.append(Para(runs, BODY_SIZE, level=level, space_before=8))
    return paras


def _trimmed(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with the HTML's line breaks and runs of spaces as single spaces, none at the ends."""
    out = []
    for run in runs:
        text = " ".join(run.text.split())
        if run.text[:1].isspace() and text:
            text = " " + text
        if run.text[-1:].isspace() and text:
            text += " "
        if text.strip() or (out and text):
            out.append(replace(run, text=text or " "))
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(r for r in out if r.text)


class _Blocks(HTMLParser):
    """The blocks of rendered Markdown: (kind, runs, list depth, number of an ordered item)."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[Run], int, int | None]] = []
        self.runs: list[Run] = []
        self.kind, self.number = "p", None
        self.lists: list[list] = []  # per open list: [ordered, count]
        self.bold = self.italic = 0

    def flush(self) -> None:
        if "".join(r.text for r in self.runs).strip():
            self.blocks.append((self.kind, self.runs, max(0, len(self.lists) - (1 if self.kind == "li" else 0)), self.number))
        self.runs = []

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.flush()
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self.flush()
            self.lists[-1][1] += 1 if self.lists else 0
            self.kind, self.number = "li", (self.lists[-1][1] if self.lists and self.lists[-1][0] else None)
        elif tag in self.BLOCKS:
            if tag == "p" and self.kind == "li" and not "".join(r.text for r in self.runs).strip():
                return  # a loose list's item: its first paragraph is the bullet's text
            self.flush()
            self.kind, self.number = ("h" if tag[0] == "h" and tag[1:].isdigit() else "p"), None
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br":
            self.runs.append(Run(" "))
        elif tag in ("td", "th") and self.runs:
            self.runs.append(Run(" · "))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.flush()
            self.lists.pop()
            self.kind = "li" if self.lists else "p"
        elif tag in self.BLOCKS:
            self.flush()
            self.kind = "li" if self.lists else "p"
            self.number = None
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1

    def handle_data(self, data):
        if data:
            self.runs.append(Run(data, bold=self.bold > 0, italic=self.italic > 0))


def summary_pages(blocks: list[Para], area: Area) -> list[list[Para]]:
    """The summary cut onto slides at block boundaries only, never inside a sentence: a
    heading goes with what follows it; a block taller than a slide gets a slide of its own
    in smaller type (and, below 10 pt, is cut between sentences)."""
    pages: list[list[Para]] = []
    page: list[Para] = []
    for block in blocks:
        if page and height_of(page + [block], area.w) > area.h:
            carried = []
            while page and page[-1].bold:  # a heading (the summary's only bold paragraphs) never ends a slide
                carried.insert(0, page.pop())
            if page:
                pages.append(page)
            page = carried
        if height_of(page + [block], area.w) > area.h:
            if page:
                pages.append(page)
            pages += _alone(block, area)
            page = []
            continue
        page.append(block)
    if page:
        pages.append(page)
    return pages


def _alone(block: Para, area: Area) -> list[list[Para]]:
    """A block too tall for a slide: in smaller type, else between its sentences."""
    sized = fitted([block], area, smallest=10)
    if height_of(sized, area.w) <= area.h:
        return [sized]
    sentences = [s + " " for s in block.text.replace(". ", ".\n").split("\n")]
    pages, part = [], ""
    for sentence in sentences:
        candidate = replace(block, runs=(Run((part + sentence).strip()),), size=10, space_before=0)
        if part and height_of([candidate], area.w) > area.h:
            pages.append([replace(block, runs=(Run(part.strip()),), size=10, space_before=0)])
            part = sentence
        else:
            part += sentence
    pages.append([replace(block, runs=(Run(part.strip()),), size=10, space_before=0)])
    return pages
