"""scorecard.json, scorecard.csv and initiatives.csv: one quarter's results for other tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bscgen.compute import KpiResult, QuarterResult
from bscgen.lineage import source_records
from bscgen.model import Bound, Config, Event
from bscgen.periods import Quarter
from bscgen.portfolio import InitiativeResult, MilestoneState
from bscgen.projection import Projection
from bscgen.spreadsheets import safe_text

SCHEMA_VERSION = 2
PROJECTION_FIELDS = ("period", "value", "low", "high", "probability")  # projection_record's keys
CSV_COLUMNS = (
    "period", "perspective", "objective", "id", "name", "unit", "direction", "weight",
    "actual", "target", "baseline", "score", "status", "stale", "previous_score",
    *(f"projection_{name}" for name in PROJECTION_FIELDS),
)


def number(value: float | None) -> float | int | None:
    """Full precision; whole numbers are written without a trailing .0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def bound(value: Bound | None) -> Any:
    if isinstance(value, tuple):
        return [number(v) for v in value]
    return number(value)


def kpi_record(result: KpiResult) -> dict[str, Any]:
    kpi = result.kpi
    return {
        "id": kpi.id,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "weight": number(kpi.weight),
        "actual": number(result.actual),
        "target": bound(result.target),
        "baseline": bound(result.baseline),
        "score": number(result.score),
        "status": result.status,
        "stale": result.stale,
        "previous_score": number(result.previous_score),
        "projection": projection_record(result.projection),
        "sources": source_records(result),
    } | ({"from": kpi.link.as_dict()} if kpi.link else {})


def projection_record(projection: Projection | None) -> dict[str, Any] | None:
    if projection is None:
        return None
    return {
        "period": str(projection.quarter),
        "value": number(projection.value),
        "low": number(projection.low),
        "high": number(projection.high),
        "probability": number(projection.probability),
    }


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


def milestone_record(state: MilestoneState) -> dict[str, Any]:
    milestone = state.milestone
    return {"title": milestone.title, "due": _day(milestone.due), "done": _day(state.done), "missed": state.missed,
            "event": milestone.event}


def initiative_record(result: InitiativeResult) -> dict[str, Any]:
    """An initiative as of the quarter's end (SPEC 19)."""
    initiative, f = result.initiative, result.figures
    return {
        "id": initiative.id,
        "title": initiative.title,
        "objectives": list(initiative.objectives),
        "owner": initiative.owner,
        "status": initiative.status,
        "health": result.health,
        "start": _day(initiative.start),
        "due": _day(initiative.due),
        "budget": number(f.budget),
        "actual_cost": number(f.actual_cost),
        "earned_value": number(f.earned_value),
        "planned_value": number(f.planned_value),
        "cost_variance": number(f.cost_variance),
        "schedule_variance": number(f.schedule_variance),
        "cpi": number(f.cpi),
        "spi": number(f.spi),
        "eac": number(f.eac),
        "vac": number(f.vac),
        "progress": number(f.progress),
        "contribution": number(result.contribution),
        "milestones": [milestone_record(m) for m in result.milestones],
    }


def event_record(event: Event) -> dict[str, Any]:
    """`{"id", "title", "date" or "start"/"end", "scope"}`; the scope as written (empty: the whole scorecard)."""
    when = {"start": event.start.isoformat(), "end": event.end.isoformat()} if event.end else {"date": event.start.isoformat()}
    return {"id": event.id, "title": event.title, **when, "scope": event.scope()} | (
        {"initiative": event.initiative} if event.initiative else {})


def scorecard_record(config: Config, result: QuarterResult, audience: str | None = None) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "title": config.title,
        "audience": audience,
        "calendar": {"fiscal_year_start": config.calendar.start_month, "fiscal_year_named_by": config.calendar.named_by},
        "period": str(result.quarter),
        "periods": [str(q) for q in result.periods],
        "score": number(result.score),
        "status": result.status,
        "previous_score": number(result.previous_score),
        "perspectives": [
            {
                "id": p.perspective.id,
                "title": p.perspective.title,
                "weight": number(p.perspective.weight),
                "score": number(p.score),
                "status": p.status,
                "previous_score": number(p.previous_score),
                "objectives": [
                    {
                        "id": o.objective.id,
                        "title": o.objective.title,
                        "owner": o.objective.owner,
                        "weight": number(o.objective.weight),
                        "supports": list(o.objective.supports),
                        "serves": list(o.objective.serves),
                        "cascade": [str(ref) for ref in o.objective.cascade],
                        "score": number(o.score),
                        "status": o.status,
                        "previous_score": number(o.previous_score),
                        "kpis": [kpi_record(k) for k in o.kpis],
                    }
                    for o in p.objectives
                ],
            }
            for p in result.perspectives
        ],
        "goals": [
            {"id": g.goal.id, "title": g.goal.title, "url": g.goal.url, "score": number(g.score), "status": g.status,
             "objectives": [o.objective.id for o in g.objectives], "investment": number(g.investment)}
            for g in result.goals
        ],
        "scorecards": [
            {"id": c.id, "title": c.title, "url": c.url, "score": number(c.score),
             "status": c.status, "previous_score": number(c.previous_score)}
            for c in result.scorecards
        ],
        "initiatives": [initiative_record(i) for i in result.portfolio.initiatives] if result.portfolio else [],
        "events": [event_record(e) for e in result.events],
    }


def scorecard_json(config: Config, result: QuarterResult, audience: str | None = None) -> str:
    return json.dumps(scorecard_record(config, result, audience), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _cell(value: Any) -> str:
    """A CSV cell: a text never read as a formula; numbers as they are."""
    if isinstance(value, str):
        return safe_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # a range KPI's [low, high]
        return ";".join(_cell(v) for v in value)
    return str(value)


def scorecard_csv(result: QuarterResult) -> str:
    """One row per KPI; a range KPI's target and baseline are written low;high. A text
    that a spreadsheet would run as a formula (a KPI named "=HYPERLINK(...)") starts with '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in result.perspectives:
        for o in p.objectives:
            for k in o.kpis:
                record = kpi_record(k)
                context = {"period": str(result.quarter), "perspective": p.perspective.id, "objective": o.objective.id}
                projection = record.pop("projection") or {}
                flat = {f"projection_{name}": projection.get(name) for name in PROJECTION_FIELDS}
                writer.writerow(_cell({**context, **record, **flat}[column]) for column in CSV_COLUMNS)
    return out.getvalue()


INITIATIVE_CSV_COLUMNS = (
    "period", "id", "title", "objectives", "owner", "status", "health", "start", "due", "budget", "actual_cost",
    "earned_value", "planned_value", "cost_variance", "schedule_variance", "cpi", "spi", "eac", "vac", "progress",
    "contribution", "next_milestone", "next_milestone_due", "missed_milestones",
)


def initiatives_csv(result: QuarterResult) -> str:
    """One row per initiative with every figure as of the quarter's end (SPEC 19);
    objectives and missed milestones joined by ";", texts never read as formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INITIATIVE_CSV_COLUMNS)
    for initiative in result.portfolio.initiatives if result.portfolio else ():
        record = initiative_record(initiative)
        upcoming = initiative.next_milestone
        flat = {
            **record, "period": str(result.quarter), "objectives": ";".join(record["objectives"]),
            "next_milestone": upcoming.milestone.title if upcoming else None,
            "next_milestone_due": _day(upcoming.milestone.due) if upcoming else None,
            "missed_milestones": ";".join(m.milestone.title for m in initiative.milestones if m.missed),
        }
        writer.writerow(_cell(flat[column]) for column in INITIATIVE_CSV_COLUMNS)
    return out.getvalue()


def versions_json(quarters: tuple[Quarter, ...]) -> str:
    """mike's format: every quarter, newest first, the newest aliased latest."""
    versions = [
        {"version": str(q), "title": q.title, "aliases": ["latest"] if i == 0 else []}
        for i, q in enumerate(quarters)
    ]
    return json.dumps(versions, indent=2) + "\n"
