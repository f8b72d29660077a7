import csv
import json
import re

import pytest

from bscgen.publish import OutputError, check_output
from tests.helpers import cli as run
from tests.helpers import build, copy_fixture, tree

SUMMARY = re.compile(
    r"^bscgen: built (?P<out>.+) for (?P<quarter>\S+): (?P<quarters>\d+) quarters, "
    r"(?P<pages>\d+) pages \((?P<rendered>\d+) rendered, (?P<reused>\d+) cached\), "
    r"(?P<charts>\d+) charts \((?P<drawn>\d+) drawn, (?P<charts_cached>\d+) cached\), "
    r"(?P<warnings>\d+) warning\(s\), \d+\.\d\d s$", re.M)


@pytest.fixture
def project(tmp_path):
    return copy_fixture("small", tmp_path / "small")


def test_build_writes_scorecard_json_in_spec_shape(project):
    result = run("build", "-s", project)
    assert result.exit_code == 0, result.output
    data = json.loads((project / "site" / "scorecard.json").read_text())
    assert list(data) == [
        "schema", "title", "audience", "calendar", "period", "periods", "score", "status", "previous_score", "perspectives",
        "goals", "scorecards", "initiatives", "events",
    ]
    assert data["schema"] == 2 and data["title"] == "Small Scorecard"
    assert data["period"] == "2026-Q1" and data["periods"] == ["2025-Q4", "2026-Q1"]
    financial = data["perspectives"][0]
    assert list(financial) == ["id", "title", "weight", "score", "status", "previous_score", "objectives"]
    f1 = financial["objectives"][0]
    assert list(f1) == [
        "id", "title", "owner", "weight", "supports", "serves", "cascade", "score", "status", "previous_score", "kpis",
    ]
    cost = f1["kpis"][0]
    assert cost == {
        "id": "cost", "name": "IT cost per user", "unit": "EUR", "direction": "down", "weight": 1,
        "actual": 4550, "target": 4400, "baseline": 5200, "score": 81.25, "status": "amber",
        "stale": False, "previous_score": pytest.approx(100 * 400 / 700),
        "projection": None,  # two quarters of data: too few to project
        "sources": [{"path": "data/actuals.csv", "line": 5}, {"path": "data/actuals.csv", "line": 6}],
    }
    customer = data["perspectives"][1]["objectives"][0]
    util = next(k for k in customer["kpis"] if k["id"] == "util")
    assert util["target"] == [80, 90] and util["baseline"] == [50, 100]
    survey = next(k for k in customer["kpis"] if k["id"] == "survey")
    assert survey["stale"] is True and survey["unit"] is None
    # scorecard = weighted mean of perspectives (financial weight 2)
    assert data["score"] == pytest.approx((81.25 * 2 + customer["score"]) / 3)


def test_build_writes_scorecard_csv(project):
    assert run("build", "-s", project).exit_code == 0
    rows = list(csv.DictReader((project / "site" / "scorecard.csv").open()))
    assert [r["id"] for r in rows] == ["cost", "csat", "util", "survey"]
    assert rows[0]["period"] == "2026-Q1" and rows[0]["perspective"] == "financial" and rows[0]["objective"] == "F1"
    assert rows[2]["target"] == "80;90" and rows[3]["stale"] == "true" and rows[3]["unit"] == ""
    assert float(rows[0]["score"]) == 81.25
    assert list(rows[0])[-6:] == [
        "previous_score", "projection_period", "projection_value", "projection_low", "projection_high",
        "projection_probability",
    ]
    assert rows[0]["projection_period"] == "" and rows[0]["projection_probability"] == ""


def test_pages_show_the_scores(project):
    assert run("build", "-s", project).exit_code == 0
    home = (project / "site" / "index.html").read_text()
    for text in ("Small Scorecard", "Test IT", "2026 Q1", "83.8", "Financial", "81.2", "At risk"):
        assert text in home
    kpi_page = (project / "site" / "kpis" / "cost" / "index.html").read_text()
    for text in ("IT cost per user", "€4,550", "€4,400", "€5,200", "81.2"):
        assert text in kpi_page
    assert len(list((project / "site" / "static").glob("style.*.css"))) == 1


def test_period_option_builds_an_earlier_quarter(project):
    assert run("build", "-s", project, "--period", "2025-Q4").exit_code == 0
    data = json.loads((project / "site" / "scorecard.json").read_text())
    assert data["period"] == "2025-Q4" and data["periods"] == ["2025-Q4"] and data["previous_score"] is None


def test_period_before_any_data_is_a_usage_error(project):
    result = run("build", "-s", project, "--period", "2020-Q1")
    assert result.exit_code == 2 and "first quarter with data is 2025-Q4" in result.output


def test_output_option_and_rebuild_replaces_the_site(project, tmp_path):
    out = tmp_path / "public"
    (out).mkdir()
    (out / "stale.html").write_text("old")
    assert run("build", "-s", project, "-o", out).exit_code == 0
    assert not (out / "stale.html").exists() and (out / "scorecard.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == []


def test_failed_build_leaves_previous_site_untouched(project):
    assert run("build", "-s", project).exit_code == 0
    before = tree(project / "site")
    (project / "data" / "actuals.csv").write_text("kpi,period,value\ncost,2026-Q7,1\n")
    result = run("build", "-s", project)
    assert result.exit_code == 1
    assert "data/actuals.csv:2: error:" in result.output
    assert tree(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_check_writes_nothing(project):
    result = run("check", "-s", project)
    assert result.exit_code == 0, result.output
    assert not (project / "site").exists()


def test_output_must_not_contain_the_project(project):
    with pytest.raises(OutputError):
        check_output(project, project)
    with pytest.raises(OutputError):
        check_output(project / "content" / "x", project)
    result = run("build", "-s", project, "-o", project)
    assert result.exit_code == 2
    assert (project / "bscgen.yaml").exists()


def test_build_is_deterministic(project, tmp_path):
    assert run("build", "-s", project, "-o", tmp_path / "a").exit_code == 0
    assert run("build", "-s", project, "-o", tmp_path / "b").exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_the_build_command_prints_a_summary_of_the_build(project, tmp_path):
    """The one test of the printed summary; other tests check the BuildReport that
    bscgen.site.build returns, of which the summary is a rendering."""
    report = build(project, tmp_path / "elsewhere", use_cache=False)  # the same build, keeping no cache
    for reused in (False, True):
        result = run("build", "-s", project)
        assert result.exit_code == 0, result.output
        summary = SUMMARY.search(result.stderr)
        assert summary, f"no build summary in:\n{result.output}"
        assert summary["out"] == str(project / "site") and summary["quarter"] == str(report.quarter)
        assert int(summary["quarters"]) == len(report.rendered) + len(report.frozen)
        pages = report.pages_rendered + report.pages_reused
        assert (int(summary["pages"]), int(summary["warnings"])) == (pages, len(report.warnings))
        if reused:  # a no-op: every page reused, no chart needed
            assert (summary["rendered"], summary["reused"], summary["charts"]) == ("0", str(pages), "0")
        else:  # the first build renders and draws everything
            assert (int(summary["rendered"]), int(summary["drawn"])) == (pages, report.charts_drawn)
    assert run("build", "-s", project, "-q").stderr == ""


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "bscgen" in result.output
