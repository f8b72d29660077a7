"""data/: KPI definitions (YAML) and KPI actuals (CSV, TSV, Excel, Parquet and
SQL queries, in the long or the wide layout)."""

from __future__ import annotations

import re
from datetime import date
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import Any

from bscgen.content import relative
from bscgen.files import YamlList, YamlMap, document_line, load_yaml, read_text
from bscgen.model import AGGREGATES, DIRECTIONS, FREQUENCIES, Actual, Bound, Config, InitiativeActual, Kpi, KpiLink
from bscgen.periods import FiscalCalendar, PeriodError, Quarter, fiscal_year
from bscgen.problems import Problems, Source, did_you_mean
from bscgen.schema import Fields, describe, is_number, read_bands, read_visibility
from bscgen import bulk
from bscgen.queries import QueryError, read_parquet, run_query_file
from bscgen.tables import Row, Table, read_csv_table, read_xlsx_table, result_table

KPI_KEYS = (
    "id", "name", "objective", "unit", "decimals", "direction", "baseline", "target", "targets",
    "weight", "aggregate", "carry_forward", "bands", "source", "description", "from", "owner", "frequency",
    "due_days", "visible_to",
)
LINK_KINDS = ("perspective", "objective", "kpi")  # besides the child's overall score
LINK_KEYS = ("scorecard", *LINK_KINDS)  # `from: {scorecard: infra, objective: P1}`
LONG_COLUMNS = ("kpi", "period", "value")
# SPEC 19: a table whose header has `initiative` instead of `kpi` holds spend and progress.
INITIATIVE_COLUMNS = ("initiative", "period", "spend", "progress")
INITIATIVE_FIGURES = ("spend", "progress")
# Mistakes that can repeat on every row: see problems.summarised.
BAD_VALUES = "values that are not plain numbers"
BAD_PERIODS = "rows whose period cannot be read"
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def data_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    folder = root / "data"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes and p.is_file())


# --- KPI definitions -------------------------------------------------------


def load_kpis(root: Path, problems: Problems) -> tuple[list[Kpi], dict[str, Source] | None]:
    """Every KPI in data/**/*.yaml files with a top-level `kpis:` list.

    Also returns every declared id with its position, valid or not, so a
    reference to a KPI whose definition has a mistake is not reported twice;
    None when a file or a KPI could not be read, as any id may be in it (the
    root cause is reported, not every CSV row naming a KPI it would have defined).
    """
    kpis: list[Kpi] = []
    declared: dict[str, Source] = {}
    complete = True
    for path in data_files(root, (".yaml", ".yml")):
        source = Source(relative(path, root))
        errors_before = len(problems.errors)
        items = _kpi_list(path, source, problems)
        for index, item in enumerate(items or ()):
            here = source.at(items.line_of(index))
            if not isinstance(item, YamlMap):
                problems.error(here, f"each KPI must be a mapping of fields (id: ..., name: ...), not {describe(item)}")
                complete = False
                continue
            kpi_id = item.get("id")
            if isinstance(kpi_id, (str, int)) and not isinstance(kpi_id, bool):
                kpi_id = str(kpi_id)
                if kpi_id in declared:
                    problems.error(here, f'the KPI id "{kpi_id}" is already used at {declared[kpi_id]}; KPI ids must be unique')
                    continue
                declared[kpi_id] = here
            else:
                complete = False  # the KPI has no usable id, so rows naming it cannot be told from mistakes
            kpi = read_kpi(Fields(item, source, problems, "the KPI", KPI_KEYS), problems)
            if kpi is not None:
                kpis.append(kpi)
        if items is None and len(problems.errors) > errors_before:
            complete = False
    return kpis, declared if complete else None


def _kpi_list(path: Path, source: Source, problems: Problems) -> YamlList | None:
    """The `kpis:` list of a data YAML file; None when it has none (reported if
    the file is unreadable or of a shape that cannot hold KPI definitions)."""
    text = read_text(path, source, problems)
    document = load_yaml(text, source, problems) if text is not None else None
    if document is None:
        return None  # empty, or unreadable (reported)
    if isinstance(document, YamlMap) and "kpis" in document:
        items = document["kpis"]
        if isinstance(items, YamlList):
            return items
        problems.error(source.at(document.line_of("kpis")), f'"kpis" must be a list of KPI definitions (each line starting with "- id: ..."), not {describe(items)}')
    elif isinstance(document, YamlMap):
        if path.stem.lower() == "kpis":  # other YAML files under data/ may hold anything
            problems.error(source.at(document.line), 'the file has no "kpis:" key; put the KPI definitions in a list under a first line "kpis:"')
    else:
        problems.error(
            source.at(document_line(document, text)),
            f'the file holds {describe(document)}, but KPI definitions go in a list under a top-level "kpis:" key; '
            'add a first line "kpis:" and indent the list below it',
        )
    return None


def read_kpi(fields: Fields, problems: Problems) -> Kpi | None:
    kpi_id = fields.identifier("id", required=True)
    name = fields.text("name", required=True)
    objective = fields.identifier("objective", required=True)
    direction = fields.choice("direction", DIRECTIONS, "up")
    aggregate = fields.choice("aggregate", AGGREGATES, "last")
    unit = fields.text("unit")
    decimals = fields.number("decimals", default=1, minimum=0, maximum=10, integer=True)
    weight = fields.number("weight", default=1, minimum=0)
    carry_forward = fields.number("carry_forward", default=0, minimum=0, integer=True)
    bands = read_bands(fields, "bands", fields.source, problems)
    data_source = fields.text("source")
    description = fields.markdown("description")
    link = _kpi_link(fields)
    owner = fields.text("owner")
    frequency = fields.choice("frequency", FREQUENCIES, "quarterly")
    due_days = fields.number("due_days", minimum=0, integer=True)
    visibility = read_visibility(fields)
    # a score taken from a child runs 0 to 100: those are its defaults
    scored = link is not None and link.kind != "kpi"
    target = _bound(fields, "target", fields.raw("target", 100 if scored else None), direction, fields.at("target"),
                    required=True)
    baseline = _bound(
        fields, "baseline", fields.raw("baseline", 0 if scored and direction != "range" else None), direction,
        fields.at("baseline"), required=direction in ("down", "range"),
    )
    targets = _targets(fields, direction)
    ok = all(v is not None for v in (kpi_id, name, objective, target))
    ok &= baseline is not None or direction == "up"
    if ok:
        for where, value in [(fields.at("target"), target)] + [(src, t) for src, t in targets.values()]:
            ok &= _check_against_baseline(value, baseline, direction, where, problems)
    if not ok:
        return None
    return Kpi(
        id=kpi_id, name=name, objective=objective, source=fields.at("id"), direction=direction,
        baseline=baseline, target=target, targets={key: t for key, (_, t) in targets.items()},
        unit=unit, decimals=decimals, weight=weight, aggregate=aggregate,
        carry_forward=carry_forward, bands=bands, data_source=data_source, description=description,
        link=link, owner=owner, frequency=frequency, due_days=due_days, key_sources=fields.key_sources(),
        **visibility,
    )


def _kpi_link(fields: Fields) -> KpiLink | None:
    """`from: {scorecard: infra, objective: P1}`: where a KPI's values come from."""
    if not fields.present("from", False):
        return None
    link = Fields(fields.mapping_of("from"), fields.source, fields.problems, '"from"', LINK_KEYS)
    scorecard = link.identifier("scorecard", required=True)
    named = [kind for kind in LINK_KINDS if link.present(kind, False)]
    if len(named) > 1:
        fields.error("from", f'"from" takes one of {", ".join(LINK_KINDS)}, not {" and ".join(named)}')
        return None
    item = link.identifier(named[0], required=True) if named else None
    if scorecard is None or (named and item is None):
        return None
    return KpiLink(scorecard, named[0] if named else "scorecard", item)


def _bound(fields: Fields, key: str, value: Any, direction: str, where: Source, required: bool) -> Bound | None:
    """A target or baseline: a number, or [low, high] for a range KPI."""
    if value is None:
        if required:
            why = {"down": "a down KPI needs the value that scores 0", "range": "a range KPI needs [low, high]"}
            hint = f" ({why[direction]})" if key == "baseline" else ""
            fields.problems.error(fields.source.at(fields.mapping.line), f'the KPI is missing the required key "{key}"{hint}')
        return None
    if direction == "range":
        if (
            isinstance(value, YamlList) and len(value) == 2 and all(is_number(v) for v in value)
        ):
            low, high = value
            if low > high:
                fields.problems.error(where, f'"{key}" [{low:g}, {high:g}] is out of order; write [low, high]')
                return None
            return (low, high)
        fields.problems.error(where, f'"{key}" of a range KPI must be two numbers [low, high], not {describe(value)}')
        return None
    if is_number(value):
        return value
    fields.problems.error(where, f'"{key}" must be a number, not {describe(value)}')
    return None


def _targets(fields: Fields, direction: str) -> dict[Quarter | int, tuple[Source, Bound]]:
    """`targets: {2026: 4400, 2026-Q4: 4300}`: per fiscal year or per quarter."""
    mapping = fields.mapping_of("targets")
    targets: dict[Quarter | int, tuple[Source, Bound]] = {}
    for key, value in mapping.items():
        where = fields.source.at(mapping.line_of(key))
        text = str(key).strip()
        period: Quarter | int
        try:
            if isinstance(key, int) and not isinstance(key, bool) or text.isdigit():
                period = fiscal_year(text)
            else:
                period = Quarter.parse(text)
        except PeriodError as error:
            fields.problems.error(where, f"the targets key {error}; use a quarter like 2026-Q4 or a fiscal year like 2026")
            continue
        bound = _bound(fields, f"targets {text}", value, direction, where, required=True)
        if bound is not None:
            targets[period] = (where, bound)
    return targets


def _check_against_baseline(target: Bound, baseline: Bound | None, direction: str, where: Source, problems: Problems) -> bool:
    if direction == "range":
        (low, high), (low0, high0) = target, baseline
        if not low0 < low <= high < high0:
            problems.error(
                where,
                f"a range KPI needs baseline low < target low <= target high < baseline high; "
                f"got baseline [{low0:g}, {high0:g}] and target [{low:g}, {high:g}]",
            )
            return False
        return True
    base = 0 if baseline is None else baseline
    if target == base:
        problems.error(where, f"the target equals the baseline ({base:g}), so no score can be computed; change one of them")
        return False
    if direction == "down" and target > base:
        problems.error(where, f"for a down KPI (lower is better) the target ({target:g}) must be below the baseline ({base:g})")
        return False
    if direction == "up" and target < base:
        problems.error(where, f"for an up KPI (higher is better) the target ({target:g}) must be above the baseline ({base:g}); use direction: down if lower is better")
        return False
    return True


# --- KPI actuals -------------------------------------------------------------


ACTUAL_SUFFIXES = (".csv", ".tsv", ".xlsx", ".parquet", ".sql")


def load_actuals(root: Path, config: Config, kpis: dict[str, Kpi], declared_kpis: dict[str, Source] | None,
                 problems: Problems) -> tuple[list[Actual], list[InitiativeActual]]:
    """Every actual under data/ (CSV and TSV files, workbooks, Parquet files and SQL
    queries): the KPIs' values, and the initiatives' spend and progress (SPEC 19)."""
    actuals: list[Actual] = []
    initiative_actuals: list[InitiativeActual] = []
    for path in data_files(root, ACTUAL_SUFFIXES):
        if path.name.startswith("~$"):
            continue  # Excel's lock file while a workbook is open
        source = Source(relative(path, root))
        if declared_kpis is not None:  # else which ids exist is unknown: rows are only checked
            combined = bulk.read_long_csv(path, source, config, kpis, csv_decimal(source.path, config))
            if combined is not None:  # a big file, read and combined by DuckDB
                actuals.extend(combined)
                continue
        table = _table(path, root, source, config, problems)
        if table is not None and is_initiative_table(table):
            initiative_actuals.extend(read_initiative_table(table, config.calendar, problems))
        elif table is not None:
            actuals.extend(read_table(table, config.calendar, declared_kpis, problems))
    return actuals, initiative_actuals


def _table(path: Path, root: Path, source: Source, config: Config, problems: Problems) -> Table | None:
    suffix = path.suffix.lower()
    sheets = config.excel_sheets
    if suffix in (".csv", ".tsv"):
        return read_csv_table(path, source, problems, csv_decimal(source.path, config))
    if suffix == ".xlsx":
        return read_xlsx_table(path, source, sheets.get(source.path, sheets.get(None)), problems)
    if suffix == ".sql":
        return run_query_file(path, root, source, config.databases, sheets, problems)
    try:
        columns, rows = read_parquet(path, root)
    except QueryError as error:
        problems.error(source, error.message)
        return None
    return result_table(source, columns, rows, lambda number: Source(source.path, None, f"row {number}"), "Parquet file")


def csv_decimal(path: str, config: Config) -> str:
    """The decimal mark of a CSV file: that of the first file pattern it matches, else the default."""
    return next(decimal for pattern, decimal in config.csv_decimals if pattern is None or fnmatch(path, pattern))


def read_table(table: Table, calendar: FiscalCalendar, declared_kpis: dict[str, Source] | None, problems: Problems) -> list[Actual]:
    """Actuals from a table in the long or the wide layout, told apart by the header."""
    names = [c.lower() for c in table.header.cells]
    if all(c in names for c in LONG_COLUMNS):
        return list(_long(table, names, calendar, declared_kpis, problems))
    if names and names[0] == "period" and "kpi" not in names and "value" not in names:
        if len(names) == 1:
            problems.error(table.header.where(0), f"the wide {table.kind} has only a period column; add one column per KPI id")
            return []
        return list(_wide(table, calendar, declared_kpis, problems))
    missing = [c for c in LONG_COLUMNS if c not in names]
    problems.error(
        table.header.where(0),
        f"the {table.kind} header has no {', '.join(missing)} column; use either the long layout (columns kpi, period, "
        "value and optionally note) or the wide layout (first column period, then one column per KPI id)",
    )
    return []


def _long(table: Table, names: list[str], calendar, declared_kpis, problems):
    index = {name: names.index(name) for name in (*LONG_COLUMNS, "note") if name in names}
    for extra in sorted(set(names) - set(index)):
        problems.warning(table.header.where(names.index(extra)), f'the column "{extra}" is not used (the long layout reads kpi, period, value, note)')
    for row in table.rows:
        cells = row.cells
        kpi_id, period = cells[index["kpi"]], cells[index["period"]]
        note = cells[index["note"]] if "note" in index and cells[index["note"]] else None
        if not kpi_id:
            problems.error(row.where(index["kpi"]), 'the "kpi" cell is empty; write the KPI id', kind="rows with an empty kpi cell")
            continue
        if declared_kpis is None:
            continue  # a KPI file is unreadable: which ids exist is unknown
        if kpi_id not in declared_kpis:
            problems.error(
                row.where(index["kpi"]),
                f'unknown KPI id "{kpi_id}" in the kpi column{did_you_mean(kpi_id, declared_kpis)}; define it in data/kpis.yaml',
                kind="rows naming an unknown KPI id",
            )
            continue
        actual = _actual(table, kpi_id, row, (index["period"], index["value"], "value"), note, calendar, problems)
        if actual is not None:
            yield actual


def _wide(table: Table, calendar, declared_kpis, problems):
    kpi_columns: dict[int, str] = {}
    for position, name in enumerate(table.header.cells[1:], start=1):
        where = table.header.where(position)
        if not name:
            problems.error(where, f"column {position + 1} of the header is empty; write a KPI id")
        elif name in kpi_columns.values():
            problems.error(where, f'the column "{name}" appears twice in the header')
        elif declared_kpis is None:
            continue  # a KPI file is unreadable: which ids exist is unknown
        elif name not in declared_kpis:
            problems.error(
                where, f'unknown KPI id "{name}" in the header{did_you_mean(name, declared_kpis)}; define it in data/kpis.yaml',
                kind="columns naming an unknown KPI id",
            )
        else:
            kpi_columns[position] = name
    for row in table.rows:
        for position, kpi_id in kpi_columns.items():
            actual = _actual(table, kpi_id, row, (0, position, kpi_id), None, calendar, problems)
            if actual is not None:
                yield actual


def _actual(table: Table, kpi_id, row: Row, columns: tuple[int, int, str], note, calendar, problems) -> Actual | None:
    """One cell's value; `columns`: the period's and the value's column, and the value column's name."""
    period_column, value_column, column_name = columns
    if not row.cells[value_column]:
        return None  # an empty cell means no value
    when = _period(row, period_column, calendar, problems)
    value = None if when is None else _number(table, row, value_column, column_name, problems)
    if value is None:
        return None
    return Actual(kpi_id, row.cells[period_column], *when, value, row.where(value_column), note)


def _period(row: Row, column: int, calendar: FiscalCalendar, problems: Problems) -> tuple[Quarter, date] | None:
    """A row's period as its fiscal quarter and the date it counts as; None when unreadable (reported)."""
    period = row.cells[column]
    if not period:
        problems.error(row.where(column), "the period cell is empty; write a quarter (2026-Q3), month (2026-07) or date (2026-07-31)", kind=BAD_PERIODS)
        return None
    try:
        return _parse_period(calendar, period)
    except PeriodError as error:
        problems.error(row.where(column), f"in the period column, {error}", kind=BAD_PERIODS)
        return None


def _number(table: Table, row: Row, column: int, column_name: str, problems: Problems) -> float | None:
    """A cell's number; None when it is not one (reported)."""
    value = parse_value(row.cells[column], table.decimal)
    if isinstance(value, str):
        problems.error(row.where(column), f'in the column "{column_name}", {value}', kind=BAD_VALUES)
        return None
    return value


# --- initiatives' spend and progress (SPEC 19) ------------------------------------


def is_initiative_table(table: Table) -> bool:
    """A table whose header has `initiative` (instead of `kpi`)."""
    names = [c.lower() for c in table.header.cells]
    return "initiative" in names and "kpi" not in names


def read_initiative_table(table: Table, calendar: FiscalCalendar, problems: Problems) -> list[InitiativeActual]:
    """Rows of `initiative,period,spend,progress` (spend or progress may be left out);
    which initiatives exist is checked across files (project.py)."""
    names = [c.lower() for c in table.header.cells]
    figures = [c for c in INITIATIVE_FIGURES if c in names]
    missing = [c for c in ("period",) if c not in names] + ([] if figures else ["spend or progress"])
    if missing:
        problems.error(table.header.where(0), f"the {table.kind} of initiatives has no {' and no '.join(missing)} "
                                              f"column; write the header {','.join(INITIATIVE_COLUMNS)}")
        return []
    index = {name: names.index(name) for name in INITIATIVE_COLUMNS if name in names}
    for extra in sorted(set(names) - set(index)):
        problems.warning(table.header.where(names.index(extra)), f'the column "{extra}" is not used (a table of initiatives reads {", ".join(INITIATIVE_COLUMNS)})')
    found = []
    for row in table.rows:
        initiative = row.cells[index["initiative"]]
        if not initiative:
            problems.error(row.where(index["initiative"]), 'the "initiative" cell is empty; write the initiative id', kind="rows with an empty initiative cell")
            continue
        filled = [name for name in figures if row.cells[index[name]]]
        if not filled:
            continue  # no figure in this row
        when = _period(row, index["period"], calendar, problems)
        spend, progress = (_number(table, row, index[name], name, problems) if name in filled else None
                           for name in INITIATIVE_FIGURES)
        if progress is not None and not 0 <= progress <= 100:
            problems.error(row.where(index["progress"]), f'in the column "progress", {progress:g} is not a percent from 0 to 100', kind="progress values outside 0 to 100")
            continue
        if when is None or any(name in filled and value is None for name, value in zip(INITIATIVE_FIGURES, (spend, progress))):
            continue
        found.append(InitiativeActual(initiative, row.cells[index["period"]], *when, spend, progress, row.where(index["initiative"])))
    return found


@lru_cache(maxsize=4096)
def _parse_period(calendar: FiscalCalendar, text: str) -> tuple[Quarter, date]:
    """A raw export repeats a few hundred periods a million times: parse each once."""
    return calendar.parse_period(text)


DECIMAL_SETTING = 'csv: {decimal: ","} in bscgen.yaml (or per file: csv: {files: {"data/eu/*.csv": {decimal: ","}}})'


def parse_value(text: str, decimal: str = ".") -> float | str:
    """A plain decimal number, or a message saying how to write it.
    With decimal ",", a comma is the decimal mark and a point is a mistake."""
    if decimal == ",":
        if "." in text:
            return f'"{text}" has a point, but this file is read with decimal commas (csv: {{decimal: ","}}); write it like 81,5, without thousands separators'
        text = text.replace(",", ".", 1) if text.count(",") == 1 else text
    if PLAIN_NUMBER.match(text):
        return float(text)
    if re.fullmatch(r"[+-]?\d{1,3}([,' ]\d{3})+(\.\d+)?", text):
        plain = re.sub(r"[,' ]", "", text)
        return f'"{text}" has a thousands separator; write the number without it, e.g. {plain}'
    if text.endswith("%") and PLAIN_NUMBER.match(text[:-1].strip()):
        return f'"{text}" has a % sign; write just the number ({text[:-1].strip()}) and set unit: "%" on the KPI'
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        return f'"{text}" uses a decimal comma; write it with a decimal point ({text.replace(",", ".")}), or, if the file is written with decimal commas, set {DECIMAL_SETTING}'
    return f'"{text}" is not a number; write a plain decimal number like -12.5 or 1e3, or leave the cell empty for no value'
