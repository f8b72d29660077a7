"""Events on charts (SPEC 20), in the built example: listed in scorecard.json,
each quarter's copy showing only the events up to its end."""

from __future__ import annotations

import json
from pathlib import Path


def scorecard(site: Path, quarter: str | None = None) -> dict:
    return json.loads((site / (quarter or ".") / "scorecard.json").read_text(encoding="utf-8"))


def test_scorecard_json_lists_every_event_with_its_dates_and_scope(example_site):
    events = {e["id"]: e for e in scorecard(example_site)["events"]}
    assert list(events) == ["dc-outage", "cloud-migration", "new-service-desk", "reorganisation", "budget-freeze"]
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
