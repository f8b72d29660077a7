"""bscgen.yaml: site and scorecard settings, every key with a default."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bscgen.language import DEFAULT_LANGUAGE, LANGUAGES, currency_error, locale_error
from bscgen.files import YamlList, YamlMap, document_line, empty_map, load_yaml, read_text
from bscgen.model import DEFAULT_PERSPECTIVES, Audience, ChildLink, Config, Database, Goal, Perspective, PortfolioBands
from bscgen.periods import FiscalCalendar
from bscgen.problems import Problems, Source, did_you_mean
from bscgen.schema import Fields, describe, read_bands, read_visibility
from bscgen.themes import theme_exists

CONFIG_FILE = "bscgen.yaml"
TOP_KEYS = (
    "title", "organization", "base_url", "theme", "language", "locale", "currency", "calendar", "scoring", "perspectives", "goals", "scorecards",
    "excel", "csv", "databases", "exports", "paper", "pptx_template", "data", "repo_url", "edit_uri", "extra",
    "audiences", "portfolio",
)
# Each board-pack export, and the module its extra installs with how to install it.
EXPORTS = {
    "pdf": ("weasyprint", 'pip install "bscgen[pdf]" (WeasyPrint; it also needs Pango, Debian package libpango-1.0-0)'),
    "pptx": ("pptx", 'pip install "bscgen[pptx]" (python-pptx)'),
}


def missing_export_library(name: str) -> str | None:
    """Why an export cannot be made here, or None."""
    module, install = EXPORTS[name]
    if importlib.util.find_spec(module) is None:
        return f"the {name} export needs the {name} extra, which is not installed: {install}"
    return None
DECIMALS = (".", ",")
PAPERS = ("a4", "letter")
NAMED_BY = ("end", "start")  # a fiscal year is named by the calendar year it ends or starts in
# The keys of each nested mapping: what the loader accepts, and what `bscgen schema` describes.
SCORING_KEYS = ("cap", "bands")
DATA_KEYS = ("due_days",)
PORTFOLIO_KEYS = ("amber", "red")
GOALS_KEYS = ("title", "items")
GOAL_KEYS = ("id", "title", "url", "visible_to")
SCORECARD_KEYS = ("id", "path", "url", "visible_to")
AUDIENCE_KEYS = ("id", "title")
CALENDAR_KEYS = ("fiscal_year_start", "fiscal_year_named_by")
EXCEL_KEYS = ("sheet", "sheets")
CSV_KEYS = ("decimal", "files")
CSV_FILE_KEYS = ("decimal",)
DATABASE_KEYS = ("url", "password_env")
PERSPECTIVE_KEYS = ("id", "title", "weight")


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
    scoring = Fields(fields.mapping_of("scoring"), source, problems, "scoring", SCORING_KEYS)
    defaults = Config()
    goals_title, goals = _goals(fields, source, problems)
    theme = fields.text("theme", default=defaults.theme)
    if not theme_exists(root, theme):
        fields.error("theme", f'the theme "{theme}" does not exist; create themes/{theme}/ or use theme: default')
    perspectives, perspectives_readable = _perspectives(fields, source, problems)
    return Config(
        title=fields.text("title", default=defaults.title),
        organization=fields.text("organization", default=defaults.organization),
        base_url=fields.text("base_url", default=defaults.base_url),
        theme=theme,
        language=fields.choice("language", LANGUAGES, DEFAULT_LANGUAGE),
        locale=_checked(fields, "locale", locale_error),
        currency=_checked(fields, "currency", currency_error),
        goals_title=goals_title,
        goals=goals,
        scorecards=_scorecards(fields, source, problems),
        calendar=_calendar(fields, source, problems),
        cap=scoring.number("cap", default=defaults.cap, minimum=1),
        bands=read_bands(scoring, "bands", source, problems) or defaults.bands,
        portfolio=_portfolio(fields, source, problems),
        perspectives=perspectives,
        excel_sheets=_excel_sheets(fields, source, problems),
        exports=_exports(fields, source, problems),
        paper=fields.choice("paper", PAPERS, "a4"),
        due_days=Fields(fields.mapping_of("data"), source, problems, "data", DATA_KEYS).number(
            "due_days", default=20, minimum=0, integer=True),
        repo_url=fields.text("repo_url"),
        edit_uri=fields.text("edit_uri"),
        pptx_template=_pptx_template(fields, root),
        csv_decimals=_csv_decimals(fields, source, problems),
        databases=_databases(fields, source, problems),
        audiences=_audiences(fields, source, problems),
        extra=dict(fields.mapping_of("extra")),
        complete=readable and perspectives_readable,
    )


def _checked(fields: Fields, key: str, problem_of) -> str | None:
    """A text setting that `problem_of` accepts (None when absent or not accepted)."""
    value = fields.text(key)
    if value is not None and (problem := problem_of(value.strip())) is not None:
        fields.error(key, problem)
        return None
    return value and value.strip()


def _portfolio(fields: Fields, source: Source, problems: Problems) -> PortfolioBands:
    """`portfolio: {amber: 0.95, red: 0.85}`: the CPI and SPI below which an initiative is amber, red."""
    portfolio = Fields(fields.mapping_of("portfolio"), source, problems, "portfolio", PORTFOLIO_KEYS)
    defaults = PortfolioBands()
    amber = portfolio.number("amber", default=defaults.amber, minimum=0)
    red = portfolio.number("red", default=defaults.red, minimum=0)
    if red > amber:
        fields.error("portfolio", f"the red threshold ({red:g}) must not be above the amber threshold ({amber:g})")
        return defaults
    return PortfolioBands(amber, red)


def _records(fields: Fields, key: str, what: str, keys: tuple[str, ...], example: str, source: Source,
             problems: Problems):
    """(entry fields, id, position) of each mapping in a list under `key`; an id used twice is an
    error at the second use (the first wins)."""
    items = fields.raw(key) if fields.present(key, False) else YamlList()
    if not isinstance(items, YamlList):
        fields.error(key, f'"{key}" must be a list of entries like {example}, not {describe(items)}')
        return
    seen: dict[str, Source] = {}
    for index, item in enumerate(items):
        here = source.at(items.line_of(index))
        if not isinstance(item, YamlMap):
            problems.error(here, f'each entry of "{key}" must be a mapping like {example}, not {describe(item)}')
            continue
        entry = Fields(item, source, problems, f"the {what}", keys)
        item_id = entry.identifier("id", required=True)
        if item_id in seen:
            problems.error(here, f'the {what} id "{item_id}" is already used at {seen[item_id]}')
            continue
        if item_id is not None:
            seen[item_id] = here
        yield entry, item_id, here


def _goals(fields: Fields, source: Source, problems: Problems) -> tuple[str | None, tuple[Goal, ...]]:
    """`goals: {title, items: [{id, title, url}]}`: the business goals the scorecard serves."""
    if not fields.present("goals", False):
        return None, ()
    section = Fields(fields.mapping_of("goals"), source, problems, "goals", GOALS_KEYS)
    goals = []
    example = "{id: G1, title: Grow digital revenue}"
    for entry, goal_id, here in _records(section, "items", "goal", GOAL_KEYS, example, source,
                                         problems):
        title, url, visibility = entry.text("title", required=True), entry.text("url"), read_visibility(entry)
        if goal_id is not None and title is not None:
            goals.append(Goal(goal_id, title, here, url, **visibility))
    return section.text("title"), tuple(goals)


def _scorecards(fields: Fields, source: Source, problems: Problems) -> tuple[ChildLink, ...]:
    """`scorecards: [{id, path, url}]`: the child scorecards (projects or published sites)."""
    children = []
    example = "{id: infra, path: scorecards/infra}"
    for entry, child_id, here in _records(fields, "scorecards", "scorecard", SCORECARD_KEYS, example,
                                          source, problems):
        path, url, visibility = entry.text("path", required=True), entry.text("url"), read_visibility(entry)
        if child_id is not None and path is not None:
            children.append(ChildLink(child_id, path.strip().rstrip("/"), here, url, **visibility))
    return tuple(children)


def _audiences(fields: Fields, source: Source, problems: Problems) -> tuple[Audience, ...]:
    """`audiences: [{id, title}]`: the readers that each get a site of their own (SPEC 17)."""
    example = "{id: leadership, title: IT leadership team}"
    return tuple(
        Audience(audience_id, entry.text("title", default=audience_id), here)
        for entry, audience_id, here in _records(fields, "audiences", "audience", AUDIENCE_KEYS, example, source, problems)
        if audience_id is not None
    )


def _exports(fields: Fields, source: Source, problems: Problems) -> tuple[str, ...]:
    """`exports: [pdf, pptx]`: the board pack; each needs its extra installed."""
    chosen = []
    for name, where in fields.id_list("exports"):
        if name not in EXPORTS:
            problems.error(where, f'"exports" takes {" and ".join(EXPORTS)}, not "{name}"{did_you_mean(name, EXPORTS)}')
        elif (missing := missing_export_library(name)) is not None:
            problems.error(where, missing)
        elif name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def _pptx_template(fields: Fields, root: Path) -> str | None:
    template = fields.text("pptx_template")
    if template is not None and not (root / template).is_file():
        fields.error("pptx_template", f'the PowerPoint template "{template}" does not exist; give a .pptx path from the project root')
        return None
    return template


def _calendar(fields: Fields, source: Source, problems: Problems) -> FiscalCalendar:
    calendar = Fields(
        fields.mapping_of("calendar"), source, problems, "calendar", CALENDAR_KEYS
    )
    return FiscalCalendar(
        start_month=calendar.number("fiscal_year_start", default=1, minimum=1, maximum=12, integer=True),
        named_by=calendar.choice("fiscal_year_named_by", NAMED_BY, "end"),
    )


def _excel_sheets(fields: Fields, source: Source, problems: Problems) -> dict[str | None, str]:
    """`excel: {sheet: Actuals, sheets: {data/finance.xlsx: Q3}}`: which sheet to read;
    the key None stands for every workbook."""
    excel = Fields(fields.mapping_of("excel"), source, problems, "excel", EXCEL_KEYS)
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


def _csv_decimals(fields: Fields, source: Source, problems: Problems) -> tuple[tuple[str | None, str], ...]:
    """`csv: {decimal: ",", files: {"data/eu/*.csv": {decimal: ","}}}`: (file pattern, decimal
    mark) in the order to try; the pattern None stands for every file."""
    csv = Fields(fields.mapping_of("csv"), source, problems, "csv", CSV_KEYS)
    decimals: list[tuple[str | None, str]] = []
    per_file = csv.mapping_of("files")
    for pattern, settings in per_file.items():
        if not isinstance(pattern, str) or not isinstance(settings, YamlMap):
            problems.error(source.at(per_file.line_of(pattern)), 'each entry of "files" must be a file pattern and its settings, like "data/eu/*.csv": {decimal: ","}')
            continue
        entry = Fields(settings, source, problems, f'the CSV settings of "{pattern}"', CSV_FILE_KEYS)
        decimals.append((pattern.strip().removeprefix("./"), entry.choice("decimal", DECIMALS, ".")))
    decimals.append((None, csv.choice("decimal", DECIMALS, ".")))
    return tuple(decimals)


def _databases(fields: Fields, source: Source, problems: Problems) -> dict[str, Database]:
    """`databases: {warehouse: {url: ..., password_env: NAME}}`: where `-- database: NAME` queries run.
    The password is never in the file: it comes from the named environment variable."""
    databases = fields.mapping_of("databases")
    found = {}
    for name, settings in databases.items():
        here = source.at(databases.line_of(name))
        if not isinstance(settings, YamlMap):
            problems.error(here, f'the database "{name}" must be a mapping like {{url: "postgresql://bi@db.example/itsm", password_env: WAREHOUSE_PASSWORD}}, not {describe(settings)}')
            continue
        entry = Fields(settings, source, problems, f'the database "{name}"', DATABASE_KEYS)
        url, password_env = entry.text("url", required=True), entry.text("password_env")
        if url is not None and _has_password(url):
            entry.error("url", f'the url of the database "{name}" holds a password; remove it and name an environment variable that holds it: password_env: {str(name).upper()}_PASSWORD')
        elif url is not None:
            found[str(name)] = Database(str(name), url, password_env, here)
    return found


def _has_password(url: str) -> bool:
    """Whether a database URL spells a password (user:password@host)."""
    credentials = url.partition("://")[2].partition("@")
    return bool(credentials[1]) and ":" in credentials[0]



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
        entry = Fields(item, source, problems, "the perspective", PERSPECTIVE_KEYS)
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
