"""Checks of the links between a scorecard, its business goals and its children
(SPEC 11), and the actuals `from` KPIs take from child scorecards."""

from __future__ import annotations

from bscgen.model import Actual, Child, Config, Kpi, Objective
from bscgen.problems import Problems, did_you_mean


def check_alignment(config: Config, objectives: list[Objective], children: tuple[Child, ...], problems: Problems) -> None:
    """`serves` names goals, `cascade` names child objectives; uncovered goals and
    unaligned objectives are warnings (when the scorecard has goals)."""
    goal_ids = [g.id for g in config.goals]
    by_id = {c.id: c for c in children}
    failed = {link.id for link in config.scorecards} - set(by_id)  # their own errors are listed
    for objective in objectives:
        for goal in objective.serves:
            if goal not in goal_ids:
                hint = did_you_mean(goal, goal_ids) if goal_ids else "; list the goals under goals: items: in bscgen.yaml"
                problems.error(objective.link_sources[goal], f'"serves" names the goal "{goal}", which does not exist{hint}')
        for ref in objective.cascade:
            scorecard, child_objective = ref.scorecard, ref.objective
            child = by_id.get(scorecard)
            where = objective.link_sources[ref]
            if child is None and scorecard in failed:
                continue
            if child is None:
                problems.error(where, f'"cascade" names the scorecard "{scorecard}", which is not under scorecards: in bscgen.yaml{did_you_mean(scorecard, by_id)}')
            elif child_objective not in child.objectives:
                problems.error(where, f'"cascade" names the objective "{child_objective}", which the scorecard "{scorecard}" does not have{did_you_mean(child_objective, child.objectives)}')
        if goal_ids and not objective.serves:
            problems.warning(objective.source, f'the objective "{objective.id}" serves no goal; add serves: [{goal_ids[0]}] (or another goal)')
    served = {goal for o in objectives for goal in o.serves}
    for goal in config.goals:
        if goal.id not in served:
            problems.warning(goal.source, f'no objective serves the goal "{goal.id}"; add serves: [{goal.id}] to an objective')


def linked_actuals(config: Config, kpis: list[Kpi], children: tuple[Child, ...], actuals: list[Actual],
                   problems: Problems) -> list[Actual]:
    """The values of `from` KPIs, one per quarter the child has a value for; rows for
    them in data files are an error (the child is their only source)."""
    by_id = {c.id: c for c in children}
    failed = {link.id for link in config.scorecards} - set(by_id)
    linked = {k.id: k for k in kpis if k.link is not None}
    for actual in actuals:
        if actual.kpi in linked:
            problems.error(actual.source, f'the KPI "{actual.kpi}" takes its values from the scorecard "{linked[actual.kpi].link.scorecard}" (from:); remove this row', kind="rows for KPIs that take their values from a child scorecard")
    found = []
    for kpi in linked.values():
        child = by_id.get(kpi.link.scorecard)
        if kpi.link.scorecard in failed or not _known(kpi, child, by_id, problems):
            continue
        found += child_actuals(config, kpi, child)
    return found


def child_actuals(config: Config, kpi: Kpi, child: Child) -> list[Actual]:
    """A `from` KPI's values: one per quarter the child has a value for."""
    found = []
    for quarter in sorted(child.quarters):
        value = child.value(kpi.link.kind, kpi.link.item, quarter)
        if value is not None:
            found.append(Actual(kpi.id, str(quarter), quarter, config.calendar.last_day(quarter), value,
                                child.link.source, f"from the scorecard {child.title}"))
    return found


def _known(kpi: Kpi, child: Child | None, by_id: dict[str, Child], problems: Problems) -> bool:
    where = kpi.key_sources.get("from", kpi.source)
    link = kpi.link
    if child is None:
        problems.error(where, f'"from" names the scorecard "{link.scorecard}", which is not under scorecards: in bscgen.yaml{did_you_mean(link.scorecard, by_id)}')
        return False
    known = {"perspective": child.perspectives, "objective": child.objectives, "kpi": child.kpis}.get(link.kind)
    if known is not None and link.item not in known:
        problems.error(where, f'"from" names the {link.kind} "{link.item}", which the scorecard "{link.scorecard}" does not have{did_you_mean(link.item, known)}')
        return False
    return True
