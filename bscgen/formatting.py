"""How numbers and statuses read on a page (used by templates and chart texts)."""

from __future__ import annotations

import re
import textwrap
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, list_currencies
from babel.numbers import format_percent as babel_percent
from markupsafe import Markup

from bscgen.model import Bound, Kpi, Status
from bscgen.periods import Quarter
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
EN_US = Locale("en", "US")  # the formats of a site without language: or locale:
CURRENCIES = frozenset(list_currencies())  # ISO 4217 codes: a KPI with one as its unit is money
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


def _pattern(decimals: int) -> str:
    """The CLDR number pattern with `decimals` fixed decimals, e.g. "#,##0.0"."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def format_index(value: float | None, locale: Locale = EN_US) -> str:
    """A performance index (CPI, SPI) in hundredths, e.g. "0.93" ("0,93" in de)."""
    return NO_VALUE if value is None else format_number(value, 2, locale)


def _unsigned_zero(text: str) -> str:
    # Rounding can leave "-0.0"; a sign on zero only confuses.
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def format_number(value: float, decimals: int, locale: Locale = EN_US) -> str:
    """A number with `decimals` decimals and the locale's separators, e.g. "316.500,2" in de."""
    return _unsigned_zero(format_decimal(value, _pattern(decimals), locale=locale, decimal_quantization=True))


def format_amount(value: float, currency: str | None, decimals: int = 0, locale: Locale = EN_US) -> str:
    """Money in the locale's currency pattern ("316.500 €" in de), or a plain number without a currency."""
    if currency is None:
        return format_number(value, decimals, locale)
    # The locale's currency pattern with the KPI's decimals in place of the currency's own.
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    number = pattern.replace("¤", "").strip().replace("\xa0", "").replace("\u200f", "").replace("\u200e", "")
    pattern = pattern.replace(number, _pattern(decimals)) if number else pattern
    text = format_currency(value, currency, format=pattern, locale=locale, currency_digits=False)
    return _unsigned_zero(text)


def format_money(amount: float, currency: str | None = None, locale: Locale = EN_US) -> str:
    """A budget in whole units, e.g. "1,250,000", or "1.250.000 €" with `currency: EUR` in de."""
    return format_amount(amount, currency, 0, locale)


def format_percent(value: float, locale: Locale = EN_US) -> str:
    """A share in whole percent, e.g. "45%" or "45 %" in de (halves round to even, as Python's round)."""
    return babel_percent(int(round(value)) / 100, locale=locale)


def format_score(score: float | None, locale: Locale = EN_US) -> str:
    return NO_VALUE if score is None else format_number(score, 1, locale)


def format_value(value: Bound | None, kpi: Kpi, locale: Locale = EN_US) -> str:
    """A KPI value with the KPI's decimals and unit: money in the locale's currency
    pattern for an ISO 4217 unit, "%" without a space, else "value unit"."""
    if value is None:
        return NO_VALUE
    if kpi.unit in CURRENCIES:
        spell = lambda v: format_amount(v, kpi.unit, kpi.decimals, locale)  # noqa: E731
        return " to ".join(spell(v) for v in value) if isinstance(value, tuple) else spell(value)
    if isinstance(value, tuple):
        text = " to ".join(format_number(v, kpi.decimals, locale) for v in value)
    else:
        text = format_number(value, kpi.decimals, locale)
    if not kpi.unit:
        return text
    return f"{text}{kpi.unit}" if kpi.unit == "%" else f"{text} {kpi.unit}"


def format_chance(probability: float, locale: Locale = EN_US) -> str:
    """A probability in whole percent; "under 1%" and "over 99%" where rounding would claim certainty."""
    if 0 < probability < 0.005:
        return f"under {format_percent(1, locale)}"
    if 0.995 <= probability < 1:
        return f"over {format_percent(99, locale)}"
    return format_percent(100 * probability, locale)


def projection_words(projection: Projection, kpi: Kpi, locale: Locale = EN_US) -> str:
    """The projected value, its interval and the chance of meeting the target, e.g.
    "4.1% (80% interval 3.7 to 4.5), 12% chance of reaching the target 3.1%"."""
    if projection.low == projection.high:
        interval = "the actuals lie on a straight line, so no interval"
    else:
        interval = (f"{format_percent(100 * LEVEL, locale)} interval "
                    f"{format_value((projection.low, projection.high), kpi, locale)}")
    goal = "of landing in the target range" if kpi.direction == "range" else "of reaching the target"
    return (f"{format_value(projection.value, kpi, locale)} ({interval}), "
            f"{format_chance(projection.probability, locale)} chance {goal} {format_value(projection.target, kpi, locale)}")


def trend_delta(score: float | None, previous: float | None) -> float | None:
    return None if score is None or previous is None else score - previous


def format_trend(score: float | None, previous: float | None, locale: Locale = EN_US) -> str:
    """An arrow and the change in points, e.g. "▲ +3.2"; "–" when there is nothing to compare."""
    delta = trend_delta(score, previous)
    if delta is None:
        return NO_VALUE
    if round(delta, 1) == 0:
        return f"→ {format_number(0, 1, locale)}"
    return f"{'▲' if delta > 0 else '▼'} {format_decimal(delta, '+#,##0.0;-#,##0.0', locale=locale)}"


def trend_words(score: float | None, previous: float | None, locale: Locale = EN_US) -> str:
    """The trend for screen readers, e.g. "up 3.2 points from the previous quarter"."""
    delta = trend_delta(score, previous)
    if delta is None:
        return "no previous quarter to compare"
    if round(delta, 1) == 0:
        return "unchanged from the previous quarter"
    return f"{'up' if delta > 0 else 'down'} {format_number(abs(delta), 1, locale)} points from the previous quarter"


def format_day(day: date, locale: Locale = EN_US) -> str:
    """A date in the locale's medium format, e.g. "30.09.2026" in de, "Sep 30, 2026" in en."""
    return format_date(day, "medium", locale=locale)


def format_quarter(quarter: Quarter, locale: Locale = EN_US) -> str:
    """A fiscal quarter by CLDR's abbreviated quarter name and its year pattern (the
    "yQQQ" skeleton), e.g. "T3 2026" in fr, "K3 2026" in nl, "III kw. 2026" in pl."""
    name = locale.quarters["format"]["abbreviated"][quarter.number]
    pattern = locale.datetime_skeletons["yQQQ"].pattern
    return "".join(name if part == "QQQ" else str(quarter.fiscal_year) if part == "y" else part
                   for part in _fields(pattern))


def _fields(pattern: str) -> list[str]:
    """A CLDR date pattern's fields and literals ("QQQ 'de' y" -> QQQ, " ", "de", " ", y)."""
    parts, quoted = [], pattern.split("'")
    for index, piece in enumerate(quoted):
        if index % 2:  # inside quotes: a literal ('' is a quote)
            parts.append(piece or "'")
        else:
            parts += [m.group(0) for m in re.finditer(r"(Q+|y+|[^Qy]+)", piece)]
    return parts


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
