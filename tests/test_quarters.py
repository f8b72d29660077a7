"""A browsable build per quarter, versions.json, the switcher, frozen archives."""

import json

import pytest

from bscgen.periods import Quarter
from bscgen.render import Placement, switcher
from tests.helpers import build, copy_fixture, tree
from tests.helpers import cli as run
from tests.linkcheck import check_site


@pytest.fixture
def project(tmp_path):
    return copy_fixture("small", tmp_path / "small")


def test_every_quarter_has_a_folder_and_the_latest_is_also_at_the_root(project):
    assert run("build", "-s", project).exit_code == 0
    site = project / "site"
    for quarter in ("2025-Q4", "2026-Q1"):
        data = json.loads((site / quarter / "scorecard.json").read_text())
        assert data["period"] == quarter
    assert (site / "scorecard.json").read_bytes() == (site / "2026-Q1" / "scorecard.json").read_bytes()
    # the root and the latest folder show the same quarter; only the way back to the site root differs,
    # and the folder, a copy as published, says so and leaves marking the latest to versions.json
    root_page = (site / "objectives/C1/index.html").read_text()
    folder_page = (site / "2026-Q1/objectives/C1/index.html").read_text()
    banner = '<p class="old-quarter" id="old-quarter-banner">You are viewing 2026 Q1 as published — <a href="../../../index.html">go to the latest quarter</a></p>\n'
    assert banner in folder_page and " (latest)" in root_page and " (latest)" not in folder_page
    assert root_page.replace('data-site-root="../../"', 'data-site-root="../../../"').replace(
        'value="../../20', 'value="../../../20').replace(" (latest)", "") == folder_page.replace(banner, "")
    assert check_site(site) == []


def test_past_quarter_is_as_of_that_quarter(project):
    assert run("build", "-s", project).exit_code == 0
    page = (project / "site" / "2025-Q4" / "kpis" / "cost" / "index.html").read_text()
    assert "You are viewing 2025 Q4 as published" in page and "go to the latest quarter" in page
    assert "€4,800" in page  # mean of Oct-Dec 2025
    assert "4,550" not in page  # the 2026-Q1 value is later
    history = page.split("Every quarter")[1]
    assert "2026 Q1" not in history
    assert "You are viewing" not in (project / "site" / "index.html").read_text()  # the root is the latest


def test_a_value_added_later_changes_nothing_in_earlier_quarters(project):
    assert run("build", "-s", project).exit_code == 0
    before = tree(project / "site" / "2025-Q4")
    with (project / "data" / "actuals.csv").open("a") as csv:
        csv.write("csat,2026-02,10,a late correction\n")
    assert run("build", "-s", project).exit_code == 0
    assert tree(project / "site" / "2025-Q4") == before
    assert tree(project / "site" / "2026-Q1") != {}


def test_versions_json_follows_mike(project):
    assert run("build", "-s", project).exit_code == 0
    versions = json.loads((project / "site" / "versions.json").read_text())
    assert versions == [
        {"version": "2026-Q1", "title": "2026 Q1", "aliases": ["latest"]},
        {"version": "2025-Q4", "title": "2025 Q4", "aliases": []},
    ]


def test_period_option_builds_no_later_folders(project):
    assert run("build", "-s", project, "--period", "2025-Q4").exit_code == 0
    site = project / "site"
    assert not (site / "2026-Q1").exists()
    assert json.loads((site / "versions.json").read_text())[0]["version"] == "2025-Q4"
    assert "You are viewing" not in (site / "index.html").read_text()


def test_latest_only_skips_past_folders(project):
    assert run("build", "-s", project, "--latest-only").exit_code == 0
    site = project / "site"
    assert (site / "2026-Q1").is_dir() and not (site / "2025-Q4").exists()
    assert [v["version"] for v in json.loads((site / "versions.json").read_text())] == ["2026-Q1"]


def test_switcher_targets_the_same_page_or_the_quarter_home():
    q3, q2, q1 = Quarter(2026, 3), Quarter(2026, 2), Quarter(2026, 1)
    placement = Placement(
        "2026-Q2/", (q3, q2, q1),
        {q3: frozenset({"index.html", "kpis/new/index.html", "kpis/old/index.html"}),
         q2: frozenset({"index.html", "kpis/new/index.html", "kpis/old/index.html"}),
         q1: frozenset({"index.html", "kpis/old/index.html"})},
    )
    entries = switcher(q2, "kpis/new/index.html", "../../../", placement)
    assert [(str(e.quarter), e.href, e.current) for e in entries] == [
        ("2026-Q3", "../../../2026-Q3/kpis/new/index.html", False),
        ("2026-Q2", "../../../2026-Q2/kpis/new/index.html", True),
        ("2026-Q1", "../../../2026-Q1/index.html", False),  # the KPI did not exist yet
    ]


def test_switcher_options_in_the_built_site_resolve(example_site):
    import re

    page = example_site / "2025-Q1" / "kpis" / "cloud-cost" / "index.html"
    options = re.findall(r'<option value="([^"]+)" data-quarter="([^"]+)"', page.read_text())
    assert [q for _, q in options][0] == "2025-Q1" and len(options) == 3  # up to its own; later ones come from versions.json
    for href, quarter in options:
        target = (page.parent / href).resolve()
        assert target.is_file() and f"/{quarter}/" in target.as_posix()


def test_archive_freezes_a_quarter_that_later_builds_copy_verbatim(project):
    result = run("archive", "-s", project, "2025-Q4")
    assert result.exit_code == 0, result.output
    frozen = tree(project / "archive" / "2025-Q4")
    assert "index.html" in frozen and "scorecard.json" in frozen
    # change content and data that 2025-Q4 depends on
    (project / "content" / "objectives" / "c1.md").write_text(
        "---\nid: C1\ntitle: Delighted users\nperspective: customer\nsupports: [F1]\n---\nChanged.\n")
    with (project / "data" / "actuals.csv").open("a") as csv:
        csv.write("csat,2025-11,99,\n")
    report = build(project)
    assert report.frozen == (Quarter(2025, 4),) and report.rendered == (Quarter(2026, 1),)
    assert tree(project / "site" / "2025-Q4") == frozen
    assert "Delighted users" in (project / "site" / "2026-Q1" / "objectives" / "C1" / "index.html").read_text()
    versions = json.loads((project / "site" / "versions.json").read_text())
    assert [v["version"] for v in versions] == ["2026-Q1", "2025-Q4"]


def test_archive_equals_what_the_build_published(project):
    assert run("build", "-s", project).exit_code == 0
    published = tree(project / "site" / "2025-Q4")
    assert run("archive", "-s", project, "2025-Q4").exit_code == 0
    assert tree(project / "archive" / "2025-Q4") == published


def test_archive_defaults_to_the_latest_and_refuses_to_overwrite(project):
    assert run("archive", "-s", project).exit_code == 0
    assert (project / "archive" / "2026-Q1" / "index.html").is_file()
    before = tree(project / "archive" / "2026-Q1")
    result = run("archive", "-s", project)
    assert result.exit_code == 1
    assert "archive/2026-Q1 already exists" in result.output and "--force" in result.output
    assert tree(project / "archive" / "2026-Q1") == before
    (project / "content" / "objectives" / "f1.md").write_text(
        "---\nid: F1\ntitle: Cheaper IT\nperspective: financial\n---\nx\n")
    assert run("archive", "-s", project, "--force").exit_code == 0
    assert "Cheaper IT" in (project / "archive" / "2026-Q1" / "index.html").read_text()


def test_archive_of_invalid_content_fails_cleanly(project):
    (project / "data" / "actuals.csv").write_text("kpi,period,value\ncost,2026-13,1\n")
    result = run("archive", "-s", project)
    assert result.exit_code == 1 and "data/actuals.csv:2: error:" in result.output
    assert not (project / "archive").exists()


def test_non_quarter_archive_folders_are_warned_about(project):
    (project / "archive" / "notes").mkdir(parents=True)
    result = run("build", "-s", project)
    assert result.exit_code == 0
    assert 'archive/notes: warning: "notes" is not a quarter' in result.output


def test_two_builds_are_byte_identical(project, tmp_path):
    assert run("build", "-s", project, "-o", tmp_path / "a").exit_code == 0
    assert run("build", "-s", project, "-o", tmp_path / "b").exit_code == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
