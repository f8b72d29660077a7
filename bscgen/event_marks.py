"""Events on charts (SPEC 20): what a chart over quarters draws for the events in
its scope, and the words that name them (pure).

A day is a rule at its fiscal quarter, a period a shaded band over its
quarters. Labels sit above the plot, each to the right or the left of its
mark; when no choice of sides keeps them apart, the labels become numbers
keyed to a list under the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Sequence

from bscgen.before_after import BeforeAfter
from bscgen.formatting import format_day, format_number, format_value
from bscgen.language import Language
from bscgen.model import Event, Kpi
from bscgen.periods import Quarter

LABEL_PX_PER_CHAR = 6.2  # an 11 px sans-serif label's mean advance
LABEL_GAP = 4  # px between a mark and its label, and between two labels
MOST_PLACED = 8  # beyond this many labels, trying every choice of sides costs more than numbers


@dataclass(frozen=True)
class EventMarks:
    """The event layers' data of one chart, and the list a numbered chart keys to."""

    datasets: dict[str, list]  # event_days, event_spans, event_labels_start, event_labels_end
    key: tuple[tuple[str, str], ...]  # (number, "title, when") when the labels are numbers; else empty
    shown: tuple[Event, ...]  # the events drawn, in order

    @property
    def drawn(self) -> bool:
        return bool(self.shown)


def event_marks(events: Sequence[Event], quarters: Sequence[Quarter], width: float, language: Language) -> EventMarks:
    """The marks of the events that fall on the chart's quarters (a period clipped to
    them), for a plot `width` px wide whose quarters are spaced evenly."""
    position = {q: i for i, q in enumerate(quarters)}
    shown = tuple(e for e in events if _shown_quarters(e, quarters))
    step = width / max(1, len(quarters))
    days, spans, anchors = [], [], []
    for event in shown:
        inside = _shown_quarters(event, quarters)
        if event.is_period:
            spans += [{"quarter": q.title, "event": event.id} for q in inside]
        else:
            days.append({"quarter": inside[0].title, "event": event.id})
        anchors.append((inside[0], (position[inside[0]] + 0.5) * step))
    texts = [e.title for e in shown]
    sides = _placed([(x, _width(t)) for (_, x), t in zip(anchors, texts)], width)
    key: tuple[tuple[str, str], ...] = ()
    if sides is None:  # numbers instead, one label per quarter: "1, 2" when two events share one
        key = tuple((str(n), f"{e.title}, {when(e, language)}") for n, e in enumerate(shown, 1))
        by_quarter: dict[Quarter, list[str]] = {}
        for n, (quarter, _) in enumerate(anchors, 1):
            by_quarter.setdefault(quarter, []).append(str(n))
        anchors = [(q, (position[q] + 0.5) * step) for q in by_quarter]
        texts = [", ".join(numbers) for numbers in by_quarter.values()]
        sides = _placed([(x, _width(t)) for (_, x), t in zip(anchors, texts)], width) or ["start"] * len(texts)
    labels = {"start": [], "end": []}
    for (quarter, _), text, side in zip(anchors, texts, sides):
        labels[side].append({"quarter": quarter.title, "label": text})
    return EventMarks({"event_days": days, "event_spans": spans, "event_labels_start": labels["start"],
                       "event_labels_end": labels["end"]}, key, shown)


def _shown_quarters(event: Event, quarters: Sequence[Quarter]) -> list[Quarter]:
    return [q for q in quarters if event.first <= q <= event.last]


def _width(text: str) -> float:
    return len(text) * LABEL_PX_PER_CHAR


def _placed(labels: list[tuple[float, float]], width: float) -> list[str] | None:
    """A side per label ("start": the label begins at its mark, "end": it ends there)
    so that no two labels overlap and none leaves the plot; None when there is none.
    Labels are (x of the mark, width of the text)."""
    if len(labels) > MOST_PLACED:
        return None
    for sides in product(("start", "end"), repeat=len(labels)):
        spans = sorted(_extent(x, w, side) for (x, w), side in zip(labels, sides))
        inside = all(0 <= left and right <= width for left, right in spans)
        if inside and all(a[1] + LABEL_GAP <= b[0] for a, b in zip(spans, spans[1:])):
            return list(sides)
    return None


def _extent(x: float, w: float, side: str) -> tuple[float, float]:
    return (x + LABEL_GAP, x + LABEL_GAP + w) if side == "start" else (x - LABEL_GAP - w, x - LABEL_GAP)


def when(event: Event, language: Language) -> str:
    """The event's day or period in the locale's medium date format, with its quarters."""
    locale = language.locale
    if not event.is_period:
        return language.gettext("%(day)s (%(quarter)s)") % {"day": format_day(event.start, locale), "quarter": event.first.title}
    if event.first == event.last:
        return language.gettext("%(start)s to %(end)s (%(quarter)s)") % {
            "start": format_day(event.start, locale), "end": format_day(event.end, locale), "quarter": event.first.title}
    return language.gettext("%(start)s to %(end)s (%(first)s to %(last)s)") % {
        "start": format_day(event.start, locale), "end": format_day(event.end, locale),
        "first": event.first.title, "last": event.last.title}


def events_sentence(marks: EventMarks, language: Language) -> str:
    """The events a chart draws, for its text alternative."""
    if not marks.drawn:
        return ""
    shape = {True: language.gettext("shaded band"), False: language.gettext("vertical line")}
    named = [f"{e.title}, {when(e, language)}, {shape[e.is_period]}" for e in marks.shown]
    return language.ngettext("Event marked: %(events)s.", "Events marked: %(events)s.", len(named)) % {
        "events": "; ".join(named)}


def events_in(marks: EventMarks, quarter: Quarter) -> str:
    """The titles of the events drawn at a quarter, for the chart's data table."""
    return "; ".join(e.title for e in marks.shown if e.first <= quarter <= e.last)


def comparison_words(comparison: BeforeAfter, kpi: Kpi, language: Language) -> str:
    """Before against after as a comparison of two averages, never as a measured effect:
    "Averaged 71.0% over the 4 quarters after, against 64.0% over the 4 quarters before: +7.0 points." """
    _, locale = language.gettext, language.locale
    if not comparison.enough:
        return _("Not enough data to compare: fewer than 2 quarters with an actual before or after.")
    quarters = lambda n: language.ngettext("%(count)s quarter", "%(count)s quarters", n) % {"count": n}  # noqa: E731
    difference = comparison.difference
    sign = "+" if round(difference, kpi.decimals) > 0 else ""
    if kpi.unit == "%":
        # a difference of two percentages is in percentage points; a decimal takes the plural everywhere
        change = _("%(change)s percentage points") % {"change": sign + format_number(difference, kpi.decimals, locale)}
    else:
        change = sign + format_value(difference, kpi, locale)
    return _("Averaged %(after)s over the %(after_quarters)s after, against %(before)s over the %(before_quarters)s "
             "before: %(change)s.") % {
        "after": format_value(comparison.after_mean, kpi, locale), "after_quarters": quarters(len(comparison.after)),
        "before": format_value(comparison.before_mean, kpi, locale), "before_quarters": quarters(len(comparison.before)),
        "change": change}
