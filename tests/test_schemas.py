"""Editor schemas (SPEC 22): `bscgen schema` writes JSON Schemas (draft 2020-12) made from
the loaders' own keys; they accept every file of the example and the starter, and reject
the key and type errors the loader rejects."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from bscgen import __version__, data, schemas
from bscgen.new import STARTER
from tests.helpers import REPO, cli, copy_fixture
from tests.test_errors import CASES, write_files

VALIDATORS = {name: Draft202012Validator(json.loads(text)) for name, text in schemas.schema_files(__version__).items()}
FRONT_MATTER = re.compile(r"\A---\n(.*?)^---\n", re.S | re.M)
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


def as_json(value: Any) -> Any:
    """A value as an editor's YAML 1.2 reading hands it to the schema: keys are text,
    dates are text (YAML 1.1, as PyYAML reads it, makes them dates)."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def schema_for(relative: str, document: Any) -> str | None:
    """The schema of a project file, as the docs say to map them; None for other files."""
    parts = relative.split("/")
    if relative == "bscgen.yaml":
        return "bscgen.schema.json"
    if parts[0] == "data" and relative.endswith((".yaml", ".yml")) and isinstance(document, dict):
        return "kpis.schema.json" if "kpis" in document else "events.schema.json" if "events" in document else None
    if parts[0] != "content" or not relative.endswith(".md"):
        return None
    kinds = {"objectives": "objective", "initiatives": "initiative", "commentary": "commentary", "perspectives": "page"}
    return f"{kinds.get(parts[1], 'page')}.schema.json"


def read(path: Path) -> Any:
    """The YAML document of a YAML file, or the front matter of a Markdown file (None if it has none)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        match = FRONT_MATTER.match(text)
        text = match[1] if match else None
    return None if text is None else as_json(yaml.safe_load(text))


def schema_errors(project: Path, relative: str) -> list[str] | None:
    """Why the schema of a project file rejects it ([] if it accepts it); None if no schema applies."""
    if not relative.endswith((".yaml", ".yml", ".md")):
        return None
    document = read(project / relative)
    name = schema_for(relative, document)
    if name is None or (document is None and relative.endswith(".md")):
        return None
    return [f"{relative}: {error.json_path}: {error.message}" for error in VALIDATORS[name].iter_errors(document)]


def project_files(project: Path) -> list[str]:
    return sorted(p.relative_to(project).as_posix() for p in project.rglob("*")
                  if p.is_file() and (p.name == "bscgen.yaml" or p.parts[len(project.parts)] in ("data", "content")))


# --- the schemas themselves ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VALIDATORS))
def test_every_schema_is_a_valid_draft_2020_12_schema(name):
    schema = VALIDATORS[name].schema
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_key_the_loader_reads_without_a_type_in_the_schema_is_a_gap(monkeypatch):
    monkeypatch.setattr(data, "KPI_KEYS", (*data.KPI_KEYS, "new_key"))
    with pytest.raises(schemas.SchemaGap, match="new_key"):
        schemas.kpi_schema()


def test_the_schemas_have_exactly_the_loaders_keys():
    from bscgen import config, content

    assert list(VALIDATORS["bscgen.schema.json"].schema["properties"]) == list(config.TOP_KEYS)
    assert list(VALIDATORS["objective.schema.json"].schema["properties"]) == list(content.OBJECTIVE_KEYS)
    assert list(VALIDATORS["initiative.schema.json"].schema["properties"]) == list(content.INITIATIVE_KEYS)
    kpi = VALIDATORS["kpis.schema.json"].schema["properties"]["kpis"]["items"]
    assert list(kpi["properties"]) == list(data.KPI_KEYS) and kpi["additionalProperties"] is False


# --- valid files are accepted ---------------------------------------------------------


def example_projects() -> list[Path]:
    """The example at the repository root and its children under scorecards/."""
    return [REPO, *sorted(p.parent for p in (REPO / "scorecards").glob("*/bscgen.yaml"))]


@pytest.mark.parametrize("project", [*example_projects(), STARTER], ids=lambda p: p.relative_to(REPO).as_posix() or "example")
def test_the_schemas_accept_every_file_of_the_example_and_the_starter(project):
    checked, errors = 0, []
    for relative in project_files(project):
        found = schema_errors(project, relative)
        if found is not None:
            checked += 1
            errors += found
    assert checked >= 4, "hardly a file was checked"
    assert errors == []


def test_bscgen_new_writes_the_schemas_its_yaml_files_name(tmp_path):
    project = tmp_path / "new"
    assert cli("new", project).exit_code == 0
    yaml_files = sorted(project.rglob("*.yaml"))
    assert yaml_files
    for path in yaml_files:
        named = MODELINE.search(path.read_text(encoding="utf-8").splitlines()[0])
        assert named, f"{path.relative_to(project)} has no yaml-language-server line first"
        schema = (path.parent / named[1]).resolve()
        relative = path.relative_to(project).as_posix()
        assert schema.name == schema_for(relative, read(path)) and schema.is_file(), relative
        assert schema_errors(project, relative) == []


def test_bscgen_schema_writes_every_schema_into_the_folder(tmp_path):
    result = cli("schema", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(schemas.SCHEMAS)
    assert "yaml-language-server: $schema=" in result.stderr
    assert json.loads((tmp_path / "out" / "kpis.schema.json").read_text()) == VALIDATORS["kpis.schema.json"].schema


# --- errors are rejected ----------------------------------------------------------------

VALID = {
    "bscgen.schema.json": {"title": "T", "perspectives": [{"id": "financial", "title": "Financial"}]},
    "kpis.schema.json": {"kpis": [{"id": "cost", "name": "Cost", "objective": "F1", "target": 10}]},
    "events.schema.json": {"events": [{"id": "new-service-desk", "title": "New service desk live",
                                       "date": "2026-03-15", "kpis": ["ftf-resolution", "csat"], "initiative": "I3"}]},
    "objective.schema.json": {"id": "F1", "title": "T", "perspective": "financial"},
    "initiative.schema.json": {"id": "I1", "title": "T", "objectives": ["F1"]},
    "page.schema.json": {"title": "T"},
    "commentary.schema.json": {"title": "T", "visible_to": ["leadership"]},
}


def innermost(name: str, document: dict) -> dict:
    """The record a key goes into: the first KPI or event of a file of them."""
    return document["kpis"][0] if "kpis" in document else document["events"][0] if "events" in document else document


@pytest.mark.parametrize("name", sorted(VALID))
def test_an_unknown_key_is_rejected_as_the_loader_rejects_it(name):
    document = json.loads(json.dumps(VALID[name]))
    assert list(VALIDATORS[name].iter_errors(document)) == []
    innermost(name, document)["ower"] = "Me"
    errors = list(VALIDATORS[name].iter_errors(document))
    assert errors and "'ower' was unexpected" in errors[0].message


@pytest.mark.parametrize("event, why", [
    ({"date": "2026-03-15", "start": "2026-03-01", "end": "2026-03-31"}, "both a date and a period"),
    ({"start": "2026-03-01"}, "a period without its end"),
    ({}, "neither a date nor a period"),
    ({"date": "soon"}, "a date not written YYYY-MM-DD"),
    ({"date": "2026-03-15", "kpis": {"a": 1}}, "kpis as a mapping"),
])
def test_event_mistakes_are_rejected(event, why):
    document = {"events": [{"id": "e1", "title": "An event", **event}]}
    assert list(VALIDATORS["events.schema.json"].iter_errors(document)), why


# The error fixtures of tests/test_errors.py that are a key or a type error: those a schema
# of one file can see. The others need more than a schema (a reference to another file, a
# target against its baseline, a key written twice, YAML that does not parse, CSV).
KEY_AND_TYPE_ERRORS = (
    "config-not-a-mapping", "front-matter-not-a-mapping", "kpis-not-a-list",
    "unknown-key-config", "unknown-key-config-calendar", "unknown-key-objective", "unknown-key-kpi",
    "home-page-unknown-key",
    "objective-missing-id", "objective-missing-title", "objective-missing-perspective", "kpi-missing-id",
    "kpi-missing-name", "kpi-missing-objective", "kpi-missing-target", "initiative-missing-objectives",
    "down-kpi-without-baseline", "range-kpi-without-baseline",
    "objective-weight-not-a-number", "kpi-decimals-not-whole", "supports-is-a-mapping", "objective-bad-id",
    "kpi-bad-id", "kpi-bad-direction", "kpi-bad-aggregate", "targets-bad-quarter", "range-target-not-a-pair",
    "kpi-negative-weight", "objective-negative-weight", "fiscal-year-start-13", "fiscal-year-named-by-middle",
    "scoring-cap-zero", "initiative-bad-status", "initiative-progress-150", "initiative-bad-date",
)
SCHEMA_CASES = [case for case in CASES if case.id in KEY_AND_TYPE_ERRORS]


def test_every_key_and_type_error_named_is_an_error_fixture():
    assert sorted(case.id for case in SCHEMA_CASES) == sorted(KEY_AND_TYPE_ERRORS)


@pytest.mark.parametrize(("files", "expected"), SCHEMA_CASES)
def test_the_schema_rejects_the_key_and_type_errors_the_loader_rejects(tmp_path, files, expected):
    project = copy_fixture("small", tmp_path / "p")
    write_files(project, files)
    result = cli("check", "-s", project)
    assert result.exit_code == 1 and f"{expected[0][0]}:{expected[0][1]}: error:" in result.stderr, result.output
    found = [schema_errors(project, relative) for relative, text in files.items() if text is not None]
    assert [errors for errors in found if errors is not None], "no schema applies to the files of this case"
    assert any(found), f"the loader rejects {sorted(files)} but the schema accepts it"
