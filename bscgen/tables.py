"""Tables of actuals from CSV and Excel files: rows of text cells, each cell
with its position (`path:line` for CSV, `path:Sheet!B7` for Excel)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from bscgen.files import read_text
from bscgen.problems import Problems, Source


@dataclass(frozen=True)
class Row:
    cells: list[str]
    where: Callable[[int], Source]  # column index -> the cell's position


@dataclass(frozen=True)
class Table:
    source: Source
    header: Row
    rows: list[Row]
    kind: str  # "CSV" or "sheet", as named in messages


def read_csv_table(path: Path, source: Source, problems: Problems) -> Table | None:
    text = read_text(path, source, problems)
    return None if text is None else parse_csv(text, source, problems)


def parse_csv(text: str, source: Source, problems: Problems) -> Table | None:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    try:
        header = next(reader, None)
        if header is None:
            problems.warning(source.at(1), "the CSV file is empty")
            return None
        width = len(header)
        line = reader.line_num + 1  # where the next record starts: a quoted cell may span lines
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != width:
                problems.error(source.at(start), f"this row has {len(cells)} cells but the header has {width}; check the commas", kind="rows with the wrong number of cells")
                continue
            rows.append(Row([cell.strip() for cell in cells], lambda column, at=source.at(start): at))
    except csv.Error as error:
        problems.error(source.at(reader.line_num), f"this is not valid CSV: {error}")
        return None
    return Table(source, Row([name.strip() for name in header], lambda column: source.at(1)), rows, "CSV")


def read_xlsx_table(path: Path, source: Source, sheet: str | None, problems: Problems) -> Table | None:
    """The first sheet (or the named one) of a workbook; needs the excel extra (openpyxl)."""
    try:
        import openpyxl
        from openpyxl.utils import get_column_letter
    except ImportError:
        problems.error(source, 'reading Excel files needs the excel extra: pip install "bscgen[excel]"')
        return None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        problems.error(source, f"this is not a readable Excel workbook (.xlsx): {error}")
        return None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            problems.error(source, f'the workbook has no sheet "{sheet}"; it has: {", ".join(workbook.sheetnames)}')
            return None
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        name = worksheet.title

        def position(row: int) -> Callable[[int], Source]:
            return lambda column: Source(source.path, row, f"{name}!{get_column_letter(column + 1)}{row}")

        raw = [
            (number, [_text(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    raw = [(number, cells) for number, cells in raw if any(cells)]
    if not raw:
        problems.warning(Source(source.path, 1, f"{name}!A1"), "the sheet is empty")
        return None
    (head_number, head), *body = raw
    while head and not head[-1]:  # empty columns after the last heading
        head.pop()
    width = len(head)
    rows: list[Row] = []
    for number, cells in body:
        if any(cells[width:]):
            problems.error(position(number)(width), "this row has a value in a column without a heading; add a heading or remove the value", kind="rows with a value in a column without a heading")
            continue
        rows.append(Row((cells + [""] * width)[:width], position(number)))
    header = Row(head, position(head_number))
    return Table(source, header, rows, "sheet")


def _text(value) -> str:
    """A cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
