"""Events on charts, the pure parts (SPEC 20): where marks and labels go, and the
words that name events and compare before with after."""

from __future__ import annotations

from datetime import date

from hypothesis import given, strategies as st

from bscgen import charts
from bscgen.before_after import before_after
from bscgen.event_marks import LABEL_GAP, _extent, _placed, comparison_words, event_marks, when
from bscgen.language import ENGLISH
from bscgen.model import Event, Kpi
from bscgen.periods import FiscalCalendar, Quarter
from bscgen.problems import Source

CALENDAR = FiscalCalendar()
QUARTERS = [Quarter(2025, n) for n in (1, 2, 3, 4)] + [Quarter(2026, n) for n in (1, 2)]


def event(event_id: str, title: str, start: date, end: date | None = None) -> Event:
    return Event(id=event_id, title=title, start=start, end=end, first=CALENDAR.quarter_of(start),
                 last=CALENDAR.quarter_of(end or start), source=Source("data/events.yaml", 2))


def test_a_day_is_a_rule_and_a_period_a_band_clipped_to_the_charts_quarters():
    marks = event_marks([event("a", "Outage", date(2025, 2, 1)), event("b", "Move", date(2024, 11, 1), date(2025, 5, 1)),
                         event("c", "Later", date(2026, 8, 1))], QUARTERS, 520, ENGLISH)
    assert [e.id for e in marks.shown] == ["a", "b"]  # 2026 Q3 is not on the chart
    assert marks.datasets["event_days"] == [{"quarter": "2025 Q1", "event": "a"}]
    assert marks.datasets["event_spans"] == [{"quarter": "2025 Q1", "event": "b"}, {"quarter": "2025 Q2", "event": "b"}]
    assert marks.key == ()


def test_two_labels_close_together_go_to_either_side_of_their_marks():
    # quarter centres 217 and 303 px on a 520 px plot: 112 px of "Data centre outage" to the right of
    # the first would run into the second's label, so it ends at its mark instead
    marks = event_marks([event("a", "Data centre outage", date(2025, 8, 1)), event("b", "New desk", date(2025, 11, 1))],
                        QUARTERS, 520, ENGLISH)
    assert marks.datasets["event_labels_end"] == [{"quarter": "2025 Q3", "label": "Data centre outage"}]
    assert marks.datasets["event_labels_start"] == [{"quarter": "2025 Q4", "label": "New desk"}]


def test_labels_that_cannot_be_placed_apart_become_numbers_one_per_quarter():
    long = "A title far too long to sit beside its neighbour"
    marks = event_marks([event("a", long, date(2025, 8, 1)), event("b", long, date(2025, 9, 1)),
                         event("c", long, date(2025, 11, 1))], QUARTERS, 520, ENGLISH)
    labels = marks.datasets["event_labels_start"] + marks.datasets["event_labels_end"]
    assert sorted((d["quarter"], d["label"]) for d in labels) == [("2025 Q3", "1, 2"), ("2025 Q4", "3")]
    assert [n for n, _ in marks.key] == ["1", "2", "3"]
    assert marks.key[0][1] == f"{long}, Aug 1, 2025 (2025 Q3)"


@given(st.lists(st.tuples(st.floats(0, 520), st.floats(10, 200)), max_size=6))
def test_placed_labels_never_overlap_and_stay_on_the_plot(labels):
    sides = _placed(labels, 520)
    if sides is None:
        return
    spans = sorted(_extent(x, w, side) for (x, w), side in zip(labels, sides))
    assert all(0 <= left and right <= 520 for left, right in spans)
    assert all(a[1] + LABEL_GAP <= b[0] for a, b in zip(spans, spans[1:]))


def test_when_names_the_day_or_the_period_with_its_quarters():
    assert when(event("a", "A", date(2025, 3, 14)), ENGLISH) == "Mar 14, 2025 (2025 Q1)"
    assert when(event("b", "B", date(2025, 4, 1), date(2025, 12, 19)), ENGLISH) == \
        "Apr 1, 2025 to Dec 19, 2025 (2025 Q2 to 2025 Q4)"


def kpi(unit: str) -> Kpi:
    return Kpi(id="k", name="K", objective="C1", source=Source("data/kpis.yaml", 2), unit=unit, decimals=1)


def test_the_comparison_reads_as_two_averages_against_a_hand_computation():
    values = {Quarter(2024, 3): 60, Quarter(2024, 4): 62, Quarter(2025, 1): 64, Quarter(2025, 2): 66,
              Quarter(2025, 4): 70, Quarter(2026, 1): 73}
    comparison = before_after(Quarter(2025, 3), Quarter(2025, 3), Quarter(2026, 1), values)
    # before: (60 + 62 + 64 + 66) / 4 = 63; after: (70 + 73) / 2 = 71.5
    assert comparison_words(comparison, kpi("%"), ENGLISH) == (
        "Averaged 71.5% over the 2 quarters after, against 63.0% over the 4 quarters before: +8.5 percentage points.")
    assert comparison_words(comparison, kpi("h"), ENGLISH).endswith("against 63.0 h over the 4 quarters before: +8.5 h.")
    too_early = before_after(Quarter(2025, 3), Quarter(2025, 3), Quarter(2025, 4), values)
    assert comparison_words(too_early, kpi("%"), ENGLISH).startswith("Not enough data to compare")


def test_a_trend_chart_with_events_has_their_layers_sentence_and_column():
    points = [(q, 50.0 + i, "green") for i, q in enumerate(QUARTERS)]
    plain = charts.score_trend("t", "T", points, 100)
    chart = charts.score_trend("t", "T", points, 100, ENGLISH, [event("a", "Outage", date(2025, 2, 1))])
    assert "event_days" not in plain.datasets and plain.columns == ("Quarter", "Score", "Status")
    names = [layer.get("name") for layer in chart.spec["layer"]]
    # a day's rule and its label; the layers of bands and of labels ending at their marks have nothing to draw
    assert names[-2:] == ["event_days", "event_labels_start"] and "event_spans" not in names
    assert chart.description.endswith("Event marked: Outage, Feb 1, 2025 (2025 Q1), vertical line.")
    assert chart.columns[-1] == "Events" and chart.rows[0][-1] == "Outage" and chart.rows[1][-1] == ""
    assert chart.key != plain.key
