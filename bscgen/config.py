"""bscgen.yaml: site and scorecard settings, every key with a default."""

from __future__ import annotations

from pathlib import Path

from bscgen.files import YamlList, YamlMap, document_line, empty_map, load_yaml, read_text
from bscgen.model import DEFAULT_PERSPECTIVES, Bands, Config, Perspective
from bscgen.periods import FiscalCalendar
from bscgen.problems import Problems, Source
from bscgen.schema import Fields, describe
from bscgen.themes import theme_exists

CONFIG_FILE = "bscgen.yaml"
TOP_KEYS = ("title", "organization", "base_url", "theme", "calendar", "scoring", "perspectives", "excel", "extra")


def load_config(root: Path, problems: Problems) -> Config:
    """Read bscgen.yaml; problems are reported, and defaults stand in for bad values."""
    source = Source(CONFIG_FILE)
    errors_before = len(problems.errors)
    text = read_text(root / CONFIG_FILE, source, problems)
    data = load_yaml(text, source, problems) if text is not None else None
    if data is None:
        data = empty_map(1)
    if not isinstance(data, YamlMap):
        problems.error(
            source.at(document_line(data, text)),
            f"bscgen.yaml must hold settings as key: value pairs (title: ..., perspectives: ...), not {describe(data)}",
        )
        data = empty_map(1)
    readable = len(problems.errors) == errors_before

    fields = Fields(data, source, problems, "bscgen.yaml", TOP_KEYS)
    scoring = Fields(fields.mapping_of("scoring"), source, problems, "scoring", ("cap", "bands"))
    defaults = Config()
    theme = fields.text("theme", default=defaults.theme)
    if not theme_exists(root, theme):
        fields.error("theme", f'the theme "{theme}" does not exist; create themes/{theme}/ or use theme: default')
    perspectives, perspectives_readable = _perspectives(fields, source, problems)
    return Config(
        title=fields.text("title", default=defaults.title),
        organization=fields.text("organization", default=defaults.organization),
        base_url=fields.text("base_url", default=defaults.base_url),
        theme=theme,
        calendar=_calendar(fields, source, problems),
        cap=scoring.number("cap", default=defaults.cap, minimum=1),
        bands=read_bands(scoring, "bands", source, problems) or defaults.bands,
        perspectives=perspectives,
        excel_sheets=_excel_sheets(fields, source, problems),
        extra=dict(fields.mapping_of("extra")),
        complete=readable and perspectives_readable,
    )


def _calendar(fields: Fields, source: Source, problems: Problems) -> FiscalCalendar:
    calendar = Fields(
        fields.mapping_of("calendar"), source, problems, "calendar", ("fiscal_year_start", "fiscal_year_named_by")
    )
    return FiscalCalendar(
        start_month=calendar.number("fiscal_year_start", default=1, minimum=1, maximum=12, integer=True),
        named_by=calendar.choice("fiscal_year_named_by", ("end", "start"), "end"),
    )


def _excel_sheets(fields: Fields, source: Source, problems: Problems) -> dict[str | None, str]:
    """`excel: {sheet: Actuals, sheets: {data/finance.xlsx: Q3}}`: which sheet to read;
    the key None stands for every workbook."""
    excel = Fields(fields.mapping_of("excel"), source, problems, "excel", ("sheet", "sheets"))
    sheets: dict[str | None, str] = {}
    if (default := excel.text("sheet")) is not None:
        sheets[None] = default
    per_file = excel.mapping_of("sheets")
    for path, sheet in per_file.items():
        if isinstance(sheet, str) and isinstance(path, str):
            sheets[path.strip().removeprefix("./")] = sheet
        else:
            problems.error(source.at(per_file.line_of(path)), 'each entry of "sheets" must be a workbook path and a sheet name, like data/finance.xlsx: Actuals')
    return sheets


def read_bands(fields: Fields, key: str, source: Source, problems: Problems) -> Bands | None:
    """`bands: {green: 90, amber: 60}` (used by bscgen.yaml and by KPIs)."""
    if not fields.present(key, False):
        return None
    bands = Fields(fields.mapping_of(key), source, problems, "bands", ("green", "amber"))
    green = bands.number("green", default=Bands.green, minimum=0)
    amber = bands.number("amber", default=Bands.amber, minimum=0)
    if amber > green:
        fields.error(key, f"the amber band ({amber:g}) must not be above the green band ({green:g})")
        return None
    return Bands(green, amber)


def _perspectives(fields: Fields, source: Source, problems: Problems) -> tuple[tuple[Perspective, ...], bool]:
    """The perspectives, and whether every one of them could be read."""
    if not fields.present("perspectives", False):
        return DEFAULT_PERSPECTIVES, True
    items = fields.raw("perspectives")
    if not isinstance(items, YamlList) or not items:
        fields.error("perspectives", f'"perspectives" must be a list of {{id, title, weight}}, not {describe(items)}')
        return DEFAULT_PERSPECTIVES, False
    perspectives: list[Perspective] = []
    first_seen: dict[str, Source] = {}
    complete = True
    for index, item in enumerate(items):
        here = source.at(items.line_of(index))
        if not isinstance(item, YamlMap):
            problems.error(here, f"each perspective must be a mapping like {{id: financial, title: Financial}}, not {describe(item)}")
            complete = False
            continue
        entry = Fields(item, source, problems, "the perspective", ("id", "title", "weight"))
        pid = entry.identifier("id", required=True)
        title = entry.text("title", default=pid)
        weight = entry.number("weight", default=1, minimum=0)
        if pid is None:
            complete = False
            continue
        if pid in first_seen:
            problems.error(here, f'the perspective id "{pid}" is already used at {first_seen[pid]}')
            continue
        first_seen[pid] = here
        perspectives.append(Perspective(pid, title, weight, here))
    return tuple(perspectives), complete
