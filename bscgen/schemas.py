"""JSON Schemas (draft 2020-12) of the files authors write, for editors.

Each record's properties come from the key tuples the loaders check
(`config.TOP_KEYS`, `content.OBJECTIVE_KEYS`, `data.KPI_KEYS`, ...), with
`additionalProperties: false`, so a schema accepts exactly the keys bscgen
does. The types are given here, key by key: a key added to a loader without a
type here (or a type left for a key removed) is a `SchemaGap`, which the
tests and `bscgen schema` report. What a schema cannot say (references to
other files, a target against its baseline) is left to `bscgen check`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bscgen import config, content, data, events
from bscgen.model import AGGREGATES, DIRECTIONS, FREQUENCIES, INITIATIVE_STATUSES
from bscgen.schema import BANDS_KEYS, ID_RE

DRAFT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = "# yaml-language-server: $schema={}"  # what VS Code's YAML extension reads

# --- value types, as the loader's getters take them (schema.Fields) ---------------

TEXT = {"type": ["string", "number"]}  # Fields.text takes a number as its text
ID = {"type": ["string", "integer"], "pattern": ID_RE.pattern}
IDS = {"anyOf": [ID, {"type": "array", "items": ID}]}  # Fields.id_list: one id or a list
NUMBER = {"type": "number"}
WEIGHT = {"type": "number", "minimum": 0}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}  # YYYY-MM-DD, as messages ask
MAPPING = {"type": "object"}  # extra: fields of the author's own
PAIR = {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2}  # a range KPI's [low, high]
BOUND = {"anyOf": [NUMBER, PAIR]}
VISIBLE_TO = {"anyOf": [ID, {"type": "array", "items": ID, "minItems": 1}]}


class SchemaGap(Exception):
    """A loader's key without a type here, or a type for a key no loader reads."""


def whole(minimum: int | None = None, maximum: int | None = None) -> dict[str, Any]:
    bounds = {"minimum": minimum, "maximum": maximum}
    return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}


def one_of(choices) -> dict[str, Any]:
    return {"enum": list(choices)}


def record(what: str, keys: tuple[str, ...], types: dict[str, Any], required: tuple[str, ...] = (),
           **more: Any) -> dict[str, Any]:
    """A mapping with exactly the loader's `keys`, each of its type."""
    untyped, unknown = [k for k in keys if k not in types], [k for k in types if k not in keys]
    if untyped or unknown:
        raise SchemaGap(f"the schema of {what} has no type for {untyped} and types for keys bscgen does not read: {unknown}")
    schema = {"type": "object", "properties": {key: types[key] for key in keys}, "additionalProperties": False}
    return schema | ({"required": list(required)} if required else {}) | more


def list_of(item: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"type": "array", "items": item, **more}


def map_of(value: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": value}


BANDS = record("bands", BANDS_KEYS, {"green": WEIGHT, "amber": WEIGHT})


# --- bscgen.yaml ------------------------------------------------------------------


def config_schema() -> dict[str, Any]:
    perspective = record("a perspective", config.PERSPECTIVE_KEYS, {"id": ID, "title": TEXT, "weight": WEIGHT},
                         required=("id",))
    goal = record("a goal", config.GOAL_KEYS, {"id": ID, "title": TEXT, "url": TEXT, "visible_to": VISIBLE_TO},
                  required=("id", "title"))
    child = record("a child scorecard", config.SCORECARD_KEYS,
                   {"id": ID, "path": TEXT, "url": TEXT, "visible_to": VISIBLE_TO}, required=("id", "path"))
    decimal = one_of(config.DECIMALS)
    types = {
        "title": TEXT, "organization": TEXT, "base_url": TEXT, "theme": TEXT,
        "calendar": record("calendar", config.CALENDAR_KEYS, {
            "fiscal_year_start": whole(1, 12), "fiscal_year_named_by": one_of(config.NAMED_BY)}),
        "scoring": record("scoring", config.SCORING_KEYS, {"cap": {"type": "number", "minimum": 1}, "bands": BANDS}),
        "perspectives": list_of(perspective, minItems=1),
        "goals": record("goals", config.GOALS_KEYS, {"title": TEXT, "items": list_of(goal)}),
        "scorecards": list_of(child),
        "excel": record("excel", config.EXCEL_KEYS, {"sheet": TEXT, "sheets": map_of({"type": "string"})}),
        "csv": record("csv", config.CSV_KEYS, {
            "decimal": decimal,
            "files": map_of(record("a file's CSV settings", config.CSV_FILE_KEYS, {"decimal": decimal}))}),
        "databases": map_of(record("a database", config.DATABASE_KEYS, {"url": TEXT, "password_env": TEXT},
                                   required=("url",))),
        "exports": {"anyOf": [one_of(config.EXPORTS), list_of(one_of(config.EXPORTS))]},
        "paper": one_of(config.PAPERS),
        "pptx_template": TEXT,
        "data": record("data", config.DATA_KEYS, {"due_days": whole(0)}),
        "repo_url": TEXT, "edit_uri": TEXT, "extra": MAPPING,
        "audiences": list_of(record("an audience", config.AUDIENCE_KEYS, {"id": ID, "title": TEXT}, required=("id",))),
        "portfolio": record("portfolio", config.PORTFOLIO_KEYS, {"amber": WEIGHT, "red": WEIGHT}),
        "language": one_of(config.LANGUAGES),
        "locale": {"type": "string", "pattern": "^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    }
    return record(config.CONFIG_FILE, config.TOP_KEYS, types)


# --- data/**/*.yaml: KPIs and events ------------------------------------------------


def kpi_schema() -> dict[str, Any]:
    link = record('"from"', data.LINK_KEYS, {key: ID for key in data.LINK_KEYS}, required=("scorecard",),
                  maxProperties=2)
    types = {
        "id": ID, "name": TEXT, "objective": ID, "unit": TEXT, "decimals": whole(0, 10),
        "direction": one_of(DIRECTIONS), "baseline": BOUND, "target": BOUND,
        "targets": {"type": "object", "propertyNames": {"pattern": r"^\d{4}(-Q[1-4])?$"}, "additionalProperties": BOUND},
        "weight": WEIGHT, "aggregate": one_of(AGGREGATES), "carry_forward": whole(0), "bands": BANDS,
        "source": TEXT, "description": TEXT, "from": link, "owner": TEXT, "frequency": one_of(FREQUENCIES),
        "due_days": whole(0), "visible_to": VISIBLE_TO,
    }
    kpi = record("a KPI", data.KPI_KEYS, types, required=("id", "name", "objective"), allOf=[
        # a KPI fed by a child's score has the target 100 unless it says otherwise
        {"if": {"not": {"required": ["from"]}}, "then": {"required": ["target"]}},
        {"if": _is("direction", "range"), "then": {
            "required": ["baseline"],
            "properties": {"target": PAIR, "baseline": PAIR, "targets": {"additionalProperties": PAIR}}},
         "else": {"properties": {"target": NUMBER, "baseline": NUMBER, "targets": {"additionalProperties": NUMBER}}}},
        {"if": {"allOf": [_is("direction", "down"), {"not": {"required": ["from"]}}]},
         "then": {"required": ["baseline"]}},
    ])
    return {"type": "object", "properties": {"kpis": list_of(kpi)}, "required": ["kpis"]}


def _is(key: str, value: str) -> dict[str, Any]:
    return {"required": [key], "properties": {key: {"const": value}}}


def event_schema() -> dict[str, Any]:
    types = {
        "id": ID, "title": TEXT, "date": DATE, "start": DATE, "end": DATE, "kpis": IDS, "objectives": IDS,
        "perspectives": IDS, "initiative": ID, "description": TEXT, "visible_to": VISIBLE_TO,
    }
    event = record("an event", events.EVENT_KEYS, types, required=("id", "title"),
                   dependentRequired={"start": ["end"], "end": ["start"]},
                   oneOf=[{"required": ["date"]}, {"required": ["start"]}])  # a day, or a period; not both
    return {"type": "object", "properties": {"events": list_of(event)}, "required": ["events"]}


# --- front matter of content/**/*.md --------------------------------------------------


def objective_schema() -> dict[str, Any]:
    cascade = {"type": "string", "pattern": content.CASCADE_RE.pattern}
    types = {
        "id": ID, "title": TEXT, "perspective": ID, "owner": TEXT, "weight": WEIGHT, "order": NUMBER,
        "supports": IDS, "serves": IDS, "cascade": {"anyOf": [cascade, list_of(cascade)]}, "extra": MAPPING,
        "visible_to": VISIBLE_TO,
    }
    return record("an objective", content.OBJECTIVE_KEYS, types, required=("id", "title", "perspective"))


def initiative_schema() -> dict[str, Any]:
    types = {
        "id": ID, "title": TEXT, "objectives": {"anyOf": [ID, list_of(ID, minItems=1)]}, "owner": TEXT,
        "status": one_of(INITIATIVE_STATUSES), "progress": {"type": "number", "minimum": 0, "maximum": 100},
        "start": DATE, "due": DATE, "budget": {"type": "number", "exclusiveMinimum": 0},
        "plan": {"type": "object", "propertyNames": {"pattern": r"^\d{4}-Q[1-4]$"},
                 "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100}},
        "milestones": list_of(record("a milestone", content.MILESTONE_KEYS, {
            "title": TEXT, "due": DATE, "done": DATE, "event": {"type": "boolean"}}, required=("title", "due"))),
        "extra": MAPPING, "visible_to": VISIBLE_TO,
    }
    return record("an initiative", content.INITIATIVE_KEYS, types, required=("id", "title", "objectives"))


def page_schema() -> dict[str, Any]:
    return record("a page text", content.DOCUMENT_KEYS, {"title": TEXT, "extra": MAPPING})


def commentary_schema() -> dict[str, Any]:
    return record("a commentary", content.COMMENTARY_KEYS, {"title": TEXT, "extra": MAPPING, "visible_to": VISIBLE_TO})


# --- the files `bscgen schema` writes --------------------------------------------------

# file name -> (what it describes, the schema)
SCHEMAS = {
    "bscgen.schema.json": ("bscgen.yaml", config_schema),
    "kpis.schema.json": ("KPI definitions: data/**/*.yaml with a top-level kpis: list", kpi_schema),
    "events.schema.json": ("events: data/**/*.yaml with a top-level events: list", event_schema),
    "objective.schema.json": ("the front matter of an objective, content/objectives/**/*.md", objective_schema),
    "initiative.schema.json": ("the front matter of an initiative, content/initiatives/**/*.md", initiative_schema),
    "page.schema.json": ("the front matter of a page text, content/index.md and content/perspectives/*.md", page_schema),
    "commentary.schema.json": ("the front matter of a commentary, content/commentary/<quarter>/*.md", commentary_schema),
}


def schema_files(version: str) -> dict[str, str]:
    """File name -> its text: every schema, as `bscgen schema` writes it."""
    files = {}
    for name, (what, make) in SCHEMAS.items():
        schema = {"$schema": DRAFT, "title": f"bscgen: {what}",
                  "$comment": f"Written by bscgen {version} (bscgen schema); write it again after upgrading."} | make()
        files[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return files


def write_schemas(folder: Path, version: str) -> list[Path]:
    """Write every schema into `folder` (made if needed); the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files(version).items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
