"""Charts: Vega-Lite specs (made once with Altair) rendered to inline SVG.

Each chart kind is built once as an Altair chart reading named datasets;
every chart of that kind is a copy of that spec with its own data, title
and scale, which is far cheaper than building and validating a new Altair
object per chart. vl-convert renders the SVG offline; the SVG needs no
JavaScript and prints.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import os
import re
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any, Sequence

from babel import Locale
from markupsafe import Markup, escape

from bscgen import keys
from bscgen.compute import KpiResult, ObjectiveResult, PerspectiveResult
from bscgen.event_marks import EventMarks, event_marks, events_in, events_sentence
from bscgen.formatting import (
    NO_VALUE, STATUS_COLOURS, STATUS_LABELS, format_money, format_percent, format_score, format_value, projection_words,
    wrap_lines,
)
from bscgen.language import ENGLISH, Language
from bscgen.model import Bands, Bound, Event, Kpi, Status
from bscgen.periods import Quarter, quarter_range
from bscgen.portfolio import MilestoneState, Portfolio
from bscgen.projection import Projection
from bscgen.scoring import value_at_score

ZONES = (Status.GREEN, Status.AMBER, Status.RED)
ACTUAL_COLOUR = "#0072B2"
INK = "#1b1f24"
WIDTH, HEIGHT = 520, 200
CONFIG = {
    # The generic family: text is measured by vl-convert and drawn by the
    # browser, and a generic family differs least between the two.
    "font": "sans-serif",
    "padding": {"left": 16, "right": 8, "top": 4, "bottom": 4},
    "view": {"stroke": None},
    "axis": {"labelColor": INK, "titleColor": INK, "gridColor": "#e3e6ea", "labelFontSize": 11},
    "title": {"anchor": "start", "fontSize": 14, "color": INK},
    "background": "white",
}


@dataclass(frozen=True)
class Chart:
    """A chart with its text alternative and the same numbers as a table.

    The Vega-Lite spec is built only when the chart must be drawn: a chart's
    key comes from what it is made of, so cached charts cost no spec.
    """

    id: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: str
    datasets: dict[str, list] = field(compare=False, repr=False)
    y_domain: list[float] | None = None
    y_title: str | None = None
    locale: str = "en_US"  # the CLDR locale of its axes' numbers
    event_key: tuple[tuple[str, str], ...] = ()  # (number, event) listed under a chart whose event labels are numbers

    @cached_property
    def spec(self) -> dict[str, Any]:
        return _spec(self.kind, self.title, self.description, self.datasets, self.y_domain, self.y_title, self.locale)

    @cached_property
    def key(self) -> str:
        """Charts with the same key draw the same SVG."""
        return keys.chart_key(self.kind, self.title, self.description, self.datasets, self.y_domain, self.y_title,
                              self.locale)

    @cached_property
    def page_key(self) -> str:
        """What a page showing this chart depends on: the drawing and its texts."""
        return keys.json_key([self.key, self.id, self.title, self.description, self.columns, self.rows, self.event_key])


def _status_colour(field: str = "status") -> Any:
    import altair as alt

    return alt.Color(
        f"{field}:N", legend=None,
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
    )


@lru_cache(maxsize=None)
def _template(kind: str) -> dict[str, Any]:
    """The Vega-Lite spec of one chart kind, built once with Altair."""
    import altair as alt  # imported lazily: only builds that draw charts pay for it

    kinds = {"bars": _bars, "trend": _trend, "kpi": _kpi, "timeline": _timeline, "investment": _investment}
    if kind not in kinds:
        raise ValueError(kind)
    spec = kinds[kind](alt).properties(height=HEIGHT, title="title").to_dict()
    spec["config"] = CONFIG
    return spec


def _bars(alt) -> Any:
    """Scores of several items in one quarter, as bars in their status colours."""
    base = alt.Chart(alt.NamedData("items")).encode(
        # labels hold their lines joined by "\n": long titles wrap instead of being cut
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=240, labelExpr="split(datum.value, '\\n')")),
        x=alt.X("score:Q", title="Score", scale=alt.Scale(domain=[0, 100], nice=False)),
    )
    return alt.layer(
        base.mark_bar(height={"band": 0.7}).encode(color=_status_colour()),
        base.mark_text(align="left", dx=4, color=INK).encode(text="score_text:N"),
    ).properties(width=WIDTH - 260)


def _trend(alt) -> Any:
    """A score over quarters, each point in its status colour and shape."""
    base = alt.Chart(alt.NamedData("points")).encode(
        x=_quarter_axis(alt), y=alt.Y("score:Q", title="Score", scale=alt.Scale(domain=[0, 100], nice=False)),
    )
    return alt.layer(
        base.mark_line(color=INK),
        base.mark_point(filled=True, size=70, opacity=1).encode(color=_status_colour(), shape=alt.Shape(
            "status:N", legend=None,
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=["circle", "triangle-up", "square", "circle"]),
        )),
    ).properties(width=WIDTH)


def _kpi(alt) -> Any:
    """A KPI's actual over quarters against its target, its status zones and its projection."""
    x = alt.X("quarter:O", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
              scale=alt.Scale(paddingInner=0, paddingOuter=0))
    y_scale = alt.Scale(domain=[0, 100], nice=False, zero=False)
    bands = alt.Chart(alt.NamedData("bands")).mark_rect(opacity=0.16).encode(
        x=x, y=alt.Y("low:Q", title="", scale=y_scale), y2="high:Q",
        color=alt.Color("zone:N", legend=None, scale=alt.Scale(
            domain=list(ZONES), range=[STATUS_COLOURS[s] for s in ZONES])),
    )
    points = alt.Chart(alt.NamedData("points"))
    # The projection: two rows, the last actual and the projected quarter.
    # The fitted line is straight, so the segment between them is exact;
    # the band fans out from the last actual to the prediction interval.
    projection = alt.Chart(alt.NamedData("projection"))
    return alt.layer(
        bands,
        projection.mark_area(color=ACTUAL_COLOUR, fillOpacity=0.2, stroke=ACTUAL_COLOUR, strokeWidth=0.75)
        .encode(x=x, y=alt.Y("low:Q", scale=y_scale), y2="high:Q").properties(name="projection_band"),
        points.mark_line(interpolate="step", strokeDash=[6, 4], color=INK, strokeWidth=1.5).encode(
            x=x, y=alt.Y("target:Q", scale=y_scale)),
        points.mark_line(interpolate="step", strokeDash=[6, 4], color=INK, strokeWidth=1.5).encode(
            x=x, y=alt.Y("target_high:Q", scale=y_scale)),
        projection.mark_line(color=ACTUAL_COLOUR, strokeWidth=2, strokeDash=[3, 3], point=alt.OverlayMarkDef(
            color=ACTUAL_COLOUR, fill="white", filled=False, size=50, strokeWidth=2))
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale)).properties(name="projection_line"),
        points.mark_line(color=ACTUAL_COLOUR, strokeWidth=2.5, point=alt.OverlayMarkDef(
            color=ACTUAL_COLOUR, size=50, filled=True)).encode(x=x, y=alt.Y("actual:Q", scale=y_scale)),
    ).properties(width=WIDTH)


MILESTONE_SHAPES = {"done": "diamond", "missed": "cross", "open": "triangle-down"}
PLANNED_FILL = "#eef0f3"


def _timeline(alt) -> Any:
    """A Gantt chart: a bar per initiative from start to due, the part done filled in
    its health colour, milestones as marks, a rule at the quarter's end."""
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=240, labelExpr="split(datum.value, '\\n')"))
    x = alt.X("start:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%Y-%m", labelOverlap="greedy"))
    bars = alt.Chart(alt.NamedData("bars"))
    return alt.layer(
        bars.mark_bar(height={"band": 0.6}, color=PLANNED_FILL, stroke=INK, strokeWidth=0.75).encode(y=y, x=x, x2="due:T"),
        bars.mark_bar(height={"band": 0.6}).encode(y=y, x=x, x2="done_to:T", color=_status_colour("health")),
        alt.Chart(alt.NamedData("milestones")).mark_point(filled=True, size=80, opacity=1, color=INK).encode(
            y=y, x=alt.X("due:T", scale=alt.Scale(type="utc")), shape=alt.Shape(
                "state:N", title="Milestone", scale=alt.Scale(domain=list(MILESTONE_SHAPES), range=list(MILESTONE_SHAPES.values())),
                legend=alt.Legend(orient="bottom"))),
        alt.Chart(alt.NamedData("quarter_end")).mark_rule(color=INK, strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=alt.X("day:T", scale=alt.Scale(type="utc"))),
        alt.Chart(alt.NamedData("quarter_end")).mark_text(align="left", baseline="top", dx=3, dy=-14, color=INK).encode(
            x=alt.X("day:T", scale=alt.Scale(type="utc")), y=alt.value(0), text="label:N"),
    ).properties(width=WIDTH - 200)


def _investment(alt) -> Any:
    """Budget against strategic contribution: a labelled point per initiative."""
    base = alt.Chart(alt.NamedData("points")).encode(
        x=alt.X("contribution:Q", title="Strategic contribution, in percent of the scorecard score", scale=alt.Scale(zero=True)),
        y=alt.Y("budget:Q", title="Budget", scale=alt.Scale(zero=True), axis=alt.Axis(format="~s")),
    )
    return alt.layer(
        base.mark_point(filled=True, size=90, opacity=1, stroke=INK, strokeWidth=0.75).encode(color=_status_colour("health")),
        base.mark_text(align="left", dx=7, dy=-6, color=INK).encode(text="label:N"),
    ).properties(width=WIDTH - 120)


def _quarter_axis(alt) -> Any:
    return alt.X("quarter:O", title=None, sort=None, axis=alt.Axis(labelAngle=0))


def vega_number_locale(locale: Locale) -> dict[str, Any]:
    """Vega's (d3-format's) number locale from CLDR's symbols, so axis ticks use the
    same separators as the page around them (vl-convert's own d3 locales differ from
    CLDR: fr groups with a no-break space where CLDR has a narrow one, pl with a dot)."""
    symbols = locale.number_symbols["latn"]
    return {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3]}


@lru_cache(maxsize=None)
def _number_locale(name: str) -> dict[str, Any]:
    return vega_number_locale(Locale.parse(name))


def _spec(kind: str, title: str, description: str, datasets: dict[str, list], y_domain=None, y_title=None,
          locale: str = "en_US") -> dict:
    spec = copy.deepcopy(_template(kind))
    spec["config"]["locale"] = {"number": _number_locale(locale)}  # Vega's format locale
    spec["title"] = title
    spec["description"] = description
    spec["datasets"] = dict(datasets)  # a copy: words for the axes and legends are taken out below
    if kind == "bars":
        two_lines = any("\n" in item["label"] for item in datasets["items"])
        spec["height"] = max(60, (36 if two_lines else 26) * len(datasets["items"]))
        spec["layer"][0]["encoding"]["x"]["scale"]["domain"] = y_domain
        spec["layer"][0]["encoding"]["x"]["title"] = y_title  # the score axis: its title in the page's language
    elif kind == "trend":
        spec["layer"][0]["encoding"]["y"]["scale"]["domain"] = y_domain
        spec["layer"][0]["encoding"]["y"]["title"] = y_title
    elif kind == "timeline":
        spec["height"] = max(60, 30 * len(datasets["bars"]))
        words = spec["datasets"].pop("legend")[0]  # the milestone legend, in the page's language
        shape = spec["layer"][2]["encoding"]["shape"]
        shape["title"] = y_title
        shape["legend"]["labelExpr"] = " : ".join(
            [f"datum.label == {json.dumps(state)} ? {json.dumps(word)}" for state, word in words.items()] + ["datum.label"])
    elif kind == "investment":
        axes = spec["datasets"].pop("axes")[0]
        for layer in spec["layer"]:
            layer["encoding"]["x"]["title"], layer["encoding"]["y"]["title"] = axes["x"], axes["y"]
    elif kind == "kpi":
        for layer in spec["layer"]:
            layer["encoding"]["y"]["scale"]["domain"] = y_domain
        spec["layer"][0]["encoding"]["y"]["title"] = y_title or ""
    if "event_days" in datasets:
        _add_event_layers(spec, kind)
    return spec


EVENT_INK = "#5a4e8c"  # rules, bands and labels of events: apart from the status colours and the actual's blue


@lru_cache(maxsize=None)
def _event_layers() -> dict[str, dict[str, Any]]:
    """The layers that draw events on a chart over quarters, built once with Altair:
    a shaded band per quarter of a period, a rule per day, labels above the plot."""
    import altair as alt

    x = alt.X("quarter:O", title=None)
    label = dict(baseline="bottom", dy=-3, color=EVENT_INK, fontSize=11)
    layers = alt.layer(
        alt.Chart(alt.NamedData("event_spans")).mark_rect(color=EVENT_INK, opacity=0.12).encode(x=x),
        alt.Chart(alt.NamedData("event_days")).mark_rule(color=EVENT_INK, strokeWidth=1.5).encode(x=x),
        alt.Chart(alt.NamedData("event_labels_start")).mark_text(align="left", dx=4, **label).encode(
            x=x, y=alt.value(0), text="label:N"),
        alt.Chart(alt.NamedData("event_labels_end")).mark_text(align="right", dx=-4, **label).encode(
            x=x, y=alt.value(0), text="label:N"),
    ).to_dict()["layer"]
    names = ("spans", "days", "labels_start", "labels_end")
    for name, layer in zip(names, layers):
        layer["name"] = f"event_{name}"  # the SVG's groups are classed event_days_marks and so on
    return dict(zip(names, layers))


def _add_event_layers(spec: dict[str, Any], kind: str) -> None:
    """Events on a trend or KPI chart. The quarters become bands without padding (their
    points stay where they were), so a period's band covers its quarters edge to edge;
    the domain is the chart's own quarters, whatever order the layers list them in."""
    layers = copy.deepcopy(_event_layers())
    quarters = [p["quarter"] for p in spec["datasets"]["points"]]
    scale = {"type": "band", "paddingInner": 0, "paddingOuter": 0, "domain": quarters}
    drawn = {name: layer for name, layer in layers.items() if spec["datasets"][f"event_{name}"]}
    if "spans" in drawn:  # an empty layer is left out: its SVG group would be an unlabelled graphic
        spec["layer"].insert(1 if kind == "kpi" else 0, drawn.pop("spans"))  # above a KPI chart's zones, under every line
    spec["layer"] += list(drawn.values())
    for layer in spec["layer"]:
        x = layer["encoding"].get("x")
        if x and x.get("field") == "quarter":
            x["scale"] = x.get("scale", {}) | scale
            x.setdefault("sort", None)
            if x.get("axis"):
                x["axis"] |= {"bandPosition": 0.5, "labelAlign": "center", "labelBaseline": "top"}  # ticks and labels under the points


# --- chart kinds -----------------------------------------------------------------


LABEL_CHARS = 34  # characters per line of a bar label that fit its 240 px


def score_bars(chart_id: str, title: str, items: Sequence[tuple[str, float | None, str]], cap: float,
               language: Language = ENGLISH) -> Chart:
    """Bars of child scores for one quarter: items are (label, score, status); texts in the language, numbers in its locale."""
    _, locale = language.gettext, language.locale
    rows = tuple((label, format_score(s, locale), _(STATUS_LABELS[st])) for label, s, st in items)
    scored = [f"{label} {format_score(s, locale)} ({_(STATUS_LABELS[st])})" for label, s, st in items]
    description = _("Bar chart of scores from 0 to %(cap)s: %(items)s.") % {"cap": f"{cap:g}", "items": "; ".join(scored)}
    data = [
        {"label": "\n".join(wrap_lines(label, LABEL_CHARS)), "score": s, "status": st, "score_text": format_score(s, locale)}
        for label, s, st in items
    ]
    return Chart(chart_id, title, description, (_("Item"), _("Score"), _("Status")), rows, "bars", {"items": data},
                 [0, max(100, cap)], _("Score"), str(locale))


def score_trend(chart_id: str, title: str, points: Sequence[tuple[Quarter, float | None, str]], cap: float,
                language: Language = ENGLISH, events: Sequence[Event] = ()) -> Chart:
    """A score over quarters: points are (quarter, score, status); texts in the language, numbers in its locale."""
    _, locale = language.gettext, language.locale
    rows = tuple((q.title, format_score(s, locale), _(STATUS_LABELS[st])) for q, s, st in points)
    scored = [f"{q.title} {format_score(s, locale)}" for q, s, _status in points]
    description = _("Line chart of the score by quarter, 0 to %(cap)s: %(points)s.") % {
        "cap": f"{cap:g}", "points": "; ".join(scored)}
    data = [{"quarter": q.title, "score": s, "status": st} for q, s, st in points]
    chart = Chart(chart_id, title, description, (_("Quarter"), _("Score"), _("Status")), rows, "trend", {"points": data},
                  [0, max(100, cap)], _("Score"), str(locale))
    return _with_events(chart, events, [q for q, _s, _st in points], 3, language)


def kpi_trend(chart_id: str, kpi: Kpi, history: Sequence[tuple[Quarter, KpiResult]], bands: Bands,
              language: Language = ENGLISH, events: Sequence[Event] = ()) -> Chart:
    """A KPI's actual over quarters against its target, with its status bands, and
    the latest quarter's year-end projection: a dashed line and a shaded interval."""
    _, locale = language.gettext, language.locale
    latest_quarter, latest = history[-1]
    projection = latest.projection
    points, zones, y_domain = _kpi_series(kpi, history, bands)
    title = _("%(kpi)s: actual and target") % {"kpi": kpi.name}
    columns = (_("Quarter"), _("Actual"), _("Target"), _("Score"), _("Status"))
    rows = [
        (q.title, format_value(r.actual, kpi, locale), format_value(r.target, kpi, locale), format_score(r.score, locale), _(STATUS_LABELS[r.status]))
        for q, r in history
    ]
    description = " ".join([
        _("Line chart of %(kpi)s by quarter from %(first)s to %(last)s, with the target as a dashed line and green, "
          "amber and red zones.") % {"kpi": kpi.name, "first": history[0][0].title, "last": latest_quarter.title},
        _("%(quarter)s: actual %(actual)s, target %(target)s, score %(score)s (%(status)s).") % {
            "quarter": latest_quarter.title, "actual": format_value(latest.actual, kpi, locale),
            "target": format_value(latest.target, kpi, locale), "score": format_score(latest.score, locale),
            "status": _(STATUS_LABELS[latest.status])},
    ])
    if projection:
        words = projection_words(projection, kpi, locale)
        columns += (_("Projection"),)
        rows = [row + ("",) for row in rows] + [
            (_("%(quarter)s (projected)") % {"quarter": projection.quarter.title}, NO_VALUE,
             format_value(projection.target, kpi, locale), NO_VALUE, NO_VALUE, words)]
        description += " " + language.ngettext(
            "Projected for %(quarter)s from %(count)s quarter, as a dashed blue line and a shaded band: %(words)s.",
            "Projected for %(quarter)s from %(count)s quarters, as a dashed blue line and a shaded band: %(words)s.",
            projection.quarters_used) % {"quarter": projection.quarter.title, "count": projection.quarters_used, "words": words}
    chart = Chart(
        chart_id, title, description, columns, tuple(rows),
        "kpi", {"points": points, "bands": zones, "projection": _projection_points(projection)}, y_domain, kpi.unit,
        str(locale),
    )
    return _with_events(chart, events, _kpi_quarters(history), 5, language)


def _kpi_quarters(history: Sequence[tuple[Quarter, KpiResult]]) -> list[Quarter]:
    """The quarters along a KPI chart: its history, then up to the projected quarter."""
    latest_quarter, latest = history[-1]
    ahead = quarter_range(latest_quarter.shift(1), latest.projection.quarter) if latest.projection else []
    return [q for q, _ in history] + list(ahead)


def _kpi_series(kpi: Kpi, history: Sequence[tuple[Quarter, KpiResult]], bands: Bands):
    """The chart's points (actual, target) and zones per quarter, and its value domain.

    With a projection, the quarters up to the projected one follow the
    history, with their targets and zones: the axis reaches the projection.
    """
    latest_quarter, latest = history[-1]
    projection = latest.projection
    ahead = quarter_range(latest_quarter.shift(1), projection.quarter) if projection else []
    quarters = [(q, r.actual, r.target, r.baseline) for q, r in history]
    quarters += [(q, None, kpi.target_for(q), latest.baseline) for q in ahead]
    points, zones, values = [], [], [projection.low, projection.high] if projection else []
    for quarter, actual, target, baseline in quarters:
        low, high = (target if isinstance(target, tuple) else (target, None))
        points.append({"quarter": quarter.title, "actual": actual, "target": low, "target_high": high})
        values += [v for v in (actual, low, high) if v is not None]
        values += list(baseline) if isinstance(baseline, tuple) else [baseline]
    y_domain = _padded(values)
    for quarter, _, target, baseline in quarters:
        for zone, (low, high) in _zones(kpi, target, baseline, bands, y_domain):
            zones.append({"quarter": quarter.title, "zone": zone, "low": low, "high": high})
    return points, zones, y_domain


def _projection_points(projection: Projection | None) -> list[dict]:
    """The projected segment: from the last actual (no spread) to the projected value and its interval."""
    if projection is None:
        return []
    start = projection.last_value
    return [
        {"quarter": projection.last_quarter.title, "value": start, "low": start, "high": start},
        {"quarter": projection.quarter.title, "value": projection.value, "low": projection.low, "high": projection.high},
    ]


def _padded(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1
    return [low - pad, high + pad]


def _zones(kpi: Kpi, target: Bound, baseline: Bound, bands: Bands, domain: list[float]):
    """Value ranges scoring green, amber and red in one quarter, within the chart's domain."""
    bottom, top = domain
    kpi_bands = kpi.bands or bands
    green = value_at_score(kpi_bands.green, kpi.direction, target, baseline)
    amber = value_at_score(kpi_bands.amber, kpi.direction, target, baseline)
    if kpi.direction == "range":
        (g_low, g_high), (a_low, a_high) = green, amber
        spans = [(Status.RED, bottom, a_low), (Status.AMBER, a_low, g_low), (Status.GREEN, g_low, g_high),
                 (Status.AMBER, g_high, a_high), (Status.RED, a_high, top)]
    elif target > baseline:
        spans = [(Status.RED, bottom, amber), (Status.AMBER, amber, green), (Status.GREEN, green, top)]
    else:
        spans = [(Status.GREEN, bottom, green), (Status.AMBER, green, amber), (Status.RED, amber, top)]
    for zone, low, high in spans:
        low, high = max(low, bottom), min(high, top)
        if high > low:
            yield zone, (low, high)


def _with_events(chart: Chart, events: Sequence[Event], quarters: Sequence[Quarter], at: int,
                 language: Language) -> Chart:
    """The chart with its events drawn, named in its text alternative and in an Events
    column of its table (at column `at`; a row is a quarter's when it starts with its title)."""
    marks: EventMarks = event_marks(events, quarters, WIDTH, language)
    if not marks.drawn:
        return chart
    by_title = {q.title: q for q in quarters}
    columns = chart.columns[:at] + (language.gettext("Events"),) + chart.columns[at:]
    rows = tuple(row[:at] + ((events_in(marks, by_title[row[0]]) if row[0] in by_title else ""),) + row[at:]
                 for row in chart.rows)
    return replace(chart, description=f"{chart.description} {events_sentence(marks, language)}", columns=columns,
                   rows=rows, datasets=chart.datasets | marks.datasets, event_key=marks.key)


def perspective_charts(result: PerspectiveResult, history: Sequence[tuple[Quarter, PerspectiveResult]], cap: float,
                       language: Language = ENGLISH, events: Sequence[Event] = ()) -> list[Chart]:
    pid, title = result.perspective.id, result.perspective.title
    return [
        score_bars(
            f"chart-{pid}-objectives", language.gettext("%(perspective)s: objective scores") % {"perspective": title},
            [(f"{o.objective.id} {o.objective.title}", o.score, o.status) for o in result.objectives], cap, language,
        ),
        score_trend(
            f"chart-{pid}-trend", language.gettext("%(item)s: score by quarter") % {"item": title},
            [(q, p.score, p.status) for q, p in history], cap, language, events,
        ),
    ]


def objective_charts(result: ObjectiveResult, history: Sequence[tuple[Quarter, ObjectiveResult]], cap: float,
                     language: Language = ENGLISH, events: Sequence[Event] = ()) -> list[Chart]:
    oid = result.objective.id
    return [
        score_bars(
            f"chart-{oid}-kpis", language.gettext("%(objective)s: KPI scores") % {"objective": oid},
            [(k.kpi.name, k.score, k.status) for k in result.kpis], cap, language,
        ),
        score_trend(
            f"chart-{oid}-trend", language.gettext("%(item)s: score by quarter") % {"item": f"{oid} {result.objective.title}"},
            [(q, o.score, o.status) for q, o in history], cap, language, events,
        ),
    ]


def _day_between(start: date, end: date, fraction: float) -> date:
    return start + timedelta(days=round((end - start).days * fraction))


def _milestone_state(state: MilestoneState) -> str:
    return "done" if state.done else "missed" if state.missed else "open"


def portfolio_timeline(chart_id: str, portfolio: Portfolio, quarter: Quarter, quarter_end: date,
                       language: Language = ENGLISH) -> Chart:
    """The initiatives with a start and a due date as a Gantt chart, as of the quarter's end; texts in the language."""
    _, locale = language.gettext, language.locale
    state_words = {"done": _("done"), "missed": _("missed"), "open": _("to come")}
    drawn = [r for r in portfolio.initiatives if r.initiative.start and r.initiative.due]
    bars, marks, rows, said = [], [], [], []
    for result in drawn:
        initiative, progress = result.initiative, result.figures.progress
        name = f"{initiative.id} {initiative.title}"
        label = "\n".join(wrap_lines(name, LABEL_CHARS))
        start, due = initiative.start.isoformat(), initiative.due.isoformat()
        done_to = _day_between(initiative.start, initiative.due, (progress or 0) / 100)
        bars.append({"label": label, "start": start, "due": due, "done_to": done_to.isoformat(), "health": result.health})
        states = [_("%(title)s due %(due)s %(state)s") % {
            "title": m.milestone.title, "due": m.milestone.due.isoformat(), "state": state_words[_milestone_state(m)]}
            for m in result.milestones]
        marks += [{"label": label, "due": m.milestone.due.isoformat(), "state": _milestone_state(m)} for m in result.milestones]
        progress_text = NO_VALUE if progress is None else format_percent(progress, locale)
        health = _(STATUS_LABELS[result.health])
        rows.append((name, start, due, progress_text, health, "; ".join(states) or NO_VALUE))
        said.append(_("%(initiative)s from %(start)s to %(due)s, %(progress)s done, health %(health)s") % {
            "initiative": name, "start": start, "due": due, "progress": progress_text, "health": health}
            + (_(", milestones: %(milestones)s") % {"milestones": "; ".join(states)} if states else ""))
    left_out = [r.initiative.id for r in portfolio.initiatives if r not in drawn]
    description = _("Timeline of %(count)s initiatives, each a bar from its start to its due date, the part done filled, "
                    "milestones as marks, a dashed line at the end of %(quarter)s (%(day)s): %(items)s.") % {
        "count": len(drawn), "quarter": quarter.title, "day": quarter_end.isoformat(), "items": "; ".join(said) or NO_VALUE}
    if left_out:
        description += " " + _("Without start or due date, not drawn: %(ids)s.") % {"ids": ", ".join(left_out)}
    quarter_line = [{"day": quarter_end.isoformat(), "label": _("%(quarter)s end") % {"quarter": quarter.title}}]
    legend = {"open": _("to come"), "done": _("done"), "missed": _("missed")}
    return Chart(chart_id, _("Initiatives: timeline"), description,
                 (_("Initiative"), _("Start"), _("Due"), _("Progress"), _("Health"), _("Milestones")), tuple(rows),
                 "timeline", {"bars": bars, "milestones": marks, "quarter_end": quarter_line, "legend": [legend]},
                 y_title=_("Milestone"), locale=str(locale))


def portfolio_investment(chart_id: str, portfolio: Portfolio, language: Language = ENGLISH) -> Chart:
    """Each initiative's budget against its strategic contribution (its objectives' share of the score)."""
    _, locale = language.gettext, language.locale

    def money(amount: float) -> str:
        return format_money(amount, language.currency, locale)

    shown = [r for r in portfolio.initiatives if r.figures.budget is not None and r.contribution is not None]
    points = [{"label": r.initiative.id, "budget": r.figures.budget, "contribution": 100 * r.contribution,
               "health": r.health} for r in shown]
    rows = tuple((f"{r.initiative.id} {r.initiative.title}", money(r.figures.budget),
                  format_percent(100 * r.contribution, locale), _(STATUS_LABELS[r.health])) for r in shown)
    said = [_("%(initiative)s budget %(budget)s, contribution %(share)s") % {
        "initiative": f"{r.initiative.id} {r.initiative.title}", "budget": money(r.figures.budget),
        "share": format_percent(100 * r.contribution, locale)} for r in shown]
    description = _("Scatter chart of each initiative's budget against its strategic contribution, the share of the "
                    "scorecard score its objectives carry: %(items)s.") % {"items": "; ".join(said) or NO_VALUE}
    return Chart(chart_id, _("Initiatives: budget against strategic contribution"), description,
                 (_("Initiative"), _("Budget"), _("Strategic contribution"), _("Health")), rows, "investment",
                 {"points": points, "axes": [{"x": _("Strategic contribution, in percent of the scorecard score"), "y": _("Budget")}]},
                 locale=str(locale))


# --- SVG -------------------------------------------------------------------------

_ID = re.compile(r'\bid="([^"]+)"')
PARALLEL_FROM = 40  # below this many charts, starting worker processes costs more than it saves
MAX_CHUNK = 16  # charts sent to a worker at once


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the pool), not a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_all(spec_jsons: list[str]) -> list[str]:
    return [_render(spec_json) for spec_json in spec_jsons]


def _render(spec_json: str) -> str:
    import vl_convert  # the JS engine starts on first use (~0.3 s), once per process

    return vl_convert.vegalite_to_svg(spec_json)


class ChartDrawer:
    """Draws charts: in this process for small batches, on every core for large ones.

    Worker processes are started once per build, with `spawn`: vl-convert's
    engine does not survive a fork once the parent has used it.
    """

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def draw(self, specs: dict[str, dict[str, Any]], progress=None) -> dict[str, str]:
        """SVG for each spec, by key."""
        chart_keys = sorted(specs)
        payloads = [json.dumps(specs[key], sort_keys=True) for key in chart_keys]
        if self.workers == 1 or (len(chart_keys) < PARALLEL_FROM and self._pool is None):
            drawn = map(_render, payloads)
        else:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_ignore_interrupts)
            size = max(1, min(MAX_CHUNK, len(chart_keys) // (self.workers * 8)))
            # submitted, not map()ped: map cancels what is left when its loop is left, and a
            # cancelled future trips Python 3.11's pool when close() stops its workers
            futures = [self._pool.submit(_render_all, payloads[i:i + size]) for i in range(0, len(payloads), size)]
            drawn = (svg for future in futures for svg in future.result())
        svgs = []
        for svg in drawn:
            svgs.append(svg)
            if progress:
                progress("charts", len(svgs), len(chart_keys))
        return dict(zip(chart_keys, svgs))

    def close(self, abandon: bool = False) -> None:
        """Stop the workers: after their work, or at once when the build is abandoned
        (an error, Ctrl-C), so a stopped build never waits for charts it will not use."""
        if self._pool is None:
            return
        if abandon:
            workers = list((getattr(self._pool, "_processes", None) or {}).values())
            if hasattr(self._pool, "terminate_workers"):  # Python 3.14
                self._pool.terminate_workers()
            for worker in workers:  # before 3.14 there is no public way to stop them mid-chart
                worker.terminate()
        self._pool.shutdown()  # abandoned: at once, the pool sees its workers gone
        self._pool = None

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(abandon=kind is not None)


def label_svg(svg: str, chart_id: str, title: str, description: str) -> Markup:
    """Inline SVG labelled by its title and description, with ids unique to the chart."""
    # Ids are prefixed with the chart id so several charts can share a page.
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{chart_id}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    head_end = svg.index(">") + 1
    opening = svg[:head_end].replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" ', 1,
    )
    labels = f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    return Markup(opening + labels + svg[head_end:])
