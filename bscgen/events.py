"""Events (SPEC 20): every data/**/*.yaml with a top-level `events:` list, read
into `Event` records with their fiscal quarters. Whether the ids they name
exist is checked across files, in project.py."""

from __future__ import annotations

from pathlib import Path

from bscgen.content import relative
from bscgen.data import data_files
from bscgen.files import YamlList, YamlMap, load_yaml
from bscgen.model import Event, Initiative
from bscgen.periods import FiscalCalendar
from bscgen.problems import Problems, Source
from bscgen.schema import Fields, describe, read_visibility

EVENT_KEYS = (
    "id", "title", "date", "start", "end", "kpis", "objectives", "perspectives", "initiative", "description",
    "visible_to",
)
SCOPE_KEYS = ("kpis", "objectives", "perspectives")


def load_events(root: Path, calendar: FiscalCalendar, problems: Problems) -> list[Event]:
    """Every event of the project, by first day then id; a duplicate id is reported and left out."""
    events: list[Event] = []
    declared: dict[str, Source] = {}
    for path in data_files(root, (".yaml", ".yml")):
        source = Source(relative(path, root))
        items = _event_list(path, source, problems)
        for index, item in enumerate(items or ()):
            here = source.at(items.line_of(index))
            if not isinstance(item, YamlMap):
                problems.error(here, f"each event must be a mapping of fields (id: ..., title: ..., date: ...), not {describe(item)}")
                continue
            event = read_event(Fields(item, source, problems, "the event", EVENT_KEYS), calendar)
            if event is None:
                continue
            if event.id in declared:
                problems.error(event.source, f'the event id "{event.id}" is already used at {declared[event.id]}; event ids must be unique')
                continue
            declared[event.id] = event.source
            events.append(event)
    return sorted(events, key=lambda e: (e.start, e.id))


def _event_list(path: Path, source: Source, problems: Problems) -> YamlList | None:
    """The `events:` list of a data YAML file; None when it has none. The KPI loader
    reports files of the wrong shape, so they are not reported twice."""
    text = _quiet_text(path)
    document = load_yaml(text, source, Problems()) if text is not None else None
    if not isinstance(document, YamlMap):
        return None
    if "events" not in document:
        if path.stem.lower() == "events":
            problems.error(source.at(document.line), 'the file has no "events:" key; put the events in a list under a first line "events:"')
        return None
    items = document["events"]
    if isinstance(items, YamlList):
        return items
    problems.error(source.at(document.line_of("events")), f'"events" must be a list of events (each line starting with "- id: ..."), not {describe(items)}')
    return None


def _quiet_text(path: Path) -> str | None:
    # data.load_kpis reads every data YAML file too, and reports one that cannot be read or parsed
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def read_event(fields: Fields, calendar: FiscalCalendar) -> Event | None:
    event_id = fields.identifier("id", required=True)
    title = fields.text("title", required=True)
    day, start, end = fields.date("date"), fields.date("start"), fields.date("end")
    dates_ok = _check_dates(fields, start, end)
    scope = {key: fields.id_list(key) for key in SCOPE_KEYS}
    initiative = fields.identifier("initiative")
    description = fields.markdown("description")
    visibility = read_visibility(fields)
    if event_id is None or title is None or not dates_ok:
        return None
    if day is None and (start is None or end is None):
        return None  # a date that is not a date, reported by fields.date
    first_day, last_day = (day, None) if day is not None else (start, end)
    references = {(key, ref): where for key, found in scope.items() for ref, where in found}
    if initiative is not None:
        references[("initiative", initiative)] = fields.at("initiative")
    return Event(
        id=event_id, title=title, start=first_day, end=last_day, first=calendar.quarter_of(first_day),
        last=calendar.quarter_of(last_day or first_day), source=fields.at("id"),
        kpis=tuple(ref for ref, _ in scope["kpis"]), objectives=tuple(ref for ref, _ in scope["objectives"]),
        perspectives=tuple(ref for ref, _ in scope["perspectives"]), initiative=initiative,
        description=description, reference_sources=references, **visibility,
    )


def _check_dates(fields: Fields, start, end) -> bool:
    """A day (`date`) or a period (`start` and `end`, in order), never both."""
    has = {key: fields.present(key, False) for key in ("date", "start", "end")}
    if has["date"] and (has["start"] or has["end"]):
        other = "start" if has["start"] else "end"
        fields.error(other, f'the event has both "date" and "{other}"; give a date for a day, or start and end for a period')
        return False
    if not any(has.values()):
        fields.problems.error(fields.source.at(fields.mapping.line), 'the event has no date; give "date" for a day, or "start" and "end" for a period')
        return False
    if has["start"] != has["end"]:
        given, missing = ("start", "end") if has["start"] else ("end", "start")
        fields.error(given, f'the event has "{given}" but no "{missing}"; a period needs both (or use "date" for a day)')
        return False
    if start is not None and end is not None and end < start:
        fields.error("end", f"the end {end} is before the start {start}")
        return False
    return True


def milestone_events(initiative: Initiative, calendar: FiscalCalendar) -> list[Event]:
    """An initiative's milestones marked `event: true`, as events on the charts of its
    objectives: on the day the milestone was done, else the day it is due."""
    events = []
    for number, milestone in enumerate(initiative.milestones, 1):
        if not milestone.event:
            continue
        day = milestone.done or milestone.due
        events.append(Event(
            id=f"{initiative.id}-milestone-{number}", title=milestone.title, start=day, end=None,
            first=calendar.quarter_of(day), last=calendar.quarter_of(day), source=milestone.source,
            objectives=tuple(dict.fromkeys(initiative.objectives)), initiative=initiative.id,
            visible_to=initiative.visible_to, visible_sources=initiative.visible_sources,
        ))
    return events
