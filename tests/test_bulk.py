"""Big long CSV files (SPEC 15): DuckDB reads and combines them per KPI and
quarter, with the same results as the row reader; any mistake sends the file
back to the row reader, so problems keep their exact lines."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from bscgen import bulk
from bscgen.compute import quarter_values
from bscgen.config import load_config
from bscgen.data import load_actuals, load_kpis
from bscgen.problems import Problems
from tests.data_projects import project
from tests.helpers import cli

pytest.importorskip("duckdb")


def raw_export(rows: int = 3000, separator: str = ",", decimal: str = ".", notes: bool = True) -> str:
    rng = random.Random(7)
    lines = [separator.join(["kpi", "period", "value"] + (["note"] if notes else []))]
    for number in range(rows):
        kpi = rng.choice(["mttr", "incidents"])
        period = f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
        value = f"{rng.uniform(0, 9):.2f}".replace(".", decimal)
        lines.append(separator.join([kpi, period, value] + ([f"INC{number % 40}" if number % 3 else ""] if notes else [])))
    lines.append(separator.join(["cost", "2026-06", "4800"] + ([""] if notes else [])))
    return "\n".join(lines) + "\n"


def values(root, bulk_bytes: int) -> tuple[dict, list]:
    """Each KPI's quarter values and notes, read with the given bulk threshold."""
    problems = Problems()
    config = load_config(root, problems)
    kpis, declared = load_kpis(root, problems)
    by_id = {k.id: k for k in kpis}
    original, bulk.BULK_BYTES = bulk.BULK_BYTES, bulk_bytes
    try:
        actuals, _ = load_actuals(root, config, by_id, declared, problems)
    finally:
        bulk.BULK_BYTES = original
    grouped = defaultdict(list)
    for actual in actuals:
        grouped[actual.kpi].append(actual)
    return {k: {q: (pytest.approx(v.value), v.note) for q, v in quarter_values(group, by_id[k].aggregate).items()}
            for k, group in grouped.items()}, actuals


@pytest.mark.parametrize(("name", "text", "config"), [
    ("a.csv", raw_export(), ""),
    ("a.csv", raw_export(separator=";", decimal=","), 'csv: {decimal: ","}\n'),
    ("a.tsv", raw_export(separator="\t", notes=False), ""),
    ("a.csv", "\ufeff" + raw_export().replace("\n", "\r\n"), ""),
], ids=["comma", "semicolon and decimal comma", "tsv", "BOM and CRLF"])
def test_combined_by_duckdb_as_by_the_row_reader(tmp_path, name, text, config):
    root = project(tmp_path, {name: text}, config)
    combined, actuals = values(root, 0)
    assert max(a.count for a in actuals) > 1  # combined per KPI and quarter
    assert combined == values(root, 10**12)[0]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.replace("\n", "\nmttr,2026-02-03,n/a,\n", 1), 'data/a.csv:2: error: in the column "value", "n/a" is not a number'),
    (lambda t: t + "nope,2026-02,1,\n", 'data/a.csv:3003: error: unknown KPI id "nope"'),
    (lambda t: t + "cost,2026-13,1,\n", 'data/a.csv:3003: error: in the period column, "2026-13" has no month 13'),
    (lambda t: t + "cost,2026-06-30,1,\n", 'data/a.csv:3003: error: the KPI "cost" uses aggregate: last and has 2026-06'),
    (lambda t: t + "\n" + "cost,2026-06,1,x,y\n", "data/a.csv:3004: error: this row has 5 cells"),
], ids=["value", "kpi", "period", "same date under last", "blank line and a wide row"])
def test_a_mistake_is_reported_at_its_line(tmp_path, monkeypatch, change, expected):
    monkeypatch.setattr(bulk, "BULK_BYTES", 0)
    root = project(tmp_path, {"a.csv": change(raw_export())})
    result = cli("check", "-s", root)
    assert result.exit_code == 1 and expected in result.output, result.output
