"""Alignment and cascading scorecards (SPEC 11): goals, child scorecards built
with the parent or published, `from` KPIs, cascade links, and their errors.

Expected scores are computed here by hand from the fixture's numbers, not by
bscgen's own functions."""

import json
from pathlib import Path

import pytest

from tests.helpers import build, cli, cli_build, copy_fixture, tree
from tests.linkcheck import check_site


@pytest.fixture
def project(tmp_path):
    return copy_fixture("group", tmp_path / "group")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_fixture("group", tmp_path_factory.mktemp("g") / "group")
    build(project, use_cache=False)
    return project / "site"


def scorecard(site_dir: Path, quarter: str = "") -> dict:
    return json.loads((site_dir / (f"{quarter}/" if quarter else "") / "scorecard.json").read_text())


def kpis(data: dict) -> dict:
    return {k["id"]: k for p in data["perspectives"] for o in p["objectives"] for k in o["kpis"]}


def objectives(data: dict) -> dict:
    return {o["id"]: o for p in data["perspectives"] for o in p["objectives"]}


def test_from_kpis_take_the_childs_values_as_of_each_quarter(built):
    # infra: one KPI, baseline 95, target 99.9 -> its score is the scorecard's score
    infra_q4 = 100 * (99.5 - 95) / (99.9 - 95)
    q4, q1 = kpis(scorecard(built, "2025-Q4")), kpis(scorecard(built, "2026-Q1"))
    assert q4["infra-health"]["actual"] == pytest.approx(infra_q4)
    assert q4["infra-health"]["score"] == pytest.approx(100 * infra_q4 / 95)  # baseline 0, target 95
    assert q1["infra-health"]["actual"] == 100  # 99.95 is past the target: capped at 100
    assert q4["infra-avail"]["actual"] == 99.5 and q1["infra-avail"]["actual"] == 99.95
    assert q4["sec-s1"]["actual"] == 70 and q1["sec-s1"]["actual"] == 85  # the published objective's score
    assert q4["sec-s1"]["score"] == 70  # score sources default to baseline 0, target 100
    assert q1["sec-s1"]["from"] == {"scorecard": "security", "objective": "S1"}


def test_goal_scores_are_the_weighted_mean_of_the_objectives_serving_them(built):
    data = scorecard(built)
    f1 = (100 * (5200 - 4700) / (5200 - 4500) + 100) / 2  # cost and infra-health (capped)
    c1 = (85 + 100) / 2  # sec-s1 and infra-avail (capped)
    goals = {g["id"]: g for g in data["goals"]}
    assert objectives(data)["F1"]["score"] == pytest.approx(f1)
    assert goals["G1"]["score"] == pytest.approx((f1 + c1) / 2) and goals["G1"]["objectives"] == ["F1", "C1"]
    assert goals["G2"]["score"] == pytest.approx(c1) and goals["G2"]["status"] == "green"
    assert data["score"] == pytest.approx((f1 + c1) / 2)  # goals never count in the scorecard's score


def test_scorecard_json_schema_2(built):
    data = scorecard(built)
    assert data["schema"] == 2
    assert data["calendar"] == {"fiscal_year_start": 1, "fiscal_year_named_by": "end"}
    children = {c["id"]: c for c in data["scorecards"]}
    assert children["infra"]["url"] == "scorecards/infra/" and children["infra"]["score"] == 100
    assert children["security"]["url"] == "https://intranet.example/security/"
    assert children["security"]["score"] == 85 and children["security"]["previous_score"] == 70
    assert objectives(data)["F1"]["serves"] == ["G1"] and objectives(data)["F1"]["cascade"] == ["infra/I1"]


def test_a_child_project_is_a_whole_sub_site_linking_back(built):
    infra = built / "scorecards" / "infra"
    assert [v["version"] for v in json.loads((infra / "versions.json").read_text())] == ["2026-Q1", "2025-Q4"]
    assert scorecard(infra, "2025-Q4")["period"] == "2025-Q4"
    page = (infra / "2025-Q4" / "objectives" / "I1" / "index.html").read_text()
    assert 'href="../../../../../index.html" class="parent-title">Group IT Scorecard' in page
    assert 'href="../../../../../2025-Q4/objectives/F1/index.html">F1 Run IT for less' in page  # cascade, child side


def test_pages_link_into_the_children(built):
    home = (built / "index.html").read_text()
    assert 'href="scorecards/infra/2026-Q1/index.html">Infrastructure Scorecard' in home
    assert 'href="https://intranet.example/security/2026-Q1/index.html">Security Scorecard' in home
    cascade = (built / "2025-Q4" / "cascade" / "index.html").read_text()
    assert 'href="../../scorecards/infra/2025-Q4/objectives/I1/index.html">infra/I1 Keep the platforms up' in cascade
    alignment = (built / "alignment" / "index.html").read_text()
    assert "Group strategy 2026" in alignment and alignment.count("serves G1") == 2


def test_every_link_of_parent_and_sub_site_resolves(built):
    assert check_site(built) == []


def test_a_cached_rebuild_sees_a_childs_new_data(project, tmp_path):
    build(project)
    edit(project / "units" / "infra" / "data" / "actuals.csv", "avail,2026-Q1,99.95", "avail,2026-Q1,97")
    build(project)
    assert kpis(scorecard(project / "site"))["infra-avail"]["actual"] == 97
    build(project, tmp_path / "clean", use_cache=False)
    assert tree(project / "site") == tree(tmp_path / "clean")


def test_archive_freezes_the_parent_with_its_built_children(project):
    result = cli("archive", "-s", project, "2025-Q4")
    assert result.exit_code == 0, result.output
    assert (project / "archive" / "2025-Q4" / "scorecard.json").is_file()
    frozen_child = project / "units" / "infra" / "archive" / "2025-Q4" / "objectives" / "I1" / "index.html"
    assert "Group IT Scorecard" in frozen_child.read_text()  # frozen as the parent publishes it
    build(project)
    child_site = project / "site" / "scorecards" / "infra" / "2025-Q4"
    assert tree(child_site) == tree(project / "units" / "infra" / "archive" / "2025-Q4")


# --- errors ------------------------------------------------------------------------


def check(project: Path) -> tuple[int, str]:
    result = cli("check", "-s", project)
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("file, old, new, expected", [
    ("content/objectives/f1.md", "serves: [G1]", "serves: [G9]", 'content/objectives/f1.md:5: error: "serves" names the goal "G9", which does not exist'),
    ("content/objectives/f1.md", "cascade: [infra/I1]", "cascade: [infra/I9]", 'content/objectives/f1.md:6: error: "cascade" names the objective "I9", which the scorecard "infra" does not have'),
    ("content/objectives/f1.md", "cascade: [infra/I1]", "cascade: [infar/I1]", 'content/objectives/f1.md:6: error: "cascade" names the scorecard "infar", which is not under scorecards: in bscgen.yaml (did you mean "infra"?)'),
    ("content/objectives/f1.md", "cascade: [infra/I1]", "cascade: [I1]", 'content/objectives/f1.md:6: error: "cascade" names child objectives as scorecard/objective'),
    ("data/kpis.yaml", "from: {scorecard: infra}", "from: {scorecard: infra, objective: X1}", 'data/kpis.yaml:6: error: "from" names the objective "X1", which the scorecard "infra" does not have'),
    ("data/kpis.yaml", "from: {scorecard: infra}", "from: {scorecard: nope}", 'data/kpis.yaml:6: error: "from" names the scorecard "nope", which is not under scorecards: in bscgen.yaml'),
    ("data/kpis.yaml", "from: {scorecard: infra, kpi: avail}", "from: {scorecard: infra, kpi: availability}", 'data/kpis.yaml:16: error: "from" names the kpi "availability", which the scorecard "infra" does not have'),
    ("data/actuals.csv", "cost,2026-Q1,4700", "cost,2026-Q1,4700\nsec-s1,2026-Q1,50", 'data/actuals.csv:4: error: the KPI "sec-s1" takes its values from the scorecard "security" (from:); remove this row'),
    ("units/infra/data/kpis.yaml", "target: 99.9", "target: high", 'units/infra/data/kpis.yaml:2: error: "target" must be a number'),
    ("units/infra/bscgen.yaml", "title: Infrastructure Scorecard", "title: Infrastructure Scorecard\ncalendar: {fiscal_year_start: 4}", 'bscgen.yaml:12: error: the scorecard "infra" uses another fiscal calendar'),
    ("published/security/2026-Q1/scorecard.json", '"score": 85,', '"score": 85', "published/security/2026-Q1/scorecard.json:3: error: published/security/2026-Q1/scorecard.json is not valid JSON"),
    ("published/security/2026-Q1/scorecard.json", '"perspectives"', '"perspektives"', "published/security/2026-Q1/scorecard.json:1: error: published/security/2026-Q1/scorecard.json is not a scorecard.json written by bscgen"),
])
def test_errors_name_the_file_and_line(project, file, old, new, expected):
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous")
    edit(project / file, old, new)
    code, output = check(project)
    assert code == 1 and expected in output, output
    assert "unknown KPI" not in output and "no actuals" not in output  # no follow-on problems
    result = cli_build(project)
    assert result.exit_code == 1 and (project / "site" / "index.html").read_text() == "previous"


def test_a_published_child_without_versions_json_and_a_cycle(project):
    (project / "published" / "security" / "versions.json").unlink()
    edit(project / "units" / "infra" / "bscgen.yaml", "perspectives:", "scorecards:\n  - {id: up, path: ../..}\nperspectives:")
    code, output = check(project)
    assert code == 1
    assert 'bscgen.yaml:13: error: the scorecard "security" at published/security is neither a bscgen project' in output
    assert 'units/infra/bscgen.yaml:4: error: the scorecard "up" at ../.. includes itself' in output


def test_goal_warnings(project):
    edit(project / "bscgen.yaml", "    - {id: G2, title: Trusted digital services}", "    - {id: G2, title: Trusted digital services}\n    - {id: G3, title: Nobody serves me}")
    edit(project / "content" / "objectives" / "c1.md", "serves: [G1, G2]\n", "")
    code, output = check(project)
    assert code == 0
    assert 'bscgen.yaml:11: warning: no objective serves the goal "G3"' in output
    assert 'content/objectives/c1.md:2: warning: the objective "C1" serves no goal' in output
