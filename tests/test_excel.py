"""Excel actuals: .xlsx files under data/ read like CSV, errors at their cell."""

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import cli_build as build
from tests.helpers import copy_fixture

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture
def project(tmp_path):
    root = copy_fixture("small", tmp_path / "p")
    (root / "data" / "actuals.csv").unlink()
    return root


def workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def kpis(project: Path) -> dict:
    data = json.loads((project / "site" / "scorecard.json").read_text())
    return {k["id"]: k for p in data["perspectives"] for o in p["objectives"] for k in o["kpis"]}


def test_long_layout_with_excel_dates_and_numbers(project):
    workbook(project / "data" / "actuals.xlsx", {"Actuals": [
        ["kpi", "period", "value", "note"],
        ["cost", datetime(2026, 1, 31), 4600, None],
        ["cost", "2026-02", 4500.0, "February"],
        ["csat", "2026-Q1", 86, None],
        ["util", "2026-03", 85, None],
        ["survey", "2026-Q1", 60, None],
    ]})
    result = build(project)
    assert result.exit_code == 0, result.output
    values = kpis(project)
    assert values["cost"]["actual"] == 4550 and values["csat"]["actual"] == 86


def test_wide_layout_and_a_configured_sheet(project):
    workbook(project / "data" / "finance.xlsx", {
        "Notes": [["this sheet is not data"]],
        "Quarterly": [["period", "cost", "csat", "util", "survey"], ["2026-Q1", 4550, 86, 85, 60]],
    })
    config = project / "bscgen.yaml"
    config.write_text(config.read_text() + "excel:\n  sheets: {data/finance.xlsx: Quarterly}\n")
    result = build(project)
    assert result.exit_code == 0, result.output
    assert kpis(project)["util"]["actual"] == 85


def test_errors_name_the_sheet_and_cell(project):
    workbook(project / "data" / "actuals.xlsx", {"Actuals": [
        ["kpi", "period", "value"],
        ["cost", "2026-01", "n/a"],
        ["cost", "2026-13", 5],
        ["nope", "2026-01", 5],
    ]})
    result = build(project)
    assert result.exit_code == 1
    assert 'data/actuals.xlsx:Actuals!C2: error: in the column "value", "n/a" is not a number' in result.output
    assert 'data/actuals.xlsx:Actuals!B3: error: in the period column, "2026-13" has no month 13' in result.output
    assert 'data/actuals.xlsx:Actuals!A4: error: unknown KPI id "nope"' in result.output
    assert "Traceback" not in result.output


def test_wide_header_errors_name_the_cell(project):
    workbook(project / "data" / "w.xlsx", {"Data": [["period", "cost", "zzz"], ["2026-Q1", 1, 2]]})
    result = build(project)
    assert 'data/w.xlsx:Data!C1: error: unknown KPI id "zzz"' in result.output


def test_missing_sheet_and_damaged_workbook(project):
    workbook(project / "data" / "a.xlsx", {"One": [["kpi", "period", "value"]]})
    (project / "data" / "b.xlsx").write_bytes(b"not a zip file")
    config = project / "bscgen.yaml"
    config.write_text(config.read_text() + "excel:\n  sheet: Actuals\n")
    result = build(project)
    assert result.exit_code == 1
    assert 'data/a.xlsx: error: the workbook has no sheet "Actuals"; it has: One' in result.output
    assert "data/b.xlsx: error: this is not a readable Excel workbook" in result.output


def test_without_openpyxl_the_error_names_the_extra(project, monkeypatch):
    workbook(project / "data" / "a.xlsx", {"One": [["kpi", "period", "value"], ["cost", "2026-01", 1]]})
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = build(project)
    assert result.exit_code == 1
    assert 'data/a.xlsx: error: reading Excel files needs the excel extra: pip install "bscgen[excel]"' in result.output
