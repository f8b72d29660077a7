"""Child scorecards (SPEC 11.2): what a parent knows of each unit's scorecard.

A child is either a bscgen project, loaded (and later built) with the
parent, or a site another bscgen build published, read from its
versions.json and <quarter>/scorecard.json and never rebuilt. Either way the
parent sees the same thing: per quarter, the child's overall, perspective
and objective scores and its KPI actuals, as of that quarter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bscgen import urls
from bscgen.model import ChildLink, Scorecard, Status
from bscgen.periods import FiscalCalendar, PeriodError, Quarter
from bscgen.problems import ContentError, Problem, Problems, Source

CONFIG_FILE = "bscgen.yaml"


@dataclass(frozen=True)
class ChildQuarter:
    """A child scorecard's results in one quarter."""

    score: float | None
    status: Status
    previous_score: float | None
    perspectives: dict[str, float | None]
    objectives: dict[str, float | None]
    kpis: dict[str, float | None]  # actuals


@dataclass(frozen=True)
class Child:
    link: ChildLink
    title: str
    calendar: FiscalCalendar | None  # None: a published child that does not say (schema 1)
    quarters: dict[Quarter, ChildQuarter]
    objectives: dict[str, str]  # id -> title
    perspectives: tuple[str, ...]
    kpis: dict[str, str | None]  # id -> unit
    children: tuple[Child, ...] = ()
    scorecard: Scorecard | None = field(default=None, compare=False)  # a project built with the parent
    root: Path | None = field(default=None, compare=False)  # the project's folder
    history: tuple[Any, ...] = field(default=(), compare=False)  # a project's results per quarter, computed once

    @property
    def id(self) -> str:
        return self.link.id

    @property
    def built(self) -> bool:
        return self.scorecard is not None

    def value(self, kind: str, item: str | None, quarter: Quarter) -> float | None:
        """The value a `from` KPI takes in a quarter (None when the child has none)."""
        results = self.quarters.get(quarter)
        if results is None:
            return None
        if kind == "scorecard":
            return results.score
        return {"perspective": results.perspectives, "objective": results.objectives, "kpi": results.kpis}[kind].get(item)


def load_children(root: Path, links: tuple[ChildLink, ...], calendar: FiscalCalendar, problems: Problems,
                  ancestors: tuple[Path, ...]) -> tuple[Child, ...]:
    """Every child of a project, its problems reported with paths from the project's root."""
    children = []
    for link in links:
        folder = (root / link.path).resolve()
        if folder in ancestors or folder == root.resolve():
            chain = " -> ".join(p.name for p in (*ancestors, root.resolve(), folder))
            problems.error(link.source, f'the scorecard "{link.id}" at {link.path} includes itself ({chain}); remove the cycle')
            continue
        if (folder / CONFIG_FILE).is_file():
            child = _load_project(folder, link, problems, (*ancestors, root.resolve()))
        elif (folder / urls.VERSIONS).is_file():
            child = _load_published(folder, link, problems)
        else:
            problems.error(link.source, f'the scorecard "{link.id}" at {link.path} is neither a bscgen project '
                                        f"(no {CONFIG_FILE}) nor a published bscgen site (no {urls.VERSIONS})")
            continue
        if child is None:
            continue
        if child.calendar is not None and child.calendar != calendar:
            problems.error(link.source, f'the scorecard "{link.id}" uses another fiscal calendar '
                                        f"({_describe(child.calendar)}) than this one ({_describe(calendar)}); "
                                        "their quarters would not match")
            continue
        children.append(child)
    return tuple(children)


def _describe(calendar: FiscalCalendar) -> str:
    return f"fiscal_year_start: {calendar.start_month}, fiscal_year_named_by: {calendar.named_by}"


def _prefixed(problem: Problem, prefix: str) -> Problem:
    source = problem.source
    return Problem(Source(f"{prefix}/{source.path}", source.line, source.cell), problem.severity, problem.message)


def _load_project(folder: Path, link: ChildLink, problems: Problems, ancestors: tuple[Path, ...]) -> Child | None:
    from bscgen.compute import compute_history, latest_quarter  # the project loader imports this module
    from bscgen.project import load_project

    try:
        scorecard, warnings = load_project(folder, ancestors=ancestors)
    except ContentError as error:
        problems.items.extend(_prefixed(p, link.path) for p in error.problems)
        return None
    problems.items.extend(_prefixed(p, link.path) for p in warnings)
    quarters = {}
    history = tuple(compute_history(scorecard, latest_quarter(scorecard)))
    for result in history:
        objectives = {o.objective.id: o for p in result.perspectives for o in p.objectives}
        quarters[result.quarter] = ChildQuarter(
            result.score, result.status, result.previous_score,
            {p.perspective.id: p.score for p in result.perspectives},
            {oid: o.score for oid, o in objectives.items()},
            {k.kpi.id: k.actual for o in objectives.values() for k in o.kpis},
        )
    return Child(
        link, scorecard.config.title, scorecard.config.calendar, quarters,
        {o.id: o.title for o in scorecard.objectives}, tuple(p.id for p in scorecard.config.perspectives),
        {k.id: k.unit for k in scorecard.kpis}, scorecard.children, scorecard, folder, history,
    )


def _load_published(folder: Path, link: ChildLink, problems: Problems) -> Child | None:
    """A published child: versions.json names its quarters, each with a scorecard.json."""
    versions = _read_json(folder / urls.VERSIONS, f"{link.path}/{urls.VERSIONS}", problems)
    if not isinstance(versions, list):
        if versions is not None:
            problems.error(Source(f"{link.path}/{urls.VERSIONS}", 1), "versions.json must be a list of quarters, as bscgen writes it")
        return None
    quarters, latest = {}, None
    for entry in versions:
        try:
            quarter = Quarter.parse(str(entry.get("version", "")) if isinstance(entry, dict) else "")
        except PeriodError:
            problems.error(Source(f"{link.path}/{urls.VERSIONS}", 1), f"versions.json lists {entry!r}, which is not a quarter")
            continue
        shown = f"{link.path}/{urls.copy_folder(quarter)}{urls.SCORECARD_JSON}"
        data = _read_json(folder / urls.copy_folder(quarter) / urls.SCORECARD_JSON, shown, problems)
        results = _quarter_results(data, shown, problems) if data is not None else None
        if results is not None:
            quarters[quarter] = results
            latest = data if latest is None or quarter > Quarter.parse(latest["period"]) else latest
    if latest is None:
        return None
    return Child(
        link, str(latest.get("title") or link.id), _calendar(latest.get("calendar")), quarters,
        {o["id"]: o.get("title", "") for p in latest["perspectives"] for o in p["objectives"]},
        tuple(p["id"] for p in latest["perspectives"]),
        {k["id"]: k.get("unit") for p in latest["perspectives"] for o in p["objectives"] for k in o["kpis"]},
    )


def _read_json(path: Path, shown: str, problems: Problems) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.error(Source(shown), f"{shown} is missing; a published scorecard has one per quarter in versions.json")
    except (OSError, UnicodeDecodeError) as error:
        problems.error(Source(shown), f"cannot read {shown}: {error}")
    except json.JSONDecodeError as error:
        problems.error(Source(shown, error.lineno), f"{shown} is not valid JSON: {error.msg}")
    return None


def _quarter_results(data: Any, shown: str, problems: Problems) -> ChildQuarter | None:
    """One published quarter's results; a file of another shape is an error."""
    try:
        perspectives = data["perspectives"]
        objectives = [o for p in perspectives for o in p["objectives"]]
        return ChildQuarter(
            _number(data["score"]), Status(data["status"]), _number(data.get("previous_score")),
            {p["id"]: _number(p["score"]) for p in perspectives},
            {o["id"]: _number(o["score"]) for o in objectives},
            {k["id"]: _number(k["actual"]) for o in objectives for k in o["kpis"]},
        )
    except (KeyError, TypeError, ValueError) as error:
        problems.error(Source(shown, 1), f"{shown} is not a scorecard.json written by bscgen ({type(error).__name__}: {error})")
        return None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _calendar(data: Any) -> FiscalCalendar | None:
    if not isinstance(data, dict):
        return None
    return FiscalCalendar(int(data.get("fiscal_year_start", 1)), str(data.get("fiscal_year_named_by", "end")))
