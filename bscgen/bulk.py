"""Big long-layout CSV files (SPEC 15, "data at scale"): read by DuckDB and
combined per KPI and quarter as they are read.

A million raw rows would cost a Python object each; here DuckDB parses the
file on every core and returns one combined value per KPI and quarter (an
`Actual` with the number of rows it stands for). Only files that are valid throughout
take this path: at the first sign of a mistake (a value that is not a plain
number, an unknown KPI or period, two values of a `last` KPI on one date, a
row of the wrong width) the file is read again row by row, so every problem
is still reported at its exact line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bscgen.scoring import NOTES_SHOWN, summarise_notes
from bscgen.model import Actual, Config, Kpi
from bscgen.periods import PeriodError, Quarter
from bscgen.problems import Source
from bscgen.tables import header_cells, header_separator

BULK_BYTES = 4_000_000  # below this, reading row by row is as fast and keeps every row's line
SUFFIXES = (".csv", ".tsv")


@dataclass(frozen=True)
class _Read:
    """What DuckDB found in one file, to be checked against the KPIs."""

    quarters: list[Quarter]
    combined: list[tuple]  # per KPI and quarter: see _Reader.combined
    notes: dict[tuple[str, int], str | None]


def read_long_csv(path: Path, source: Source, config: Config, kpis: dict[str, Kpi], decimal: str) -> list[Actual] | None:
    """The combined actuals of a big, valid long CSV file; None to read it row by row."""
    if path.suffix.lower() not in SUFFIXES or path.stat().st_size < BULK_BYTES:
        return None
    read = _read(path, config, decimal)
    if read is None:
        return None
    for kpi_id, _, bad, duplicate, *_ in read.combined:
        if bad or not _usable(kpis.get(kpi_id), kpi_id) or (duplicate and kpis[kpi_id].aggregate == "last"):
            return None  # a value that is not a number, an unknown or empty KPI id, two values on a date
    return [_actual(source, kpis[k], read.quarters[code], figures, read.notes.get((k, code)))
            for k, code, _, _, *figures in read.combined]


def _read(path: Path, config: Config, decimal: str) -> _Read | None:
    try:
        import duckdb
    except ImportError:
        return None
    with path.open("rb") as file:
        header = file.readline().decode("utf-8-sig", "replace").rstrip("\r\n")
    separator = "\t" if path.suffix.lower() == ".tsv" else header_separator(header)
    names = [name.strip().lower() for name in header_cells(header, separator)]
    if sorted(names) not in (["kpi", "period", "value"], ["kpi", "note", "period", "value"]):
        return None  # the wide layout, extra columns or a broken header: row by row
    # rows are combined, never listed: their order need not be kept (a quarter faster)
    connection = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False, "preserve_insertion_order": False})
    try:
        return _Reader(connection, path, separator, names, decimal).read(config)
    except duckdb.Error:
        return None  # not UTF-8, a row of the wrong width, ...: the row-by-row reader says where
    finally:
        connection.close()


class _Reader:
    """One file in one DuckDB connection: the columns are c0, c1, ... in header order."""

    def __init__(self, connection, path: Path, separator: str, names: list[str], decimal: str):
        self.connection = connection
        self.column = {name: f"c{index}" for index, name in enumerate(names)}
        columns = "{" + ", ".join(f"'c{index}': 'VARCHAR'" for index in range(len(names))) + "}"
        value = self.column["value"]
        # DuckDB's cast also takes 1_000, inf and nan: plain numbers only (data.parse_value)
        text = f"replace({value}, ',', '.')" if decimal == "," else value
        wrong_mark = f"contains({value}, '.')" if decimal == "," else "false"
        # parsed once into a table, each value cast once (as x): the queries below then scan columns
        connection.execute(
            f"CREATE TEMP TABLE rows AS SELECT *, try_cast({text} AS DOUBLE) AS x FROM "
            f"read_csv(?, header = true, auto_detect = false, columns = {columns}, delim = ?, quote = '\"', "
            "escape = '\"', strict_mode = true, null_padding = false)", [str(path), separator],
        )
        self.rows = "rows"
        self.bad = f"(x IS NULL OR NOT isfinite(x) OR contains({value}, '_') OR {wrong_mark})"

    def read(self, config: Config) -> _Read | None:
        period, note = self.column["period"], self.column.get("note")
        periods, notes = self.connection.execute(
            f"SELECT list(DISTINCT {period}), {f'count({note})' if note else '0'} FROM {self.rows}",
        ).fetchone()
        quarters = self._register_periods(periods, config)
        if quarters is None:
            return None
        return _Read(quarters, self.combined(bool(notes)), self._notes() if notes else {})

    def _register_periods(self, periods: list[str | None], config: Config) -> list[Quarter] | None:
        """Each distinct period, parsed once, as a table: its quarter's code, its date, and
        a bit for its day in the quarter (so two rows on one date show in a sum of bits)."""
        quarters: dict[Quarter, int] = {}
        table = []
        for text in periods:
            if text is None or text != text.strip():
                return None  # an empty period cell (or a value-less row): row by row
            try:
                quarter, day = config.calendar.parse_period(text)
            except PeriodError:
                return None
            code = quarters.setdefault(quarter, len(quarters))
            table.append((text, code, day, 1 << (config.calendar.last_day(quarter) - day).days))
        self.connection.execute(
            "CREATE TEMP TABLE periods AS SELECT unnest(?::VARCHAR[]) AS period, unnest(?::INTEGER[]) AS quarter, "
            "unnest(?::DATE[]) AS day, unnest(?::HUGEINT[]) AS bit", [list(column) for column in zip(*table)] or [[]] * 4,
        )
        return list(quarters)

    def combined(self, with_notes: bool) -> list[tuple]:
        """Per KPI and quarter: any bad value, any two rows on one date, then the figures
        `_actual` combines (rows, sum, min, max, latest value, latest date and period, its note)."""
        kpi, period, value = self.column["kpi"], self.column["period"], self.column["value"]
        latest_note = f"arg_max(coalesce({self.column['note']}, ''), p.day)" if with_notes else "''"
        return self.connection.execute(
            f"SELECT r.{kpi}, p.quarter, bool_or({self.bad}), sum(p.bit) <> bit_or(p.bit), count(*), "
            f"fsum(x), min(x), max(x), arg_max(x, p.day), "
            f"max(p.day), arg_max(r.{period}, p.day), {latest_note} "
            f"FROM {self.rows} AS r JOIN periods AS p ON r.{period} = p.period WHERE r.{value} IS NOT NULL GROUP BY ALL",
        ).fetchall()

    def _notes(self) -> dict[tuple[str, int], str | None]:
        """The first few distinct notes per KPI and quarter in date order, and how many there are."""
        kpi, period, value, note = (self.column[name] for name in ("kpi", "period", "value", "note"))
        found = self.connection.execute(
            f"SELECT kpi, quarter, list(note ORDER BY first, note) FILTER (WHERE n <= {NOTES_SHOWN}), count(*) FROM ("
            f" SELECT *, row_number() OVER (PARTITION BY kpi, quarter ORDER BY first, note) AS n FROM ("
            f"  SELECT r.{kpi} AS kpi, p.quarter, trim(r.{note}) AS note, min(p.day) AS first"
            f"  FROM {self.rows} AS r JOIN periods AS p ON r.{period} = p.period"
            f"  WHERE r.{value} IS NOT NULL AND trim(r.{note}) <> '' GROUP BY 1, 2, 3)"
            f") GROUP BY 1, 2",
        ).fetchall()
        return {(k, code): summarise_notes(shown, total) for k, code, shown, total in found}


def _usable(kpi: Kpi | None, kpi_id: str | None) -> bool:
    """Rows of this KPI id can be combined: it is defined, takes its values from rows, and is written cleanly."""
    return kpi is not None and kpi.link is None and kpi_id == kpi_id.strip()


def _actual(source: Source, kpi: Kpi, quarter: Quarter, figures: tuple, note: str | None) -> Actual:
    count, total, low, high, latest, day, period, latest_note = figures
    value = {"sum": total, "mean": total / count, "min": low, "max": high, "last": latest}[kpi.aggregate]
    if kpi.aggregate == "last":
        note = latest_note.strip() or None
    return Actual(kpi.id, period, quarter, day, value, source, note, count)
