"""Tables of actuals from CSV and Excel files: rows of text cells, each cell
with its position (`path:line` for CSV, `path:Sheet!B7` for Excel).

A CSV file's separator (`,` `;` or tab) is found from its header line; `.tsv`
files are tab-separated. Its decimal mark comes from bscgen.yaml (`csv:`).
"""

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
    kind: str  # "CSV", "sheet" or "query result", as named in messages
    decimal: str = "."  # the decimal mark of its numbers written as text


SEPARATORS = (",", ";", "\t")


def read_csv_table(path: Path, source: Source, problems: Problems, decimal: str = ".") -> Table | None:
    text = read_text(path, source, problems)
    if text is None:
        return None
    separator = "\t" if path.suffix.lower() == ".tsv" else header_separator(next(iter(text.splitlines()), ""))
    return parse_csv(text, source, problems, separator, decimal)


def header_separator(header: str) -> str:
    """The separator that splits the header line into the most cells (a comma on a tie).
    csv.Sniffer guesses from the whole sample and misreads decimal commas as separators."""
    return max(SEPARATORS, key=lambda separator: len(header_cells(header, separator)))


def header_cells(header: str, separator: str) -> list[str]:
    """The cells of a header line; none for a line the csv module cannot read (a stray carriage return)."""
    try:
        return next(csv.reader([header], delimiter=separator), [])
    except csv.Error:
        return []


def parse_csv(text: str, source: Source, problems: Problems, separator: str = ",", decimal: str = ".") -> Table | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
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
                problems.error(source.at(start), f"this row has {len(cells)} cells but the header has {width}; check the {SEPARATOR_NAMES[separator]}", kind="rows with the wrong number of cells")
                continue
            rows.append(Row([cell.strip() for cell in cells], lambda column, at=source.at(start): at))
    except csv.Error as error:
        problems.error(source.at(reader.line_num), f"this is not valid CSV: {error}")
        return None
    return Table(source, Row([name.strip() for name in header], lambda column: source.at(1)), rows, "CSV", decimal)


SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def result_table(source: Source, columns: list[str], rows: list[tuple], row_source: Callable[[int], Source],
                 kind: str) -> Table:
    """A table of values from a query or a Parquet file, as text cells like a CSV
    file's; row n (from 1) is at `row_source(n)`, the header at `source`."""
    body = [Row([_text(value) for value in values], lambda column, at=row_source(number): at)
            for number, values in enumerate(rows, start=1)]
    return Table(source, Row([str(name).strip() for name in columns], lambda column: source), body, kind)


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
