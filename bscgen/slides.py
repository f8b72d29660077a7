"""Drawing on PowerPoint slides with python-pptx, so that text fits its shapes in
PowerPoint and in LibreOffice Impress alike (SPEC 21): text measured before it
is placed, tables in a neutral style with status-coloured cells, native shapes
and connectors, and files that are the same bytes for the same input.

Nothing here knows the scorecard; deck.py says what each slide shows.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from bscgen.formatting import STATUS_COLOURS, STATUS_ICONS
from bscgen.model import Status

EMU_PER_POINT = 12700
LINE = 1.2  # line height in font sizes, a little more than the fonts' own (DejaVu Sans: 1.164)
INSET = 5.0  # points of a text frame's inner margin on every side
TEXT, MUTED, RULE, HEADER_FILL = "1B1F24", "59636E", "C8CCD0", "F2F2F2"

# Character widths in 1/2048 em of DejaVu Sans, the widest of the fonts a deck meets
# (LibreOffice shows Calibri with it where Calibri is missing), with a margin over:
# text measured with them takes no more room in PowerPoint or Impress than estimated.
_ADVANCES = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, *[1303] * 10, 690, 690,
     1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532,
     1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255,
     1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803,
     1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716)))
OTHER = 2048  # a letter of another script, a symbol (▲ ● ■: up to 1935), a dash
ARABIC = 1300
MARGIN = 1.03  # kerning, hinting and a template's own font


def char_width(char: str) -> float:
    """A character's width in em (an accented letter as its letter)."""
    if "\u0600" <= char <= "\u06ff":  # Arabic letters, joined: about half an em, seldom more than 0.63
        return ARABIC / 2048
    advance = _ADVANCES.get(char) or _ADVANCES.get(unicodedata.normalize("NFD", char)[:1]) or OTHER
    return advance / 2048


def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide a line of text is at `size` points, in points (estimated generously)."""
    return sum(map(char_width, text)) * size * MARGIN * (1.14 if bold else 1.0)  # DejaVu Sans Bold: 13 % wider


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """The lines a text wraps to in `width` points, at words; a word wider than a line is cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while text_width(word, size, bold) > width:  # nowhere to wrap: cut it as the renderer would
            cut = max(1, max((n for n in range(1, len(word) + 1) if text_width(word[:n], size, bold) <= width),
                             default=1))
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line] if line or not lines else lines


def shorten(text: str, width: float, size: float, bold: bool = False, most: int = 1) -> str:
    """A text cut to at most `most` lines of `width` points, ending with "…" if cut."""
    lines = wrap(text, width, size, bold)
    if len(lines) <= most:
        return text
    kept = " ".join(lines[:most])
    while kept and len(wrap(kept + "…", width, size, bold)) > most:
        kept = kept[:-1]
    return kept.rstrip(" ,;:") + "…"


# --- geometry ----------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A rectangle on a slide, in points from the top left."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def below(self, height: float, gap: float = 0.0) -> Area:
        """What is left under the top `height` points (and a gap)."""
        return Area(self.x, self.y + height + gap, self.w, self.h - height - gap)

    def top(self, height: float) -> Area:
        return Area(self.x, self.y, self.w, height)

    def columns(self, *shares: float, gap: float = 0.0) -> list[Area]:
        """The area cut into columns, each `share` of the width left after the gaps."""
        free, x, out = self.w - gap * (len(shares) - 1), self.x, []
        for share in shares:
            width = free * share / sum(shares)
            out.append(Area(x, self.y, width, self.h))
            x += width + gap
        return out

    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return tuple(Emu(round(v * EMU_PER_POINT)) for v in (self.x, self.y, self.w, self.h))  # type: ignore[return-value]


def area_of(shape) -> Area:
    return Area(*(v / EMU_PER_POINT for v in (shape.left, shape.top, shape.width, shape.height)))


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def status_colour(status: Status) -> str:
    return STATUS_COLOURS[status].lstrip("#")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def on_colour(colour: str) -> str:
    """Black or white, whichever contrasts more with `colour` (WCAG contrast ratio)."""
    light = _luminance(colour.lstrip("#"))
    return "000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "FFFFFF"


# --- text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    colour: str | None = None


@dataclass(frozen=True)
class Para:
    """A paragraph: its runs in one size, optionally a bullet (or a number) hanging left."""

    runs: tuple[Run, ...]
    size: float
    bold: bool = False  # every run
    colour: str = TEXT
    align: str = "left"  # left | right | centre
    bullet: str | None = None  # "•", or "3." for a numbered item
    level: int = 0
    space_before: float = 0.0  # points

    @classmethod
    def of(cls, text: str, size: float, **options) -> Para:
        return cls((Run(text),), size, **options)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def indent(self) -> float:
        """Points the text starts right of the frame's inset: a bullet hangs in it."""
        return (self.level + (1 if self.bullet else 0)) * self.size * 1.3

    def lines(self, width: float) -> list[str]:
        bold = self.bold or all(run.bold for run in self.runs if run.text.strip())
        return wrap(self.text, width - self.indent - 2 * INSET, self.size, bold)

    def height(self, width: float, first: bool = False) -> float:
        return (0 if first else self.space_before) + len(self.lines(width)) * self.size * LINE


def height_of(paras: list[Para], width: float) -> float:
    """The height the paragraphs take in a frame `width` points wide, insets included."""
    return sum(p.height(width, first=i == 0) for i, p in enumerate(paras)) + 2 * INSET


def fitted(paras: list[Para], area: Area, smallest: float = 7.0) -> list[Para]:
    """The paragraphs in the largest sizes (shrunk together, 90 % at a time) that fit `area`."""
    scale = 1.0
    while True:
        sized = [replace(p, size=round(p.size * scale, 1), space_before=p.space_before * scale) for p in paras]
        if height_of(sized, area.w) <= area.h or min(p.size for p in sized) * 0.9 < smallest:
            return sized
        scale *= 0.9


_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "centre": PP_ALIGN.CENTER}


def write(frame, paras: list[Para], anchor: str = "top", inset: float = INSET) -> None:
    """Fills a text frame: no autofit (the text was measured to fit), wrapped in the frame."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    for side in ("left", "right", "top", "bottom"):
        setattr(frame, f"margin_{side}", Pt(inset))
    for number, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.alignment = _ALIGN[para.align]
        paragraph.space_before = Pt(0 if number == 0 else para.space_before)
        paragraph.line_spacing = 1.0
        _bullet(paragraph, para)
        numbered = para.bullet is not None and para.bullet.endswith(".")
        for part in ((Run(para.bullet + "\t"),) if numbered else ()) + para.runs:
            run = paragraph.add_run()
            run.text = part.text
            font = run.font
            font.size, font.bold = Pt(para.size), para.bold or part.bold
            if part.italic:
                font.italic = True
            font.color.rgb = rgb(part.colour or para.colour)


def _bullet(paragraph, para: Para) -> None:
    """A hanging bullet or number (marL and indent), or none: a text box's paragraphs
    inherit no bullets, but a template's body style might give them some."""
    pPr = paragraph._p.get_or_add_pPr()
    hang = para.size * 1.3
    pPr.set("marL", str(round(para.indent * EMU_PER_POINT)))
    pPr.set("indent", str(-round(hang * EMU_PER_POINT)) if para.bullet else "0")
    for old in pPr.findall(qn("a:buNone")) + pPr.findall(qn("a:buChar")) + pPr.findall(qn("a:buAutoNum")):
        pPr.remove(old)
    if para.bullet is None or para.bullet[-1:] == ".":  # a number is written in the text, as it must continue across slides
        pPr.append(pPr.makeelement(qn("a:buNone"), {}))
    else:
        pPr.append(pPr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
        pPr.append(pPr.makeelement(qn("a:buChar"), {"char": para.bullet}))


def text_box(slide, area: Area, paras: list[Para], name: str, anchor: str = "top", inset: float = INSET):
    shape = slide.shapes.add_textbox(*area.emu())
    shape.name = name
    write(shape.text_frame, paras, anchor, inset)
    return shape


def box(slide, area: Area, paras: list[Para], name: str, fill: str, line: str | None = None,
        rounded: bool = True, anchor: str = "middle", line_width: float = 1.0):
    """A rectangle (rounded by default) with text, filled and outlined."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE, *area.emu())
    shape.name = name
    if rounded:
        shape.adjustments[0] = 0.12
    _unstyled(shape)
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(line_width)
    else:
        shape.line.fill.background()
    write(shape.text_frame, paras, anchor, inset=3.0)
    return shape


def connector(slide, source, source_point: int, target, target_point: int, name: str, colour: str = MUTED):
    """A straight connector glued to two shapes' connection points (0 top, 1 left, 2 bottom,
    3 right of a rectangle) with an arrowhead at the target: moved with the boxes in PowerPoint."""
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, 0, 0, 0, 0)
    line.name = name
    _unstyled(line)
    line.begin_connect(source, source_point)
    line.end_connect(target, target_point)
    line.line.color.rgb = rgb(colour)
    line.line.width = Pt(1.25)
    ln = line.line._get_or_add_ln()
    ln.append(ln.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"}))
    return line


def _unstyled(shape) -> None:
    """No theme style (its shadow and accent colours): the shape's fill, line and text are its own."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def send_behind(slide, shapes, first) -> None:
    """Moves `shapes` (connectors) just behind `first` in the drawing order: boxes cover line ends."""
    tree = slide.shapes._spTree
    for shape in shapes:
        tree.remove(shape._element)
        tree.insert(list(tree).index(first._element), shape._element)


# --- tables ----------------------------------------------------------------------

PLAIN_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid": no blue bands
CELL_X, CELL_Y = 5.0, 3.0  # a cell's inner margins, points


@dataclass(frozen=True)
class Column:
    header: str
    grow: bool = False  # takes what the other columns leave; the others take their text's width
    align: str = "left"


@dataclass(frozen=True)
class Cell:
    text: str
    status: Status | None = None  # filled with the status colour, the icon before the word
    bold: bool = False

    @property
    def shown(self) -> str:
        return f"{STATUS_ICONS[self.status]} {self.text}" if self.status is not None else self.text


@dataclass(frozen=True)
class Table:
    """A table's columns, body rows and closing rows (totals), in one text size."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    size: float = 12.0
    totals: tuple[tuple[Cell, ...], ...] = ()
    widths: tuple[float, ...] = field(default=())  # points, once laid out

    def laid_out(self, width: float) -> Table:
        """The columns' widths in `width` points. Each column gets at least its longest
        word (a status or a short value whole), the fixed columns then their whole
        text, and the growing columns what is left."""
        every = [(self.header, True), *((row, False) for row in self.rows), *((row, True) for row in self.totals)]

        def need(cell: Cell, bold: bool, whole: bool) -> float:
            text = cell.shown
            words = [text] if whole or cell.status is not None or len(text) <= 12 else text.split() or [""]
            return max(text_width(word, self.size, bold or cell.bold) for word in words) + 2 * CELL_X + 2

        # a word with nowhere to wrap is cut rather than squeeze the other columns
        least = [min(width * 0.4, max(need(row[i], bold, False) for row, bold in every)) for i in range(len(self.columns))]
        whole = [max(need(row[i], bold, True) for row, bold in every) for i in range(len(self.columns))]
        if sum(least) >= width:  # not even the words fit: in proportion
            return replace(self, widths=tuple(width * n / sum(least) for n in least))
        growing = {i for i, c in enumerate(self.columns) if c.grow}
        widths = list(least)
        left = width - sum(least)
        wanted = {i: whole[i] - least[i] for i in range(len(widths)) if i not in growing}
        share = min(1.0, left / sum(wanted.values())) if sum(wanted.values()) else 0.0
        for i, more in wanted.items():
            widths[i] += more * share
        left = width - sum(widths)
        for i in growing or range(len(widths)):
            widths[i] += left / len(growing or widths)
        return replace(self, widths=tuple(widths))

    def row_height(self, row: tuple[Cell, ...], bold: bool = False) -> float:
        lines = max(len(wrap(cell.shown, width - 2 * CELL_X, self.size, bold or cell.bold))
                    for cell, width in zip(row, self.widths))
        return lines * self.size * LINE + 2 * CELL_Y + 1

    @property
    def header(self) -> tuple[Cell, ...]:
        return tuple(Cell(c.header, bold=True) for c in self.columns)

    def height(self) -> float:
        return (self.row_height(self.header, True) + sum(self.row_height(r) for r in self.rows)
                + sum(self.row_height(r, True) for r in self.totals))

    def pages(self, height: float) -> list[Table]:
        """The table cut into parts that fit `height` points, each with the header; rows
        never split; the totals close the last part."""
        parts, rows, used = [], [], self.row_height(self.header, True)
        for row in self.rows:
            needed = self.row_height(row)
            if rows and used + needed > height:
                parts.append(rows)
                rows, used = [], self.row_height(self.header, True)
            rows.append(row)
            used += needed
        closing = sum(self.row_height(r, True) for r in self.totals)
        if rows and used + closing > height:
            parts.append(rows)
            rows = []
        parts.append(rows)
        return [replace(self, rows=tuple(part), totals=self.totals if n == len(parts) - 1 else ())
                for n, part in enumerate(parts)]


def add_table(slide, table: Table, x: float, y: float, name: str):
    """A table in a neutral style: a bold header on light grey, thin rules between rows, no
    vertical lines, status cells filled with their colour; rows as tall as their text."""
    rows = (table.header, *table.rows, *table.totals)
    heights = [table.row_height(r, n == 0 or n > len(table.rows)) for n, r in enumerate(rows)]
    frame = slide.shapes.add_table(len(rows), len(table.columns), Emu(round(x * EMU_PER_POINT)),
                                   Emu(round(y * EMU_PER_POINT)), Emu(round(sum(table.widths) * EMU_PER_POINT)),
                                   Emu(round(sum(heights) * EMU_PER_POINT)))
    frame.name = name
    shape = frame.table
    tblPr = shape._tbl.tblPr
    tblPr.set("bandRow", "0")
    style = tblPr.find(qn("a:tableStyleId"))
    if style is None:
        style = tblPr.makeelement(qn("a:tableStyleId"), {})
        tblPr.append(style)
    style.text = PLAIN_TABLE
    for number, width in enumerate(table.widths):
        shape.columns[number].width = Emu(round(width * EMU_PER_POINT))
    for r, (row, height) in enumerate(zip(rows, heights)):
        shape.rows[r].height = Emu(round(height * EMU_PER_POINT))
        header, closing = r == 0, r > len(table.rows)
        for c, (cell_value, column) in enumerate(zip(row, table.columns)):
            cell = shape.cell(r, c)
            fill = status_colour(cell_value.status) if cell_value.status is not None else (HEADER_FILL if header else "FFFFFF")
            colour = on_colour(fill) if cell_value.status is not None else TEXT
            cell.margin_left = cell.margin_right = Pt(CELL_X)
            cell.margin_top = cell.margin_bottom = Pt(CELL_Y)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame_ = cell.text_frame
            frame_.word_wrap = True
            paragraph = frame_.paragraphs[0]
            paragraph.alignment = _ALIGN["left" if header and column.align == "left" else column.align]
            run = paragraph.add_run()
            run.text = cell_value.shown
            run.font.size, run.font.bold = Pt(table.size), header or closing or cell_value.bold
            run.font.color.rgb = rgb(colour)
            ruled = header or (closing and r == len(table.rows) + 1)  # over the header and the totals
            _rules(cell, top=1.0 if ruled else 0.0, bottom=0.75)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
    return frame


def _rules(cell, top: float, bottom: float) -> None:
    """Thin horizontal rules, no vertical ones (a cell's lnL, lnR, lnT, lnB, in that order)."""
    tcPr = cell._tc.get_or_add_tcPr()
    lines = [("a:lnL", 0, None), ("a:lnR", 0, None), ("a:lnT", top, MUTED), ("a:lnB", bottom, RULE)]
    # no lnT without a rule: the row above's lnB draws the line they share
    for position, (tag, width, colour) in enumerate(line for line in lines if line[0] != "a:lnT" or top):
        ln = tcPr.makeelement(qn(tag), {"w": str(round(width * EMU_PER_POINT))})
        if width:
            fill = ln.makeelement(qn("a:solidFill"), {})
            fill.append(fill.makeelement(qn("a:srgbClr"), {"val": colour}))
            ln.append(fill)
        else:
            ln.append(ln.makeelement(qn("a:noFill"), {}))
        tcPr.insert(position, ln)


# --- the file ----------------------------------------------------------------------

FIXED_DATE = b"1980-01-01T00:00:00Z"
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fixed_zip(data: bytes, inner: bool = False) -> bytes:
    """The same file with every zip entry dated 1980-01-01 and the dates inside
    fixed too (python-pptx embeds each chart's data as a workbook stamped with
    the time it was made): the same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                content = fixed_zip(content, inner=True)
            elif inner and info.filename == "docProps/core.xml":  # the deck's own dates are the quarter's
                content = CORE_DATES.sub(rb"\g<1>" + FIXED_DATE + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
