"""Spreadsheets bscgen writes never run a text as a formula (SPEC 22, OWASP CSV injection):
scorecard.csv and the workbooks embedded in the deck's charts."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, strategies as st

from bscgen.spreadsheets import FORMULA_STARTS, safe_cell, safe_text
from tests.helpers import build, copy_fixture

HOSTILE_NAMES = {  # KPI id: (its name in the small fixture, the hostile name)
    "cost": ("IT cost per user", '=HYPERLINK("http://evil.example","IT cost")'),
    "csat": ("Customer satisfaction", "+1+1"),
    "util": ("Utilisation", "@SUM(A1)"),
}
HOSTILE_NOTE = "-2+3"
HOSTILE_OBJECTIVE = "-C1"  # a valid id that starts like a formula: the deck's chart categories are ids


@given(st.text())
def test_a_safe_text_never_starts_like_a_formula_and_keeps_the_text(text):
    safe = safe_text(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_each_formula_start_gets_a_quote(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", [-2.5, -3, 0, 1e-9, None, True])
def test_numbers_and_other_values_are_left_alone(value):
    assert safe_cell(value) is value


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_fixture("small", tmp_path_factory.mktemp("hostile") / "p")
    kpis = project / "data" / "kpis.yaml"
    text = kpis.read_text().replace("objective: C1", f'objective: "{HOSTILE_OBJECTIVE}"')
    for old, hostile in HOSTILE_NAMES.values():
        text = text.replace(f"name: {old}\n", f"name: '{hostile}'\n")
    kpis.write_text(text)
    c1 = project / "content" / "objectives" / "c1.md"
    c1.write_text(c1.read_text().replace("id: C1", f'id: "{HOSTILE_OBJECTIVE}"'))
    actuals = project / "data" / "actuals.csv"
    actuals.write_text(actuals.read_text().replace("csat,2026-03,86,", f"csat,2026-03,86,{HOSTILE_NOTE}"))
    with (project / "bscgen.yaml").open("a") as config:
        config.write("exports: [pptx]\n")
    build(project, use_cache=False)
    return project / "site"


def test_the_hostile_names_are_in_the_project(hostile_site):
    rows = list(csv.DictReader(io.StringIO((hostile_site / "scorecard.csv").read_text())))
    assert {row["id"]: row["name"] for row in rows if row["id"] in HOSTILE_NAMES} == {
        kpi_id: "'" + hostile for kpi_id, (_, hostile) in HOSTILE_NAMES.items()}


def test_no_cell_of_scorecard_csv_is_a_formula_and_numbers_stay_numbers(hostile_site):
    for path in [hostile_site / "scorecard.csv", *sorted(hostile_site.glob("*/scorecard.csv"))]:
        rows = list(csv.reader(io.StringIO(path.read_text())))
        cells = [cell for row in rows[1:] for cell in row]
        assert cells and not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], path
        header = rows[0]
        for row in rows[1:]:
            record = dict(zip(header, row))
            assert record["objective"] in ("F1", "'" + HOSTILE_OBJECTIVE)
            for column in ("weight", "actual", "score", "previous_score"):
                if record[column]:
                    float(record[column])  # a number, written as one (no quote)
    latest = {row["id"]: row for row in csv.DictReader(io.StringIO((hostile_site / "scorecard.csv").read_text()))}
    assert float(latest["cost"]["target"]) == 4400


def embedded_workbooks(deck_path) -> list[openpyxl.Workbook]:
    with zipfile.ZipFile(deck_path) as deck:
        return [openpyxl.load_workbook(io.BytesIO(deck.read(name)))
                for name in deck.namelist() if name.endswith(".xlsx")]


def test_no_cell_of_the_decks_chart_workbooks_is_a_formula(hostile_site):
    workbooks = embedded_workbooks(hostile_site / "briefing.pptx")
    assert workbooks
    texts, numbers = [], []
    for workbook in workbooks:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}"
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
                    elif cell.value is not None:
                        numbers.append(cell.value)
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    assert "'" + HOSTILE_OBJECTIVE in texts  # the category was made safe, not dropped
    assert numbers and all(isinstance(n, (int, float)) for n in numbers)  # the scores are still numbers
