"""Data status (SPEC 12.2): report periods, due dates and states around their boundaries,
`bscgen status` and its exit codes, and the data status page."""

import json
from datetime import date

import pytest

from bscgen import site
from bscgen.datastatus import report_period
from bscgen.periods import FiscalCalendar
from tests.helpers import cli, write_project

APRIL = FiscalCalendar(start_month=4, named_by="end")  # fiscal 2027 runs April 2026 to March 2027


@pytest.mark.parametrize("frequency, as_of, expected", [
    # monthly: a month is due 20 days after it ends
    ("monthly", date(2026, 11, 20), "2026-10"),  # the boundary day itself: due today
    ("monthly", date(2026, 11, 19), "2026-09"),
    ("monthly", date(2026, 1, 20), "2025-12"),
    # quarterly, fiscal year from April: 2027-Q2 is July-September 2026
    ("quarterly", date(2026, 10, 20), "2027-Q2"),
    ("quarterly", date(2026, 10, 19), "2027-Q1"),
    ("quarterly", date(2026, 4, 20), "2026-Q4"),  # January-March 2026
    # annual: fiscal 2026 ends on 31 March 2026
    ("annual", date(2026, 4, 20), "2026"),
    ("annual", date(2026, 4, 19), "2025"),
])
def test_report_period_under_an_april_fiscal_year(frequency, as_of, expected):
    assert report_period(frequency, 20, as_of, APRIL).label == expected


KPIS = """\
kpis:
  - {id: monthly, name: Monthly, objective: F1, target: 10, frequency: monthly, owner: Finance}
  - {id: quarterly, name: Quarterly, objective: F1, target: 10, owner: Finance, due_days: 10}
  - {id: annual, name: Annual, objective: C1, target: 10, frequency: annual}
  - {id: carried, name: Carried, objective: C1, target: 10, carry_forward: 2}
"""
CONFIG = """\
title: Status
calendar: {fiscal_year_start: 4}
data: {due_days: 20}
perspectives:
  - {id: financial, title: Financial}
  - {id: customer, title: Customer}
"""
CSV = "kpi,period,value\nmonthly,2026-09,1\nquarterly,2027-Q1,1\nannual,2026-03,1\ncarried,2026-Q4,1\n"


def status(project, epoch: int, *args) -> tuple[int, dict]:
    result = cli("status", "-s", project, "--json", *args, env={"SOURCE_DATE_EPOCH": str(epoch)})
    return result.exit_code, json.loads(result.output)


def epoch(day: date) -> int:
    return int((day - date(1970, 1, 1)).total_seconds())


@pytest.mark.parametrize("day, states, code", [
    # 2026-10-20: September is due (delivered); 2027-Q2 due with 20 days, but `quarterly` has 10: 2027-Q2 due 10-10
    (date(2026, 10, 20), {"monthly": "current", "quarterly": "late", "annual": "current", "carried": "stale"}, 3),
    # 2026-10-09: September is not yet due, and August has no value; quarterly's 2027-Q2 is not yet due
    (date(2026, 10, 9), {"monthly": "late", "quarterly": "current", "annual": "current", "carried": "stale"}, 3),
    # 2026-07-10: June is due and missing; quarterly's 2027-Q1 is due on this very day, and delivered
    (date(2026, 7, 10), {"monthly": "late", "quarterly": "current", "annual": "current", "carried": "current"}, 3),
    # 2026-11-20: October is due and missing; `carried`'s 2026-Q4 value still covers 2027-Q2 (2 back)
    (date(2026, 11, 20), {"monthly": "late", "quarterly": "late", "annual": "current", "carried": "stale"}, 3),
    # 2027-01-20: 2027-Q3 is due; 2026-Q4 is 3 quarters back: carry_forward 2 no longer covers it
    (date(2027, 1, 20), {"monthly": "late", "quarterly": "late", "annual": "current", "carried": "late"}, 3),
])
def test_states_around_due_dates(tmp_path, day, states, code):
    project = write_project(tmp_path / "p", KPIS, {"a.csv": CSV}, config=CONFIG)
    exit_code, data = status(project, epoch(day))
    assert exit_code == code
    assert data["as_of"] == day.isoformat()
    assert {k["id"]: k["state"] for k in data["kpis"]} == states


def test_json_schema_owners_and_the_owner_option(tmp_path):
    project = write_project(tmp_path / "p", KPIS, {"a.csv": CSV}, config=CONFIG)
    _, data = status(project, epoch(date(2026, 10, 20)))
    first = data["kpis"][0]
    assert list(first) == ["id", "owner", "frequency", "report_period", "due", "state", "last_value_date"]
    assert first == {"id": "quarterly", "owner": "Finance", "frequency": "quarterly", "report_period": "2027-Q2",
                     "due": "2026-10-10", "state": "late", "last_value_date": "2026-06-30"}
    owners = {k["id"]: k["owner"] for k in data["kpis"]}
    assert owners["annual"] == "No owner"  # neither the KPI nor its objective names one
    code, only = status(project, epoch(date(2026, 10, 20)), "--owner", "Finance")
    assert code == 3 and {k["id"] for k in only["kpis"]} == {"monthly", "quarterly"}
    result = cli("status", "-s", project, "--owner", "Nobody")
    assert result.exit_code == 2 and 'no KPI has the owner "Nobody"' in result.output


def test_text_output_groups_by_owner_late_first(tmp_path):
    project = write_project(tmp_path / "p", KPIS, {"a.csv": CSV}, config=CONFIG)
    result = cli("status", "-s", project, env={"SOURCE_DATE_EPOCH": str(epoch(date(2026, 11, 20)))})
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[0] == "Data status as of 2026-11-20: 2 KPIs late, 1 owner"
    assert lines[2] == "Finance: 2 late, 0 stale, 0 current"


def test_bad_fields_are_errors_at_their_line(tmp_path):
    kpis = KPIS.replace("frequency: monthly", "frequency: weekly").replace("due_days: 10", "due_days: -1")
    project = write_project(tmp_path / "p", kpis, {"a.csv": CSV}, config=CONFIG.replace("due_days: 20", "due_days: soon"))
    result = cli("check", "-s", project)
    assert result.exit_code == 1
    assert 'data/kpis.yaml:2: error: "frequency" must be one of monthly, quarterly, annual, not "weekly"' in result.output
    assert 'data/kpis.yaml:3: error: "due_days" must be at least 0, not -1' in result.output
    assert 'bscgen.yaml:3: error: "due_days" must be a whole number, not "soon"' in result.output


def test_the_data_status_page_is_at_the_root_only(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch(date(2026, 10, 20))))
    project = write_project(tmp_path / "p", KPIS, {"a.csv": CSV}, config=CONFIG)
    site.build(project, project / "site", use_cache=False)
    page = (project / "site" / "data-status" / "index.html").read_text()
    assert "As of 2026-10-20: 1 KPI late, 1 owner" in page
    assert page.index("<h2 id=\"owner-1\">Finance</h2>") < page.index("No owner")
    home = (project / "site" / "index.html").read_text()
    assert 'Data: <a href="data-status/index.html">1 KPI late, 1 owner</a>' in home
    quarter = sorted(p for p in (project / "site").iterdir() if p.name.startswith("20"))[-1]
    assert not (quarter / "data-status").exists() and "data-status-line" not in (quarter / "index.html").read_text()
    # the as-of date is part of the root's key: a later day rebuilds the page
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch(date(2027, 1, 20))))
    site.build(project, project / "site")
    assert "As of 2027-01-20: 3 KPIs late, 2 owners" in (project / "site" / "data-status" / "index.html").read_text()
