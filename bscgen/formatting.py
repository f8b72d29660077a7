"""How numbers and statuses read on a page (used by templates and chart texts)."""

from __future__ import annotations

import textwrap

from markupsafe import Markup

from bscgen.model import Bound, Kpi, Status
from bscgen.projection import LEVEL, Projection

# Colour-blind-safe (Okabe-Ito) status colours, for charts and the deck alike.
STATUS_COLOURS = {Status.GREEN: "#009E73", Status.AMBER: "#E69F00", Status.RED: "#D55E00", Status.NONE: "#999999"}
# The theme's lighter and darker tones of each (style.css): a box's fill, a status word's colour.
STATUS_TINTS = {Status.GREEN: "#e6f5f0", Status.AMBER: "#fdf3e0", Status.RED: "#fbeae0", Status.NONE: "#ffffff"}
STATUS_TEXT_COLOURS = {Status.GREEN: "#00684c", Status.AMBER: "#7a4f00", Status.RED: "#a34000", Status.NONE: "#5f6368"}


def N_(message: str) -> str:
    """Marks a message for the catalogs (pybabel extracts N_) that is translated where it is shown."""
    return message


STATUS_LABELS = {Status.GREEN: N_("On track"), Status.AMBER: N_("At risk"), Status.RED: N_("Off track"), Status.NONE: N_("No data")}
# A shape as well as a colour, so status never depends on colour vision alone.
STATUS_ICONS = {Status.GREEN: "●", Status.AMBER: "▲", Status.RED: "■", Status.NONE: "○"}
NO_VALUE = "–"
INITIATIVE_LABELS = {"planned": N_("Planned"), "on-track": N_("On track"), "at-risk": N_("At risk"), "late": N_("Late"),
                     "done": N_("Done")}
DIRECTION_LABELS = {
    "up": N_("up (higher is better)"), "down": N_("down (lower is better)"),
    "range": N_("range (inside the target range is best)"),
}
LABELS = {"status": STATUS_LABELS, "initiative": INITIATIVE_LABELS, "direction": DIRECTION_LABELS}


def format_label(value: str, kind: str) -> str:
    """How a status, an initiative status or a KPI direction reads, e.g. "On track"."""
    return LABELS[kind][value]


def format_money(amount: float) -> str:
    """A budget in whole units with thousands separators, e.g. "1,250,000"."""
    return f"{amount:,.0f}"


def format_percent(value: float) -> str:
    """A share in whole percent, e.g. "45%" (halves round to even, as Python's round)."""
    return f"{int(round(value))}%"


def format_index(value: float | None) -> str:
    """A performance index (CPI, SPI) in hundredths, e.g. "0.93"."""
    return NO_VALUE if value is None else f"{value:.2f}"


def format_score(score: float | None) -> str:
    return NO_VALUE if score is None else f"{score:.1f}"


def format_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    # Rounding can leave "-0.0"; a sign on zero only confuses.
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def format_value(value: Bound | None, kpi: Kpi) -> str:
    """A KPI value with the KPI's decimals and unit ("%" goes without a space)."""
    if value is None:
        return NO_VALUE
    if isinstance(value, tuple):
        text = " to ".join(format_number(v, kpi.decimals) for v in value)
    else:
        text = format_number(value, kpi.decimals)
    if not kpi.unit:
        return text
    return f"{text}{kpi.unit}" if kpi.unit == "%" else f"{text} {kpi.unit}"


def format_chance(probability: float) -> str:
    """A probability in whole percent; "under 1%" and "over 99%" where rounding would claim certainty."""
    if 0 < probability < 0.005:
        return "under 1%"
    if 0.995 <= probability < 1:
        return "over 99%"
    return format_percent(100 * probability)


def projection_words(projection: Projection, kpi: Kpi) -> str:
    """The projected value, its interval and the chance of meeting the target, e.g.
    "4.1% (80% interval 3.7 to 4.5), 12% chance of reaching the target 3.1%"."""
    if projection.low == projection.high:
        interval = "the actuals lie on a straight line, so no interval"
    else:
        interval = f"{format_percent(100 * LEVEL)} interval {format_value((projection.low, projection.high), kpi)}"
    goal = "of landing in the target range" if kpi.direction == "range" else "of reaching the target"
    return (f"{format_value(projection.value, kpi)} ({interval}), "
            f"{format_chance(projection.probability)} chance {goal} {format_value(projection.target, kpi)}")


def trend_delta(score: float | None, previous: float | None) -> float | None:
    return None if score is None or previous is None else score - previous


def format_trend(score: float | None, previous: float | None) -> str:
    """An arrow and the change in points, e.g. "▲ +3.2"; "–" when there is nothing to compare."""
    delta = trend_delta(score, previous)
    if delta is None:
        return NO_VALUE
    if round(delta, 1) == 0:
        return "→ 0.0"
    return f"{'▲' if delta > 0 else '▼'} {delta:+.1f}"


def trend_words(score: float | None, previous: float | None) -> str:
    """The trend for screen readers, e.g. "up 3.2 points from the previous quarter"."""
    delta = trend_delta(score, previous)
    if delta is None:
        return "no previous quarter to compare"
    if round(delta, 1) == 0:
        return "unchanged from the previous quarter"
    return f"{'up' if delta > 0 else 'down'} {abs(delta):.1f} points from the previous quarter"


def wrap_lines(text: str, width: int, most: int = 2) -> tuple[str, ...]:
    """A text wrapped to lines of `width` characters, at most `most` of them (the last cut with "…")."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return tuple(lines)


DESCRIPTION_CHARS = 160  # what search engines show of a meta description


def first_paragraph(html: str | None) -> str | None:
    """The plain text of an HTML text's first paragraph, or None."""
    if not html:
        return None
    start = html.find("<p>")
    end = html.find("</p>", start)
    text = Markup(html[start:end] if start >= 0 and end > start else html).striptags()
    return text or None


def meta_description(text: str) -> str:
    """A page summary of at most DESCRIPTION_CHARS characters, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
