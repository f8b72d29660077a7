"""Published child scorecards (SPEC 11.2): a site another bscgen build
published, read from its versions.json and <quarter>/scorecard.json and never
rebuilt. The parent sees what it sees of a child project built with it
(tree.py): per quarter, the child's overall, perspective and objective scores
and its KPI actuals, as of that quarter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bscgen import urls
from bscgen.model import Child, ChildLink, ChildQuarter, Status
from bscgen.periods import FiscalCalendar, PeriodError, Quarter
from bscgen.problems import Problems, Source


def read_published(folder: Path, link: ChildLink, problems: Problems) -> Child | None:
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
