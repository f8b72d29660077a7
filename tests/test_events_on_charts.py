"""Events on charts (SPEC 20), in the built example: listed in scorecard.json,
each quarter's copy showing only the events up to its end."""

from __future__ import annotations

import json
from pathlib import Path


def scorecard(site: Path, quarter: str | None = None) -> dict:
    return json.loads((site / (quarter or ".") / "scorecard.json").read_text(encoding="utf-8"))


def test_scorecard_json_lists_every_event_with_its_dates_and_scope(example_site):
    events = {e["id"]: e for e in scorecard(example_site)["events"]}
    assert list(events) == ["dc-outage", "cloud-migration", "new-service-desk", "reorganisation", "INI-02-milestone-2",
                            "budget-freeze"]
    assert events["dc-outage"] == {"id": "dc-outage", "title": "Data centre outage", "date": "2025-03-14",
                                   "scope": {"kpis": ["erp-availability-worst-month", "tier1-availability"]}}
    assert events["cloud-migration"] == {"id": "cloud-migration", "title": "Cloud migration wave 1",
                                         "start": "2025-04-01", "end": "2025-12-19",
                                         "scope": {"objectives": ["F1", "P3"]}, "initiative": "INI-01"}
    assert events["reorganisation"]["scope"] == {}  # the whole scorecard


def test_a_quarter_copy_shows_only_the_events_up_to_its_end(example_site):
    # the service desk went live in 2025-Q4: the 2025-Q3 copy does not know of it yet
    assert [e["id"] for e in scorecard(example_site, "2025-Q3")["events"]] == ["dc-outage", "cloud-migration"]
    assert [e["id"] for e in scorecard(example_site, "2024-Q4")["events"]] == []


def test_an_event_falls_in_its_fiscal_quarter(tmp_path):
    from bscgen.events import load_events
    from bscgen.periods import FiscalCalendar, Quarter
    from bscgen.problems import Problems

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.yaml").write_text(
        "events:\n  - {id: a, title: A, date: 2026-03-15}\n  - {id: b, title: B, start: 2026-03-01, end: 2026-04-02}\n")
    problems = Problems()
    b, a = load_events(tmp_path, FiscalCalendar(start_month=4, named_by="end"), problems)  # by first day
    assert not problems.errors
    # with a fiscal year from April named by its end, March 2026 is 2026-Q4 and April 2026 is 2027-Q1
    assert (a.first, a.last) == (Quarter(2026, 4), Quarter(2026, 4))
    assert (b.first, b.last, str(b.end)) == (Quarter(2026, 4), Quarter(2027, 1), "2026-04-02")


# --- drawn on the charts (SVG), named in their text alternatives and tables -------------------

import re  # noqa: E402

from tests.svgtext import chart_svg, labels_at, marks_x, axis_label_x  # noqa: E402


def page(site: Path, path: str, quarter: str | None = None) -> str:
    return (site / (quarter or ".") / path / "index.html").read_text(encoding="utf-8")


def test_a_day_is_a_rule_at_its_quarter_with_its_label(example_site):
    html = page(example_site, "kpis/tier1-availability")
    svg = chart_svg(html, "chart-tier1-availability")
    (rule_x,) = marks_x(svg, "event_days_marks")
    assert abs(rule_x - axis_label_x(svg, "2025 Q1")) < 1.5  # the outage of 14 March 2025, fiscal 2025 Q1
    assert labels_at(svg) == ["Data centre outage"]
    description = re.search(r'<desc id="chart-tier1-availability-desc">([^<]*)</desc>', svg).group(1)
    assert "Event marked: Data centre outage, Mar 14, 2025 (2025 Q1), vertical line." in description
    # the data table's Events column names it in its quarter's row only
    start = html.index("Data table: Tier 1")
    table = html[start:html.index("</table>", start)]
    assert "<th scope=\"col\">Events</th>" in table
    assert re.search(r"<th scope=\"row\">2025 Q1</th>(<td>[^<]*</td>){4}<td>Data centre outage</td>", table)
    assert table.count("Data centre outage") == 1


def test_a_period_is_a_band_over_its_quarters(example_site):
    # the cloud migration (April to December 2025) on the chart of its objective F1
    svg = chart_svg(page(example_site, "objectives/F1"), "chart-F1-trend")
    bands = marks_x(svg, "event_spans_marks")
    centres = [axis_label_x(svg, q) for q in ("2025 Q2", "2025 Q3", "2025 Q4")]
    assert len(bands) == 3 and all(abs(b - c) < 1.5 for b, c in zip(sorted(bands), centres)), (bands, centres)
    assert labels_at(svg) == ["Cloud migration wave 1"]


def test_labels_that_would_collide_become_numbers_keyed_under_the_chart(example_site):
    # the new service desk (2025 Q4) and the access-request milestone (2026 Q1) are a quarter apart
    html = page(example_site, "kpis/first-contact-resolution")
    svg = chart_svg(html, "chart-first-contact-resolution")
    assert sorted(labels_at(svg)) == ["1", "2"]
    key = re.search(r'<ol class="event-key"[^>]*>(.*?)</ol>', html).group(1)
    assert re.findall(r'<li value="(\d)">([^<]*)</li>', key) == [
        ("1", "New service desk live, Oct 6, 2025 (2025 Q4)"),
        ("2", "Automated access requests live, Mar 25, 2026 (2026 Q1)")]


def test_a_scorecard_wide_event_is_drawn_on_the_perspective_charts_only(example_site):
    assert "IT reorganisation" in labels_at(chart_svg(page(example_site, "perspectives/customer"), "chart-customer-trend"))
    assert "IT reorganisation" not in page(example_site, "objectives/C1")


def test_the_kpi_page_compares_before_with_after_as_hand_computed(example_site):
    html = page(example_site, "kpis/first-contact-resolution")
    def own_actual(quarter: str) -> float | None:  # each quarter's copy, as published; a stale value is not its own
        kpi = next(k for p in scorecard(example_site, quarter)["perspectives"] for o in p["objectives"] for k in o["kpis"]
                   if k["id"] == "first-contact-resolution")
        return None if kpi["stale"] else kpi["actual"]

    actual = {q: own_actual(q) for q in ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2026-Q1", "2026-Q2", "2026-Q3")}
    before = [actual[q] for q in ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3") if actual.get(q) is not None]
    after = [actual[q] for q in ("2026-Q1", "2026-Q2", "2026-Q3") if actual.get(q) is not None]
    b, a = sum(before) / len(before), sum(after) / len(after)
    sentence = (f"Averaged {a:.1f}% over the {len(after)} quarters after, against {b:.1f}% over the "
                f"{len(before)} quarters before: {a - b:+.1f} percentage points.")
    assert sentence in html
    assert "not a measured effect" in html


def test_a_quarter_copy_before_an_event_does_not_draw_or_list_it(example_site):
    # the new service desk went live on 6 October 2025 (2025 Q4)
    before = page(example_site, "kpis/first-contact-resolution", "2025-Q3")
    assert "New service desk live" not in before
    assert 'class="event-key"' not in before and "event_days_marks" not in before
    at = page(example_site, "kpis/first-contact-resolution", "2025-Q4")
    svg = chart_svg(at, "chart-first-contact-resolution")
    assert labels_at(svg) == ["New service desk live"]  # alone in its copy: a label, no numbers
    # too few quarters after it yet: no comparison is made
    assert "Not enough data to compare: fewer than 2 quarters with an actual before or after." in at


def test_a_milestone_marked_as_an_event_is_drawn_on_its_initiatives_objectives(example_site):
    html = page(example_site, "objectives/P1")
    assert "Automated access requests live" in labels_at(chart_svg(html, "chart-P1-trend"))
    assert '<li id="event-INI-02-milestone-2">' in html


def test_the_changes_page_and_the_briefing_book_list_the_quarters_events(example_site):
    changes = page(example_site, "changes", "2026-Q1")
    assert "Events in 2026 Q1" in changes
    for title in ("IT reorganisation", "Automated access requests live"):
        assert title in changes
    assert "Data centre outage" not in changes  # 2025 Q1: not under way in 2026 Q1
    assert "No event was under way in 2024 Q4." in page(example_site, "changes", "2024-Q4")
    assert "Events in 2026 Q1" in page(example_site, "briefing", "2026-Q1")
