"""The quarterly review (SPEC 12.1): what changed against the quarter before.

Pure functions of two quarters' results, the quarters frozen in archive/
(their published scorecard.json) and the project's git history: status
changes worst first, values lost and gained, the largest score movements,
target changes, restated values and changed definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bscgen import urls
from bscgen.compute import QuarterResult
from bscgen.export import kpi_record, number
from bscgen.gitlog import Commit, GitHistory
from bscgen.model import Status
from bscgen.periods import FiscalCalendar, Quarter

MOVERS = 10
SEVERITY = {Status.RED: 0, Status.NONE: 1, Status.AMBER: 2, Status.GREEN: 3}  # worst first


@dataclass(frozen=True)
class Item:
    """A perspective, objective or KPI, named and linked."""

    kind: str  # "perspective" | "objective" | "KPI"
    id: str
    title: str
    href: str  # from the quarter's root


@dataclass(frozen=True)
class StatusChange:
    item: Item
    before: Status
    after: Status


@dataclass(frozen=True)
class Movement:
    item: Item
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class ValueChange:
    """A KPI's value or target, before and after (targets, restated values)."""

    item: Item
    before: Any
    after: Any
    quarter: Quarter | None = None  # a restated value's quarter


@dataclass(frozen=True)
class DefinitionChange:
    item: Item
    field: str  # "target", "weight", ..., or "added" / "removed"
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class Changes:
    quarter: Quarter
    previous: Quarter | None  # None: the first quarter, nothing to compare
    status_changes: tuple[StatusChange, ...]
    lost_values: tuple[Item, ...]
    gained_values: tuple[Item, ...]
    objective_moves: tuple[Movement, ...]
    kpi_moves: tuple[Movement, ...]
    target_changes: tuple[ValueChange, ...]
    restated: tuple[ValueChange, ...]
    definitions: tuple[DefinitionChange, ...]
    since: Quarter | None  # the newest frozen quarter the definitions are compared with
    commits: tuple[Commit, ...]
    history_note: str | None  # why the commits are missing or incomplete
    commits_counted_only: bool = False  # a restricted view: the number of commits, not their subjects

    @property
    def line(self) -> str:
        """E.g. "3 status changes, 1 restated value"."""
        parts = [_count(len(self.status_changes), "status change"), _count(len(self.restated), "restated value")]
        return ", ".join(parts)


def largest_movements(changes: Changes, limit: int) -> tuple[Movement, ...]:
    """The objectives' and KPIs' largest score movements together, largest first (the dashboard's)."""
    moves = (*changes.objective_moves, *changes.kpi_moves)
    return tuple(sorted(moves, key=lambda m: (-abs(m.delta), m.item.kind, m.item.id))[:limit])


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _items(result: QuarterResult) -> dict[tuple[str, str], tuple[Item, Any]]:
    """Every perspective, objective and KPI of a quarter, with its result."""
    found = {}
    for p in result.perspectives:
        found[("perspective", p.perspective.id)] = (Item("perspective", p.perspective.id, p.perspective.title,
                                                         urls.perspective(p.perspective.id)), p)
        for o in p.objectives:
            found[("objective", o.objective.id)] = (Item("objective", o.objective.id, o.objective.title,
                                                       urls.objective(o.objective.id)), o)
            for k in o.kpis:
                found[("KPI", k.kpi.id)] = (Item("KPI", k.kpi.id, k.kpi.name, urls.kpi(k.kpi.id)), k)
    return found


def changes(now: QuarterResult, before: QuarterResult | None, frozen: dict[Quarter, dict],
            computed: dict[Quarter, QuarterResult], git: GitHistory, calendar: FiscalCalendar) -> Changes:
    """What changed in `now` against `before`; `frozen` holds the published scorecard.json
    of each frozen quarter, `computed` today's results for them."""
    current, previous = _items(now), _items(before) if before else {}
    both = [key for key in current if key in previous]
    flips = sorted(
        (StatusChange(current[k][0], previous[k][1].status, current[k][1].status) for k in both
         if current[k][1].status != previous[k][1].status),
        key=lambda c: (SEVERITY[c.after], -SEVERITY[c.before], c.item.kind, c.item.id))
    kpis = [k for k in both if k[0] == "KPI"]
    frozen_here = {q: data for q, data in frozen.items() if q <= now.quarter}
    newest = max(frozen_here, default=None)
    return Changes(
        now.quarter, before.quarter if before else None, tuple(flips),
        tuple(current[k][0] for k in kpis if previous[k][1].actual is not None and current[k][1].actual is None),
        tuple(current[k][0] for k in kpis if previous[k][1].actual is None and current[k][1].actual is not None),
        _movers(current, previous, both, "objective"), _movers(current, previous, both, "KPI"),
        tuple(ValueChange(current[k][0], previous[k][1].target, current[k][1].target) for k in kpis
              if current[k][1].target != previous[k][1].target),
        _restated(frozen_here, computed), _definitions(frozen_here[newest], computed[newest]) if newest else (),
        newest, commits_shown(git, now.quarter, calendar), git.note, git.counted_only,
    )


def commits_shown(git: GitHistory, quarter: Quarter, calendar: FiscalCalendar) -> tuple[Commit, ...]:
    """The commits a quarter's review lists: from the end of the quarter before it to
    the end of the one after it (its data is committed in the weeks after it ends), so
    the copy of a past quarter stops changing once the next quarter is over."""
    return git.between(calendar.last_day(quarter.previous), calendar.last_day(quarter.shift(1)))


def _movers(current, previous, keys, kind: str) -> tuple[Movement, ...]:
    moves = [
        Movement(current[k][0], previous[k][1].score, current[k][1].score) for k in keys
        if k[0] == kind and current[k][1].score is not None and previous[k][1].score is not None
        and current[k][1].score != previous[k][1].score
    ]
    return tuple(sorted(moves, key=lambda m: (-abs(m.delta), m.item.id))[:MOVERS])


def _frozen_kpis(data: dict) -> dict[str, dict]:
    return {k["id"]: k for p in data.get("perspectives", []) for o in p.get("objectives", []) for k in o.get("kpis", [])}


def _restated(frozen: dict[Quarter, dict], computed: dict[Quarter, QuarterResult]) -> tuple[ValueChange, ...]:
    """KPIs whose actual, as computed today, differs from what a frozen quarter published."""
    restated = []
    for quarter in sorted(frozen):
        published = _frozen_kpis(frozen[quarter])
        for key, (item, result) in _items(computed[quarter]).items():
            old = published.get(item.id, {}).get("actual") if key[0] == "KPI" else None
            if key[0] == "KPI" and item.id in published and old != kpi_record(result)["actual"]:
                restated.append(ValueChange(item, old, result.actual, quarter))
    return tuple(restated)


DEFINITION_FIELDS = ("target", "baseline", "weight", "direction")


def _definitions(published: dict, today: QuarterResult) -> tuple[DefinitionChange, ...]:
    """Definitions changed since a frozen quarter: both sides evaluated for that quarter."""
    found = []
    old_kpis, old_objectives = _frozen_kpis(published), {
        o["id"]: o for p in published.get("perspectives", []) for o in p.get("objectives", [])}
    items = _items(today)
    for (kind, item_id), (item, result) in items.items():
        if kind == "KPI" and item_id in old_kpis:
            record = kpi_record(result)
            found += [DefinitionChange(item, name, old_kpis[item_id].get(name), record[name])
                      for name in DEFINITION_FIELDS if old_kpis[item_id].get(name) != record[name]]
        elif kind == "objective" and item_id in old_objectives:
            if old_objectives[item_id].get("weight") != number(result.objective.weight):
                found.append(DefinitionChange(item, "weight", old_objectives[item_id].get("weight"), result.objective.weight))
        if kind in ("KPI", "objective") and item_id not in (old_kpis if kind == "KPI" else old_objectives):
            found.append(DefinitionChange(item, "added"))
    known = {(kind, item_id) for kind, item_id in items}
    found += [DefinitionChange(Item("KPI", k, v.get("name", k), ""), "removed") for k, v in old_kpis.items() if ("KPI", k) not in known]
    found += [DefinitionChange(Item("objective", o, v.get("title", o), ""), "removed")
              for o, v in old_objectives.items() if ("objective", o) not in known]
    return tuple(found)
