"""Rendering pages from the theme's Jinja2 templates.

Templates hold presentation only; they receive computed results and use the
filters below to format numbers, so no arithmetic happens in a template.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from bscgen import __version__
from bscgen.compute import QuarterResult
from bscgen.model import Bound, Kpi, Scorecard

STATUS_LABELS = {"green": "On track", "amber": "At risk", "red": "Off track", "none": "No data"}
# Shape as well as colour, so status never depends on colour vision alone.
STATUS_ICONS = {"green": "●", "amber": "▲", "red": "■", "none": "○"}


def format_score(score: float | None) -> str:
    return "–" if score is None else f"{score:.1f}"


def format_value(value: Bound | None, kpi: Kpi) -> str:
    """A KPI value with the KPI's decimals and unit ("%" goes without a space)."""
    if value is None:
        return "–"
    if isinstance(value, tuple):
        text = "–".join(f"{v:,.{kpi.decimals}f}" for v in value)
    else:
        text = f"{value:,.{kpi.decimals}f}"
    if not kpi.unit:
        return text
    return f"{text}{kpi.unit}" if kpi.unit == "%" else f"{text} {kpi.unit}"


def format_trend(score: float | None, previous: float | None) -> str:
    if score is None or previous is None:
        return "–"
    delta = score - previous
    if abs(delta) < 0.05:
        return "→ 0.0"
    return f"{'▲' if delta > 0 else '▼'} {delta:+.1f}"


def environment(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(score=format_score, value=format_value, trend=format_trend)
    env.globals.update(status_label=STATUS_LABELS, status_icon=STATUS_ICONS, version=__version__)
    return env


def render_pages(env: jinja2.Environment, scorecard: Scorecard, result: QuarterResult) -> dict[str, str]:
    """Every HTML page of one quarter, by path relative to the site root."""
    context = {"config": scorecard.config, "result": result, "root": ""}
    return {"index.html": env.get_template("index.html").render(context)}
