"""Load and validate one project: files -> a `Scorecard`, or every problem.

Each file is read and checked on its own by config.py, content.py and
data.py; this module adds the checks that need more than one file
(duplicate ids, references between records, duplicate actuals). Its child
scorecards come in already loaded and computed (tree.py does that, children
first), since `from` KPIs take their values from them.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from bscgen.alignment import check_alignment, linked_actuals
from bscgen.archive import archived_quarters
from bscgen.content import (
    COMMENTARY_KEYS, commentary_key, load_document, load_initiative, load_objective, markdown_files, relative,
)
from bscgen.data import load_actuals, load_kpis
from bscgen.events import load_events, milestone_events
from bscgen.model import Actual, Child, Config, Document, Event, Initiative, InitiativeActual, Kpi, Objective, Scorecard
from bscgen.problems import ContentError, Problems, Source, did_you_mean


def load_project(root: Path, config: Config, children: tuple[Child, ...], problems: Problems,
                 strict: bool = False, audiences: tuple[str, ...] | None = None) -> Scorecard:
    """The validated scorecard of a project whose bscgen.yaml is read (`config`) and whose
    children are loaded; raises ContentError listing every problem in `problems` (warnings
    too when `strict`) if anything is wrong. `audiences`: the ids `visible_to` may name
    (a child built with its parent uses the parent's); None: bscgen.yaml's own."""
    # While bscgen.yaml cannot be read in full, its perspectives are defaults
    # standing in: checks against them would only echo that one mistake.
    perspective_ids = [p.id for p in config.perspectives] if config.complete else None

    objective_files = _readable(load_objective, root / "content" / "objectives", root, problems)
    initiative_files = _readable(load_initiative, root / "content" / "initiatives", root, problems)
    loaded_objectives = [record for record, _ in objective_files]
    loaded_initiatives = [record for record, _ in initiative_files]
    objectives = _unique(loaded_objectives, "objective", problems)
    initiatives = _unique(loaded_initiatives, "initiative", problems)
    kpis, declared_kpis = load_kpis(root, problems)
    actuals, initiative_actuals = load_actuals(root, config, {k.id: k for k in kpis}, declared_kpis, problems)
    events = load_events(root, config.calendar, problems)
    home = _document(root / "content" / "index.md", root, problems)
    perspective_pages = _perspective_pages(root, perspective_ids, problems)
    commentary = _commentary(root, problems)

    # When an objective file could not be read, any id may be in it: references
    # to unknown objectives are then not reported, to spare a flood of follow-on errors.
    objectives_readable = len(loaded_objectives) == len(markdown_files(root / "content" / "objectives"))
    objective_ids = {o.id for o in objectives} if objectives_readable else None
    # Records with a duplicate id are still checked, so all their problems show at once.
    _check_references(loaded_objectives, loaded_initiatives, kpis, perspective_ids, objective_ids, problems)
    _check_commentary(commentary, objective_ids, problems)
    initiatives_readable = len(loaded_initiatives) == len(markdown_files(root / "content" / "initiatives"))
    _check_event_scopes(events, {
        "kpis": set(declared_kpis) if declared_kpis is not None else None, "objectives": objective_ids,
        "perspectives": set(perspective_ids) if perspective_ids is not None else None,
        "initiative": {i.id for i in initiatives} if initiatives_readable else None,
    }, problems)
    _check_initiative_actuals(initiative_actuals, {i.id for i in initiatives} if initiatives_readable else None, problems)
    _check_plans(loaded_initiatives, config, problems)
    known = audiences if audiences is not None else tuple(a.id for a in config.audiences)
    _check_audiences(known, [*loaded_objectives, *loaded_initiatives, *kpis, *commentary.values(), *events, *config.goals,
                             *config.scorecards], problems)
    events = _with_milestone_events(events, initiatives, config.calendar, problems)
    _check_actuals(actuals, {k.id: k for k in kpis}, problems)
    check_alignment(config, loaded_objectives, children, problems)
    actuals += linked_actuals(config, kpis, children, actuals, problems)
    _check_span(actuals, problems)
    _warn_about_gaps(
        config.perspectives if config.complete else (), objectives if objectives_readable else None,
        kpis if declared_kpis is not None else None, actuals, problems,
    )
    _check_the_rest(root, actuals, problems)

    if problems.errors or (strict and problems.warnings):
        raise ContentError(problems.sorted())
    return Scorecard(
        config=config, objectives=tuple(objectives), kpis=tuple(kpis), initiatives=tuple(initiatives),
        actuals=tuple(actuals), initiative_actuals=tuple(initiative_actuals), home=home, perspective_pages=perspective_pages, commentary=commentary,
        objective_texts={o.id: text for o, text in objective_files},
        initiative_texts={i.id: text for i, text in initiative_files}, children=children, events=tuple(events),
    )


def _check_the_rest(root: Path, actuals: list[Actual], problems: Problems) -> None:
    archived_quarters(root, problems)  # reports folders that are not quarters
    if not actuals and not problems.errors:
        problems.error(Source("data"), "there are no KPI actuals; add a CSV file under data/ (see docs/project.md for its layout)")


def _check_audiences(known: tuple[str, ...], records: list, problems: Problems) -> None:
    """Every audience a `visible_to` names is one of bscgen.yaml's `audiences:`."""
    for record in records:
        for audience, where in zip(record.visible_to, record.visible_sources):
            if not known:
                problems.error(where, f'"visible_to" names the audience "{audience}", but bscgen.yaml has no audiences; '
                                      f"list them under audiences: (e.g. - {{id: {audience}, title: ...}})")
            elif audience not in known:
                problems.error(where, f'"visible_to" names the audience "{audience}", which is not under audiences: in '
                                      f"bscgen.yaml{did_you_mean(audience, known)}")


def _check_commentary(commentary: dict, objective_ids: set[str] | None, problems: Problems) -> None:
    """Objective commentary is named after an objective (checked only when every id is known)."""
    for (_, objective_id), document in commentary.items():
        if objective_id is not None and objective_ids is not None and objective_id not in objective_ids:
            problems.error(document.source, f'no objective has the id "{objective_id}"{did_you_mean(objective_id, objective_ids)}; name commentary files after an objective id')


def _readable(load, folder: Path, root: Path, problems: Problems) -> list:
    """Every Markdown record below a folder that could be read."""
    records = (load(path, root, problems) for path in markdown_files(folder))
    return [record for record in records if record is not None]


def _unique(records: list, what: str, problems: Problems) -> list:
    """Report ids used twice, naming both places; keep the first."""
    seen: dict[str, Source] = {}
    unique = []
    for record in records:
        if record.id in seen:
            problems.error(record.source, f'the {what} id "{record.id}" is already used at {seen[record.id]}; {what} ids must be unique')
            continue
        seen[record.id] = record.source
        unique.append(record)
    return unique


def _document(path: Path, root: Path, problems: Problems) -> Document | None:
    return load_document(path, root, problems) if path.is_file() else None


def _perspective_pages(root: Path, perspective_ids: list[str] | None, problems: Problems) -> dict[str, Document]:
    """Perspective page texts by perspective id (ids unchecked when None: not known)."""
    pages = {}
    for path in markdown_files(root / "content" / "perspectives"):
        document = load_document(path, root, problems)
        if perspective_ids is not None and path.stem not in perspective_ids:
            problems.error(
                Source(relative(path, root), 1),
                f'no perspective has the id "{path.stem}"{did_you_mean(path.stem, perspective_ids)}; '
                f"name the file after one of: {', '.join(perspective_ids)}",
            )
        elif document is not None:
            pages[path.stem] = document
    return pages


def _commentary(root: Path, problems: Problems) -> dict:
    commentary = {}
    for path in markdown_files(root / "content" / "commentary"):
        key = commentary_key(path, root, problems)
        document = load_document(path, root, problems, COMMENTARY_KEYS)
        if key is not None and document is not None:
            commentary[key] = document
    return commentary


def _check_references(
    objectives: list[Objective], initiatives: list[Initiative], kpis: list[Kpi],
    perspective_ids: list[str] | None, objective_ids: set[str] | None, problems: Problems,
) -> None:
    """Every id a record names must exist (objective and perspective ids: only when all are known)."""
    known = objective_ids if objective_ids is not None else _AnyId()
    for objective in objectives:
        if perspective_ids is not None and objective.perspective not in perspective_ids:
            problems.error(
                objective.key_sources["perspective"],
                f'unknown perspective "{objective.perspective}"{did_you_mean(objective.perspective, perspective_ids)}; '
                f"use one of: {', '.join(perspective_ids)}",
            )
        for ref in objective.supports:
            where = objective.reference_sources[ref]
            if ref == objective.id:
                problems.error(where, f'the objective "{ref}" cannot support itself; remove it from supports')
            elif ref not in known:
                problems.error(where, f'"supports" names the objective "{ref}", which does not exist{did_you_mean(ref, known)}')
    for initiative in initiatives:
        for ref in initiative.objectives:
            if ref not in known:
                problems.error(initiative.reference_sources[ref], f'"objectives" names the objective "{ref}", which does not exist{did_you_mean(ref, known)}')
    for kpi in kpis:
        if kpi.objective not in known:
            problems.error(kpi.key_sources["objective"], f'the KPI "{kpi.id}" names the objective "{kpi.objective}", which does not exist{did_you_mean(kpi.objective, known)}')


EVENT_SCOPE_NAMES = {"kpis": "KPI", "objectives": "objective", "perspectives": "perspective", "initiative": "initiative"}


def _check_event_scopes(events: list[Event], known: dict[str, set[str] | None], problems: Problems) -> None:
    """Every KPI, objective, perspective and initiative an event names exists
    (each kind checked only when all its ids are known)."""
    for event in events:
        for (key, ref), where in event.reference_sources.items():
            ids = known[key]
            if ids is not None and ref not in ids:
                what = EVENT_SCOPE_NAMES[key]
                problems.error(where, f'the event "{event.id}" names the {what} "{ref}" in "{key}", which does not exist'
                                      f"{did_you_mean(ref, ids)}")


def _with_milestone_events(events: list[Event], initiatives: list[Initiative], calendar, problems: Problems) -> list[Event]:
    """The events of the data files and those of milestones marked `event: true`, by
    first day then id. A milestone's event id must not be taken by a data file's event."""
    declared = {e.id: e.source for e in events}
    found = list(events)
    for initiative in initiatives:
        for event in milestone_events(initiative, calendar):
            if event.id in declared:
                problems.error(event.source, f'the milestone "{event.title}" is an event with the id "{event.id}", '
                                             f"which the event at {declared[event.id]} already uses; rename that event")
                continue
            found.append(event)
    return sorted(found, key=lambda e: (e.start, e.id))


def _check_initiative_actuals(rows: list[InitiativeActual], initiative_ids: set[str] | None, problems: Problems) -> None:
    """Rows of spend and progress name an initiative of content/initiatives/ (checked
    only when every initiative file could be read)."""
    for row in rows if initiative_ids is not None else ():
        if row.initiative not in initiative_ids:
            problems.error(
                row.source, f'unknown initiative id "{row.initiative}" in the initiative column'
                            f"{did_you_mean(row.initiative, initiative_ids)}; initiatives are content/initiatives/*.md",
                kind="rows naming an unknown initiative id",
            )


def _check_plans(initiatives: list[Initiative], config: Config, problems: Problems) -> None:
    """A plan names quarters from the one `start` falls in to the one `due` falls in."""
    calendar = config.calendar
    for initiative in initiatives:
        if initiative.start is None or initiative.due is None:
            continue
        first, last = calendar.quarter_of(initiative.start), calendar.quarter_of(initiative.due)
        for quarter, _ in initiative.plan:
            if not first <= quarter <= last:
                problems.error(initiative.plan_sources[quarter], f"the plan names {quarter}, outside the initiative's "
                               f"quarters {first} to {last} (start {initiative.start}, due {initiative.due})")


class _AnyId(frozenset):
    """Stands in for the objective ids when some could not be read: contains everything."""

    def __contains__(self, item: object) -> bool:
        return True


MAX_QUARTERS = 200  # 50 years: a longer span means a mistyped year, and would build for ages


def _check_span(actuals: list[Actual], problems: Problems) -> None:
    if not actuals:
        return
    first = min(actuals, key=lambda a: (a.quarter, a.source))
    last = max(actuals, key=lambda a: (a.quarter, a.source))
    if last.quarter.index - first.quarter.index >= MAX_QUARTERS:
        problems.error(
            last.source,
            f"the actuals run from {first.quarter} ({first.source}) to {last.quarter}, more than "
            f"{MAX_QUARTERS // 4} years; is the period {last.period} or {first.period} mistyped?",
        )


def _check_actuals(actuals: list[Actual], kpis: dict[str, Kpi], problems: Problems) -> None:
    """Two values on one date are an error under `last` (which one is the latest
    would be a guess); sum, mean, min and max take any number of rows per
    period, as raw exports have one row per event (SPEC 5)."""
    by_day: dict[tuple[str, object], Actual] = {}
    for actual in actuals:
        kpi = kpis.get(actual.kpi)
        if kpi is None or kpi.aggregate != "last":
            continue
        day_key = (actual.kpi, actual.day)
        first = by_day.setdefault(day_key, actual)
        if first is actual:
            continue
        if first.period == actual.period:
            why = f"already has a value for {actual.period} at {first.source}"
        else:
            why = f"has {first.period} at {first.source}, which falls on the same date ({actual.day}) as {actual.period}"
        problems.error(
            actual.source,
            f'the KPI "{actual.kpi}" uses aggregate: last and {why}, so neither is the latest; '
            "remove one, or pick an aggregate that combines them (sum, mean, min, max)",
            kind="values on the same date as another value of their KPI",
        )


def _warn_about_gaps(perspectives, objectives, kpis, actuals, problems: Problems) -> None:
    """Warn about records nothing hangs on. `objectives` or `kpis` is None while
    some could not be read: whatever is missing may be in them."""
    with_actuals = {a.kpi for a in actuals}
    kpis_per_objective = defaultdict(int)
    objectives_per_perspective = defaultdict(int)
    for kpi in kpis or ():
        kpis_per_objective[kpi.objective] += 1
        if kpi.id not in with_actuals and kpi.link is None:  # a child's values are its only source
            problems.warning(kpi.source, f'the KPI "{kpi.id}" has no actuals in any file or query under data/')
    for objective in objectives or ():
        objectives_per_perspective[objective.perspective] += 1
        if kpis is not None and not kpis_per_objective[objective.id]:
            problems.warning(objective.source, f'the objective "{objective.id}" has no KPIs; give a KPI objective: {objective.id} in data/kpis.yaml')
    for perspective in perspectives if objectives is not None else ():
        if not objectives_per_perspective[perspective.id]:
            problems.warning(perspective.source or Source("bscgen.yaml"), f'the perspective "{perspective.id}" has no objectives')
