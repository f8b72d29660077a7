"""Build the example scorecard in the repository root and check some scores by hand."""

import json

import pytest

from tests.helpers import REPO


@pytest.fixture(scope="module")
def scorecard(example_site):
    return json.loads((example_site / "scorecard.json").read_text())


def kpi(scorecard, kpi_id):
    return next(k for p in scorecard["perspectives"] for o in p["objectives"] for k in o["kpis"] if k["id"] == kpi_id)


def test_latest_quarter_and_periods(scorecard):
    assert scorecard["period"] == "2026-Q3"
    assert scorecard["periods"][0] == "2024-Q3" and len(scorecard["periods"]) == 9
    assert [p["id"] for p in scorecard["perspectives"]] == ["financial", "customer", "internal", "learning"]


def test_down_kpi_from_the_wide_csv(scorecard):
    # wide CSV, 2026-Q3: 4665; fiscal-year target 2026: 4500; baseline 5200
    cost = kpi(scorecard, "it-cost-per-user")
    assert (cost["actual"], cost["target"], cost["baseline"]) == (4665, 4500, 5200)
    assert cost["score"] == pytest.approx(100 * (4665 - 5200) / (4500 - 5200))  # 76.43
    assert cost["status"] == "amber"
    # 2026-Q2: 4705 -> previous score
    assert cost["previous_score"] == pytest.approx(100 * (4705 - 5200) / (4500 - 5200))


def test_sum_with_a_quarter_target(scorecard):
    # July-September 2026: 103400 + 107900 + 105200; targets 2026-Q3: 290000; baseline 330000
    cloud = kpi(scorecard, "cloud-cost")
    assert cloud["actual"] == 316500 and cloud["target"] == 290000
    assert cloud["score"] == pytest.approx(100 * (316500 - 330000) / (290000 - 330000))  # 33.75
    assert cloud["status"] == "red"


def test_range_kpi_mean(scorecard):
    # mean(89, 86, 87) = 87.33, inside [80, 90]
    sprint = kpi(scorecard, "sprint-capacity-utilisation")
    assert sprint["actual"] == pytest.approx(262 / 3)
    assert sprint["target"] == [80, 90] and sprint["baseline"] == [50, 100]
    assert sprint["score"] == 100 and sprint["status"] == "green"


def test_max_aggregate(scorecard):
    # worst month 9.7 h; baseline 12, target 4
    mttr = kpi(scorecard, "p1-mttr")
    assert mttr["actual"] == 9.7
    assert mttr["score"] == pytest.approx(100 * (9.7 - 12) / (4 - 12))
    assert mttr["status"] == "red"


def test_annual_survey_is_carried_forward(scorecard):
    # only 2025-10 (2025-Q4) and 2024-10; carry_forward 3 reaches 2026-Q3
    engagement = kpi(scorecard, "engagement-index")
    assert engagement["actual"] == 71 and engagement["stale"] is True
    assert engagement["score"] == pytest.approx(100 * (71 - 50) / (75 - 50))


def test_roll_ups_are_weighted_means(scorecard):
    for perspective in scorecard["perspectives"]:
        for objective in perspective["objectives"]:
            scored = [(k["score"], k["weight"]) for k in objective["kpis"] if k["score"] is not None]
            expected = sum(s * w for s, w in scored) / sum(w for _, w in scored)
            assert objective["score"] == pytest.approx(expected)
    scored = [(p["score"], p["weight"]) for p in scorecard["perspectives"]]
    assert scorecard["score"] == pytest.approx(sum(s * w for s, w in scored) / sum(w for _, w in scored))


def test_example_uses_every_direction_and_aggregate():
    import yaml

    kpis = yaml.safe_load((REPO / "data" / "kpis.yaml").read_text())["kpis"]
    assert len(kpis) >= 30
    assert {k.get("direction", "up") for k in kpis} == {"up", "down", "range"}
    assert {k.get("aggregate", "last") for k in kpis} == {"last", "sum", "mean", "min", "max"}
    assert len(list((REPO / "content" / "objectives").rglob("*.md"))) >= 12


def initiative(scorecard, initiative_id):
    return next(i for i in scorecard["initiatives"] if i["id"] == initiative_id)


def test_the_portfolio_tells_a_story(scorecard):
    """SPEC 19 in the example, 2026-Q3: the ERP upgrade over budget, the network refresh
    late with a missed milestone, the service desk on plan (figures from data/initiatives.csv)."""
    erp = initiative(scorecard, "INI-04")
    assert (erp["budget"], erp["actual_cost"], erp["progress"]) == (850000, 1010000, 82)
    assert erp["earned_value"] == pytest.approx(850000 * 0.82)
    # plan: 70 % at 2026-06-30, 100 % at 2026-12-31; 2026-09-30 is 92 of those 184 days
    assert erp["planned_value"] == pytest.approx(850000 * (0.70 + 0.30 * 92 / 184))
    assert erp["cpi"] == pytest.approx(697000 / 1010000) and erp["health"] == "red"
    assert erp["eac"] == pytest.approx(850000 / (697000 / 1010000))
    wan = initiative(scorecard, "INI-06")
    assert wan["health"] == "red" and wan["status"] == "late"
    assert [(m["title"], m["missed"]) for m in wan["milestones"]][:2] == [("Design approved", False), ("Pilot sites live", True)]
    desk = initiative(scorecard, "INI-02")
    assert (desk["cpi"], desk["spi"], desk["health"]) == (pytest.approx(132000 / 129000), pytest.approx(1), "green")
    assert [m["event"] for m in desk["milestones"]] == [False, True, False, False]
    # money per goal: every budget reaches a goal, as every objective serves one
    assert sum(g["investment"] for g in scorecard["goals"]) == pytest.approx(sum(i["budget"] for i in scorecard["initiatives"]))
