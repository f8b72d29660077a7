"""Where each value comes from (SPEC 12.3): the rows behind every quarter's actual,
how they combined, carried-forward values, links into the repository."""

import json
from pathlib import Path

import openpyxl

from bscgen import site
from tests.helpers import write_project

KPIS = """\
kpis:
  - {id: cost, name: Cost, objective: F1, direction: down, baseline: 100, target: 50, aggregate: mean}
  - {id: csat, name: CSAT, objective: C1, target: 90, carry_forward: 2}
  - {id: wide, name: Wide, objective: C1, target: 10}
  - {id: sheet, name: Sheet, objective: F1, target: 10}
"""
LONG = "kpi,period,value\ncost,2026-01,80\ncost,2026-02,70\ncost,2026-03,60\ncsat,2025-12,70\n"
WIDE = "period,wide\n2025-Q4,5\n2026-Q1,6\n"
REPO = "repo_url: https://git.example/it/scorecard\nedit_uri: blob/main/\n"


def project(tmp_path: Path, config_extra: str = "") -> Path:
    from tests.helpers import CONFIG

    root = write_project(tmp_path / "p", KPIS, {"actuals/long.csv": LONG, "wide.csv": WIDE}, config=CONFIG + config_extra)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actuals"
    for row in (["kpi", "period", "value"], ["sheet", "2026-Q1", 4]):
        sheet.append(row)
    book.save(root / "data" / "finance.xlsx")
    site.build(root, root / "site", use_cache=False)
    return root


def sources(root: Path, quarter: str = "") -> dict:
    data = json.loads((root / "site" / (f"{quarter}/" if quarter else "") / "scorecard.json").read_text())
    return {k["id"]: k["sources"] for p in data["perspectives"] for o in p["objectives"] for k in o["kpis"]}


def test_sources_of_long_wide_xlsx_and_carried_forward_values(tmp_path):
    root = project(tmp_path)
    found = sources(root)  # 2026-Q1
    assert found["cost"] == [{"path": "data/actuals/long.csv", "line": n} for n in (2, 3, 4)]
    assert found["wide"] == [{"path": "data/wide.csv", "line": 3}]
    assert found["sheet"] == [{"path": "data/finance.xlsx", "line": 2, "cell": "Actuals!C2"}]
    assert found["csat"] == [{"path": "data/actuals/long.csv", "line": 5}]  # carried forward from 2025-Q4
    assert sources(root, "2025-Q4")["cost"] == []


def test_the_kpi_page_shows_each_quarters_sources(tmp_path):
    root = project(tmp_path, REPO)
    cost = (root / "site" / "kpis" / "cost" / "index.html").read_text()
    assert "mean of 3 values:" in cost
    assert '<a href="https://git.example/it/scorecard/blob/main/data/actuals/long.csv#L3"><code>data/actuals/long.csv:3</code></a>' in cost
    csat = (root / "site" / "kpis" / "csat" / "index.html").read_text()
    assert "1 value, carried forward from 2025 Q4:" in csat
    sheet = (root / "site" / "kpis" / "sheet" / "index.html").read_text()
    assert '<a href="https://git.example/it/scorecard/blob/main/data/finance.xlsx"><code>data/finance.xlsx:Actuals!C2</code></a>' in sheet


def test_thousands_of_event_rows_read_as_a_count(tmp_path):
    from tests.helpers import CONFIG

    rows = "kpi,period,value\n" + "".join(f"cost,2026-01-{1 + n % 28:02d},{50 + n % 40}\n" for n in range(3000))
    root = write_project(tmp_path / "p", KPIS.split("  - {id: csat")[0], {"events.csv": rows}, config=CONFIG)
    site.build(root, root / "site", use_cache=False)
    page = (root / "site" / "kpis" / "cost" / "index.html").read_text()
    assert "mean of 3000 values:" in page and "and 2995 more rows" in page
    assert page.count("<code>data/events.csv:") == 5


def test_edit_this_page_with_repo_url_and_edit_uri(tmp_path):
    root = project(tmp_path, REPO)
    objective = (root / "site" / "objectives" / "F1" / "index.html").read_text()
    assert '<a href="https://git.example/it/scorecard/blob/main/content/objectives/f1.md">Edit this page</a>' in objective
    plain = project(tmp_path / "plain")
    assert "Edit this page" not in (plain / "site" / "objectives" / "F1" / "index.html").read_text()
