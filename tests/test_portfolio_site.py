"""The investment portfolio in the published site (SPEC 19): the portfolio page's
table, timeline and investment chart, initiatives.csv, the other pages that show
initiatives, audience views and as-of copies. Built once: the session's example site."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bscgen import tree
from bscgen.export import INITIATIVE_CSV_COLUMNS
from bscgen.portfolio import money_per_goal
from tests.helpers import copy_example


class Tables(HTMLParser):
    """Every table's rows (header and footer included) as lists of cell texts, SVGs left out."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.part = "tbody"
        self.in_svg = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.in_svg += 1
        elif tag == "table":
            self.tables.append({"class": dict(attrs).get("class", ""), "thead": [], "tbody": [], "tfoot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self.part = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_svg -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1][self.part].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and not self.in_svg:
            self.cell.append(data)


def tables(page: Path) -> list[dict]:
    parser = Tables()
    parser.feed(page.read_text())
    return parser.tables


def portfolio_table(page: Path) -> dict:
    return next(t for t in tables(page) if "portfolio" in t["class"])


def amount(text: str) -> float | None:
    return None if text == "–" else float(text.replace(",", ""))


def svg_of(page: Path, chart_id: str) -> str:
    html = page.read_text()
    start = html.index(f'<figure class="chart" id="{chart_id}">')
    return html[start:html.index("</svg>", start)]


def test_the_portfolio_table_has_every_initiative_and_totals_equal_to_the_sums(example_site):
    table = portfolio_table(example_site / "initiatives" / "index.html")
    header = table["thead"][0]
    assert header == ["Initiative", "Budget", "AC", "EV", "PV", "CPI", "SPI", "EAC", "Progress", "Health", "Status",
                      "Next milestone"]
    data = json.loads((example_site / "scorecard.json").read_text())["initiatives"]
    assert [row[0].split(" ")[0] for row in table["tbody"]] == [i["id"] for i in data]
    assert len(data) == 6
    (total,) = table["tfoot"]
    for column in ("Budget", "AC", "EV", "PV"):
        at = header.index(column)
        # each shown figure is rounded to whole units: the total is within half a unit per row of their sum
        shown = [amount(row[at]) for row in table["tbody"]]
        assert abs(amount(total[at]) - sum(shown)) <= 0.5 * len(shown), column
    budget, ac, ev, pv = (sum(i[k] for i in data) for k in ("budget", "actual_cost", "earned_value", "planned_value"))
    assert amount(total[header.index("Budget")]) == round(budget)
    assert total[header.index("CPI")] == f"{ev / ac:.2f}"
    assert total[header.index("SPI")] == f"{ev / pv:.2f}"
    assert total[header.index("Progress")] == f"{round(100 * ev / budget)}%"
    erp = next(row for row in table["tbody"] if row[0].startswith("INI-04"))
    assert erp[header.index("Health")] == "■ Off track"  # CPI below red: the ERP upgrade overruns
    assert erp[header.index("Status")] == "At risk"  # the owner's status stays beside it
    wan = next(row for row in table["tbody"] if row[0].startswith("INI-06"))
    assert wan[header.index("Next milestone")] == "Pilot sites live, 2026-05-31 missed"


def test_the_timeline_has_a_bar_per_initiative_milestones_and_the_quarter_line(example_site):
    page = example_site / "initiatives" / "index.html"
    svg = svg_of(page, "chart-portfolio-timeline")
    assert 'role="img"' in svg and 'aria-labelledby="chart-portfolio-timeline-title chart-portfolio-timeline-desc"' in svg
    data = json.loads((example_site / "scorecard.json").read_text())["initiatives"]

    def marks(layer: str) -> list[str]:
        group = re.search(rf'<g class="mark-[a-z]+ role-mark {layer}_marks"[^>]*>(.*?)</g>', svg, re.S)
        assert group, layer
        return re.findall(r"<(?:path|line)\b", group.group(1))

    assert len(marks("layer_0")) == len(data)  # the planned bar, start to due
    assert len(marks("layer_1")) == len(data)  # the part done
    assert len(marks("layer_2")) == sum(len(i["milestones"]) for i in data)
    assert len(marks("layer_3")) == 1  # the quarter's end
    assert "2026 Q3 end" in svg
    description = re.search(r'<desc id="chart-portfolio-timeline-desc">(.*?)</desc>', svg, re.S).group(1)
    for initiative in data:
        assert f"{initiative['id']} " in description
    assert "Pilot sites live due 2026-05-31 missed" in description
    assert "end of 2026 Q3 (2026-09-30)" in description
    rows = [t for t in tables(page) if not t["class"]]  # the charts' data tables
    assert [r[0].split(" ")[0] for r in rows[0]["tbody"]] == [i["id"] for i in data]


def test_budget_against_strategic_contribution_is_a_labelled_scatter(example_site):
    page = example_site / "initiatives" / "index.html"
    svg = svg_of(page, "chart-portfolio-investment")
    data = json.loads((example_site / "scorecard.json").read_text())["initiatives"]
    points = re.search(r'<g class="mark-symbol role-mark layer_0_marks"[^>]*>(.*?)</g>', svg, re.S).group(1)
    assert len(re.findall(r"<path\b", points)) == len(data)
    for initiative in data:
        assert f">{initiative['id']}</text>" in svg
    description = re.search(r'<desc id="chart-portfolio-investment-desc">(.*?)</desc>', svg, re.S).group(1)
    assert "INI-04 ERP upgrade to SAP S/4HANA budget 850,000, contribution" in description
    contributions = sorted(round(100 * i["contribution"]) for i in data)
    assert sum(contributions) > 0


def test_initiatives_csv_reads_back_with_every_figure(example_site):
    rows = list(csv.DictReader(io.StringIO((example_site / "initiatives.csv").read_text())))
    data = json.loads((example_site / "scorecard.json").read_text())["initiatives"]
    assert tuple(rows[0]) == INITIATIVE_CSV_COLUMNS
    assert [r["id"] for r in rows] == [i["id"] for i in data]
    for row, record in zip(rows, data):
        assert row["period"] == "2026-Q3"
        assert row["objectives"].split(";") == record["objectives"]
        for name in ("budget", "actual_cost", "earned_value", "planned_value", "cost_variance", "schedule_variance",
                     "cpi", "spi", "eac", "vac", "progress", "contribution"):
            expected = record[name]
            assert (row[name] == "") if expected is None else math.isclose(float(row[name]), expected), name
        assert row["health"] == record["health"]
    wan = next(r for r in rows if r["id"] == "INI-06")
    assert wan["missed_milestones"] == "Pilot sites live" and wan["next_milestone_due"] == "2026-05-31"


def test_an_as_of_copy_shows_the_figures_as_of_its_quarter(example_site):
    """2026-Q1's copy: the ERP upgrade's spend up to March 2026, the pilot sites not yet missed."""
    copy = example_site / "2026-Q1"
    spend = sum(float(r["spend"] or 0) for r in csv.DictReader(open(Path(__file__).parent.parent / "data" / "initiatives.csv"))
                if r["initiative"] == "INI-04" and r["period"] <= "2026-03")
    table = portfolio_table(copy / "initiatives" / "index.html")
    header = table["thead"][0]
    erp = next(row for row in table["tbody"] if row[0].startswith("INI-04"))
    assert amount(erp[header.index("AC")]) == round(spend)
    assert amount(erp[header.index("AC")]) < amount(next(
        row for row in portfolio_table(example_site / "initiatives" / "index.html")["tbody"] if row[0].startswith("INI-04")
    )[header.index("AC")])
    wan = next(row for row in table["tbody"] if row[0].startswith("INI-06"))
    assert "missed" not in wan[header.index("Next milestone")]
    assert "2026 Q1 end" in svg_of(copy / "initiatives" / "index.html", "chart-portfolio-timeline")
    rows = list(csv.DictReader(io.StringIO((copy / "initiatives.csv").read_text())))
    assert {r["period"] for r in rows} == {"2026-Q1"}
    assert float(next(r for r in rows if r["id"] == "INI-04")["actual_cost"]) == spend


def test_objective_pages_alignment_changes_and_briefing_show_the_portfolio(example_site):
    data = {i["id"]: i for i in json.loads((example_site / "scorecard.json").read_text())["initiatives"]}
    f1 = portfolio_table(example_site / "objectives" / "F1" / "index.html")
    assert [r[0].split(" ")[0] for r in f1["tbody"]] == ["INI-01", "INI-05"]  # the initiatives serving F1
    assert not f1["tfoot"]
    assert amount(f1["tbody"][0][1]) == data["INI-01"]["budget"]

    goals = json.loads((example_site / "scorecard.json").read_text())["goals"]
    alignment = next(t for t in tables(example_site / "alignment" / "index.html") if t["thead"][0][0] == "Goal")
    at = alignment["thead"][0].index("Investment")
    shown = {row[0].split(" ")[0]: amount(row[at]) for row in alignment["tbody"]}
    assert shown == {g["id"]: round(g["investment"]) for g in goals}
    assert math.isclose(sum(g["investment"] for g in goals), sum(i["budget"] for i in data.values()))

    changes = (example_site / "2026-Q2" / "changes" / "index.html").read_text()
    assert "Milestones missed in 2026 Q2" in changes and "Pilot sites live, due 2026-05-31" in changes
    assert "No initiative's health changed" in changes
    changed = next(t for t in tables(example_site / "2026-Q1" / "changes" / "index.html")
                   if t["thead"] and t["thead"][0] == ["Initiative", "Before", "Now"])
    # the branch network refresh falls behind its plan in 2026 Q1 (SPI below 0.85)
    assert ["INI-06 Branch network refresh (SD-WAN)", "● On track", "■ Off track"] in changed["tbody"]
    assert "No milestone was missed in 2026 Q3" in (example_site / "changes" / "index.html").read_text()

    briefing = example_site / "briefing" / "index.html"
    assert 'id="briefing-portfolio"' in briefing.read_text()
    assert portfolio_table(briefing)["tfoot"] == portfolio_table(example_site / "initiatives" / "index.html")["tfoot"]
    assert "chart-portfolio-timeline" in briefing.read_text()


@pytest.fixture(scope="module")
def hidden_initiatives(tmp_path_factory) -> Path:
    """The example with two more initiatives on F2, which only the leadership team sees:
    one serving F2 alone, one F2 and F3."""
    project = copy_example(tmp_path_factory.mktemp("portfolio-audience"))
    folder = project / "content" / "initiatives"
    (folder / "budget-tool.md").write_text(
        "---\nid: INI-07\ntitle: Budget tool\nobjectives: [F2]\nbudget: 60000\n"
        "start: 2025-01-01\ndue: 2026-12-31\n---\nA budgeting tool.\n")
    (folder / "value-tracking.md").write_text(
        "---\nid: INI-08\ntitle: Value tracking\nobjectives: [F2, F3]\nbudget: 100000\n"
        "start: 2025-01-01\ndue: 2026-12-31\n---\nBenefits tracking.\n")
    return project


@pytest.mark.parametrize("audience", ["leadership", "staff"])
def test_audience_views_count_only_their_initiatives(hidden_initiatives, audience):
    """SPEC 17: portfolio totals and money per goal count only the initiatives and
    objectives the view shows."""
    loaded, problems = tree.load_tree(hidden_initiatives, audience=audience)
    assert not [p for p in problems if p.severity == "error"]
    latest = loaded.history[-1]
    shown = {r.initiative.id: r for r in latest.portfolio.initiatives}
    base = 2095000  # the example's six initiatives
    if audience == "staff":
        assert "INI-07" not in shown and shown["INI-08"].initiative.objectives == ("F3",)
        assert latest.portfolio.totals.budget == base + 100000
        # G1: the ERP upgrade (F3, C3), half of the service desk's L3 third, all of value tracking;
        # G2: cloud cost (F1, P3), the data centre exit (P3, F1), the other half of that third
        expected = {"G1": 850000 + 40000 + 100000, "G2": 180000 + 420000 + 40000}
    else:
        assert {"INI-07", "INI-08"} <= set(shown)
        assert latest.portfolio.totals.budget == base + 160000
        # value tracking's half on F3 goes to G1, its half on F2 and all of the budget tool to G2
        expected = {"G1": 850000 + 40000 + 50000, "G2": 180000 + 420000 + 40000 + 50000 + 60000}
    investment = {g.goal.id: g.investment for g in latest.goals}
    assert {g: investment[g] for g in expected} == pytest.approx(expected)
    per_goal, unaligned = money_per_goal(loaded.scorecard.initiatives, loaded.scorecard.objectives)
    assert math.isclose(sum(investment.values()) + unaligned, latest.portfolio.totals.budget)
    assert per_goal == {g: v for g, v in investment.items() if v}
