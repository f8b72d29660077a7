"""The quarterly review (SPEC 12.1): what changed against the quarter before,
restated values of frozen quarters, changed definitions, and the git history."""

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bscgen import gitlog, site
from tests.helpers import cli, copy_fixture


@pytest.fixture
def project(tmp_path):
    return copy_fixture("small", tmp_path / "p")


def text(page: Path) -> str:
    """The main part of a page as plain text."""
    html = page.read_text()
    return " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<main"):html.index("</main>")]).split())


def items(data: dict) -> dict:
    found = {}
    for p in data["perspectives"]:
        found[p["id"]] = p
        for o in p["objectives"]:
            found[o["id"]] = o
            found.update((k["id"], k) for k in o["kpis"])
    return found


def test_status_changes_and_movers_match_the_two_quarters_published(project):
    site.build(project, project / "site", use_cache=False)
    now, before = (items(json.loads((project / "site" / q / "scorecard.json").read_text())) for q in ("2026-Q1", "2025-Q4"))
    flips = {i for i in now if now[i]["status"] != before[i]["status"]}
    page = (project / "site" / "changes" / "index.html").read_text()
    table = page[page.index("Status changes"):page.index("Largest movements")]
    assert set(re.findall(r'href="\.\./(?:perspectives|objectives|kpis)/([^/]+)/index.html"', table)) == flips
    assert f"{len(flips)} status changes" in (project / "site" / "index.html").read_text()
    moves = sorted(((now[k]["score"] - before[k]["score"], k) for k in ("cost", "csat", "util", "survey")
                    if now[k]["score"] is not None and before[k]["score"] is not None and now[k]["score"] != before[k]["score"]),
                   key=lambda m: -abs(m[0]))
    kpi_table = page[page.index("Largest movements: KPIs"):page.index("Target changes")]
    assert re.findall(r'href="\.\./kpis/([^/]+)/index.html"', kpi_table) == [k for _, k in moves]
    assert "IT cost per user : 4500 → 4400" in text(project / "site" / "changes" / "index.html")


def test_a_restated_value_and_a_changed_definition_since_the_frozen_quarter(project):
    assert cli("archive", "-s", project, "2025-Q4").exit_code == 0
    published = items(json.loads((project / "archive" / "2025-Q4" / "scorecard.json").read_text()))["cost"]["actual"]
    csv = project / "data" / "actuals.csv"
    csv.write_text(csv.read_text().replace("cost,2025-12,4700,year end", "cost,2025-12,4400,year end"))
    kpis = project / "data" / "kpis.yaml"
    kpis.write_text(kpis.read_text().replace("    weight: 2\n", "    weight: 3\n"))
    site.build(project, project / "site")
    page = text(project / "site" / "changes" / "index.html")
    restated = (4900 + 4800 + 4400) / 3
    assert f"cost IT cost per user 2025 Q4 {published:g} {restated:g}" in page
    assert "Definitions changed since 2025 Q4 was frozen" in page
    assert "KPI csat Customer satisfaction : weight 2 → 3" in page
    assert "1 restated value" in (project / "site" / "index.html").read_text()


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "a@example", "GIT_COMMITTER_NAME": "Ada",
                        "GIT_COMMITTER_EMAIL": "a@example", "PATH": "/usr/bin:/bin", "HOME": str(root)})


def test_commits_since_the_previous_quarter_touching_content_or_data(project):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Q4 numbers", "--date", "2025-12-15T12:00:00")
    (project / "data" / "actuals.csv").write_text((project / "data" / "actuals.csv").read_text() + "survey,2026-02,70,\n")
    (project / "README.txt").write_text("not content")
    git(project, "add", "-A")
    subprocess.run(["git", "-C", str(project), "commit", "-q", "-m", "February survey"], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "Bea", "GIT_AUTHOR_EMAIL": "b@example", "GIT_COMMITTER_NAME": "Bea",
                        "GIT_COMMITTER_EMAIL": "b@example", "PATH": "/usr/bin:/bin", "HOME": str(project),
                        "GIT_AUTHOR_DATE": "2026-02-10T12:00:00", "GIT_COMMITTER_DATE": "2026-02-10T12:00:00"})
    history = gitlog.git_history(project)
    assert [(c.day, c.author, c.subject) for c in history.commits] == [
        (date(2026, 2, 10), "Bea", "February survey"), (date(2025, 12, 15), "Ada", "Q4 numbers")]
    site.build(project, project / "site", use_cache=False)
    latest = text(project / "site" / "changes" / "index.html")
    assert "2026-02-10 Bea February survey" in latest and "Q4 numbers" not in latest  # only since 2025-12-31
    assert "2025-12-15 Ada Q4 numbers" in text(project / "site" / "2025-Q4" / "changes" / "index.html")


def test_without_git_the_page_says_why(project, monkeypatch):
    site.build(project, project / "site", use_cache=False)
    assert "The project is not a git work tree, so the commits are not listed." in text(project / "site" / "changes" / "index.html")
    monkeypatch.setattr(gitlog.shutil, "which", lambda name: None)
    assert gitlog.git_history(project).note == "git is not installed here, so the commits are not listed"


def test_a_shallow_clone_is_noted(project, tmp_path):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one")
    (project / "data" / "more.csv").write_text("kpi,period,value\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "two")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(clone)], check=True, capture_output=True)
    history = gitlog.git_history(clone)
    assert [c.subject for c in history.commits] == ["two"]
    assert history.note == "this clone's history is shallow, so older commits may be missing"
