"""data.py: KPI definitions (YAML) and actuals (CSV), read file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bscgen.data import BAD_VALUES, load_actuals, load_kpis, parse_value, read_initiative_table, read_table
from bscgen.model import Config
from bscgen.periods import FiscalCalendar
from bscgen.problems import Problems, Source
from bscgen.tables import parse_csv
from tests.helpers import write_project

KPIS = """\
kpis:
  - id: cost
    name: IT cost per user
    objective: F1
    direction: down
    baseline: 5200
    target: 4500
  - id: csat
    name: Satisfaction
    objective: C1
    target: 90
"""


def kpis_from(tmp_path: Path, text: str, name: str = "kpis.yaml"):
    write_project(tmp_path, "", {})
    (tmp_path / "data" / "kpis.yaml").unlink()
    (tmp_path / "data" / name).write_text(text, encoding="utf-8")
    problems = Problems()
    kpis, declared = load_kpis(tmp_path, problems)
    return kpis, declared, [str(p) for p in problems.sorted()]


def test_kpis_are_read_with_their_positions(tmp_path: Path):
    kpis, declared, problems = kpis_from(tmp_path, KPIS)
    assert problems == []
    assert [(k.id, k.direction, k.baseline, k.target, str(k.source)) for k in kpis] == [
        ("cost", "down", 5200, 4500, "data/kpis.yaml:2"), ("csat", "up", None, 90, "data/kpis.yaml:8")]
    assert declared == {"cost": Source("data/kpis.yaml", 2), "csat": Source("data/kpis.yaml", 8)}


def test_a_kpi_with_a_mistake_is_still_declared(tmp_path: Path):
    """So CSV rows naming it do not add "unknown KPI" errors to the real one."""
    kpis, declared, problems = kpis_from(tmp_path, KPIS.replace("target: 90", "target: high"))
    assert [k.id for k in kpis] == ["cost"] and set(declared) == {"cost", "csat"}
    assert problems == ['data/kpis.yaml:11: error: "target" must be a number, not "high"']


# --- the root cause first (SPEC 16) ---------------------------------------------------


@pytest.mark.parametrize("text, name, expected", [
    ("- just\n- a list\n", "kpis.yaml", "data/kpis.yaml:1: error: the file holds a list, but KPI definitions go"),
    ("# KPIs\n\n- id: cost\n", "more.yaml", "data/more.yaml:3: error: the file holds a list"),
    ("just words\n", "kpis.yaml", 'data/kpis.yaml:1: error: the file holds "just words"'),
    ("kpis: cost\n", "kpis.yaml", 'data/kpis.yaml:1: error: "kpis" must be a list of KPI definitions'),
    ("kpi:\n  - id: cost\n", "kpis.yaml", 'data/kpis.yaml:1: error: the file has no "kpis:" key'),
    ("kpis:\n  - id: [cost]\n", "kpis.yaml", 'data/kpis.yaml:2: error: "id" must be text'),
    ("kpis:\n  - cost\n", "kpis.yaml", "data/kpis.yaml:2: error: each KPI must be a mapping"),
])
def test_a_file_of_the_wrong_shape_is_one_error_and_makes_the_ids_unknown(tmp_path: Path, text, name, expected):
    _, declared, problems = kpis_from(tmp_path, text, name)
    assert problems[0].startswith(expected), problems
    assert declared is None  # CSV rows are then not checked against the ids


def test_other_yaml_files_under_data_are_left_alone(tmp_path: Path):
    write_project(tmp_path, KPIS, {})
    (tmp_path / "data" / "notes.yaml").write_text("owner: finance\n")
    problems = Problems()
    _, declared = load_kpis(tmp_path, problems)
    assert problems.items == [] and set(declared) == {"cost", "csat"}


def test_unknown_ids_are_not_reported_while_the_kpi_file_is_broken(tmp_path: Path):
    write_project(tmp_path, "- just\n- a list\n", {"actuals.csv": "kpi,period,value\ncost,2026-01,1\n"})
    problems = Problems()
    _, declared = load_kpis(tmp_path, problems)
    assert load_actuals(tmp_path, Config(), {}, declared, problems) == ([], [])
    assert [str(p.source) for p in problems.items] == ["data/kpis.yaml:1"]


def test_a_description_nested_too_deeply_is_an_error_at_its_line(tmp_path: Path):
    text = KPIS + "    description: |\n      Why it matters.\n      " + "> " * 60 + "x\n"
    _, _, problems = kpis_from(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith("data/kpis.yaml:14: error: the Markdown here is nested")


# --- actuals -------------------------------------------------------------------------


def table(text: str, problems: Problems):
    return parse_csv(text, Source("data/a.csv"), problems)


def test_long_and_wide_layouts(tmp_path: Path):
    problems = Problems()
    declared = {"cost": Source("k", 1), "csat": Source("k", 2)}
    long = read_table(table("period,kpi,value,note\n2026-02,cost,1.5,hello\n", problems), FiscalCalendar(), declared, problems)
    wide = read_table(table("period,cost,csat\n2026-Q1,1,\n", problems), FiscalCalendar(), declared, problems)
    assert [(a.kpi, a.value, str(a.quarter), a.note, str(a.source)) for a in long + wide] == [
        ("cost", 1.5, "2026-Q1", "hello", "data/a.csv:2"), ("cost", 1.0, "2026-Q1", None, "data/a.csv:2")]
    assert problems.items == []


def test_a_table_of_initiatives_holds_spend_and_progress():
    """SPEC 19: a header with `initiative` instead of `kpi`; empty cells are no value."""
    problems = Problems()
    text = "initiative,period,spend,progress\nI1,2026-02,1500.5,\nI1,2026-Q2,,40\nI2,2026-05-31,20,100\nI2,2026-06,,\n"
    read = read_initiative_table(table(text, problems), FiscalCalendar(), problems)
    assert problems.items == []
    assert [(r.initiative, str(r.quarter), str(r.day), r.spend, r.progress, str(r.source)) for r in read] == [
        ("I1", "2026-Q1", "2026-02-28", 1500.5, None, "data/a.csv:2"),
        ("I1", "2026-Q2", "2026-06-30", None, 40.0, "data/a.csv:3"),
        ("I2", "2026-Q2", "2026-05-31", 20.0, 100.0, "data/a.csv:4"),
    ]


def test_row_mistakes_carry_a_kind_so_repeats_can_be_summarised():
    problems = Problems()
    rows = "".join(f"cost,2026-01-{day:02d},n/a\n" for day in range(1, 4)) + "cost,2026-13,1\nnope,2026-01,1\n"
    read_table(table("kpi,period,value\n" + rows, problems), FiscalCalendar(), {"cost": Source("k", 1)}, problems)
    assert [(p.source.line, p.kind) for p in problems.sorted()] == [
        (2, BAD_VALUES), (3, BAD_VALUES), (4, BAD_VALUES),
        (5, "rows whose period cannot be read"), (6, "rows naming an unknown KPI id")]


@pytest.mark.parametrize("text, words", [
    ("12.5", None), ("-1e3", None), ("1,234", "thousands separator"), ("81%", "% sign"),
    ("81,5", "decimal comma"), ("n/a", "not a number"),
])
def test_parse_value(text: str, words: str | None):
    value = parse_value(text)
    assert value == float(text) if words is None else words in value
