"""content/: objectives, initiatives and page texts as Markdown with front matter.

This module reads each file on its own; references between records (an
objective's perspective, `supports`, initiative objectives) are checked once
everything is loaded, in project.py.
"""

from __future__ import annotations

from pathlib import Path

import re

from bscgen.files import YamlList, YamlMap, read_text, split_front_matter
from bscgen.model import INITIATIVE_STATUSES, CascadeRef, Document, Initiative, Milestone, Objective
from bscgen.periods import PeriodError, Quarter
from bscgen.problems import Problems, Source
from bscgen.schema import ID_RE, Fields, check_markdown, describe, is_number, read_visibility

OBJECTIVE_KEYS = (
    "id", "title", "perspective", "owner", "weight", "order", "supports", "serves", "cascade", "extra", "visible_to",
)
CASCADE_RE = re.compile(r"^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$")  # scorecard/objective
INITIATIVE_KEYS = (
    "id", "title", "objectives", "owner", "status", "progress", "start", "due", "budget", "plan", "milestones",
    "extra", "visible_to",
)
MILESTONE_KEYS = ("title", "due", "done", "event")
DOCUMENT_KEYS = ("title", "extra")
COMMENTARY_KEYS = (*DOCUMENT_KEYS, "visible_to")  # a quarter's commentary may be reserved for some audiences


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def markdown_files(folder: Path) -> list[Path]:
    """Markdown files below a folder, in a stable order."""
    return sorted(folder.rglob("*.md")) if folder.is_dir() else []


def _read(path: Path, root: Path, problems: Problems, required: bool):
    """(source, front matter or None, body, line the body starts on) for one Markdown file,
    or None if unreadable. A body nested too deeply is reported here, at its line."""
    source = Source(relative(path, root))
    text = read_text(path, source, problems)
    if text is None:
        return None
    meta, body, body_line = split_front_matter(text, source, problems, required)
    check_markdown(body, source, body_line, problems)
    return source, meta, body, body_line


def load_document(path: Path, root: Path, problems: Problems, keys: tuple[str, ...] = DOCUMENT_KEYS) -> Document | None:
    """A page text (home, perspective, commentary): front matter optional."""
    read = _read(path, root, problems, required=False)
    if read is None:
        return None
    source, meta, body, body_line = read
    title, extra, visibility = None, {}, {}
    if meta is not None:
        fields = Fields(meta, source, problems, "the front matter", keys)
        title = fields.text("title")
        extra = dict(fields.mapping_of("extra"))
        visibility = read_visibility(fields) if "visible_to" in keys else {}
    return Document(source.at(1), body, body_line, title, extra, **visibility)


def load_objective(path: Path, root: Path, problems: Problems) -> tuple[Objective, Document] | None:
    read = _read(path, root, problems, required=True)
    if read is None or read[1] is None:
        return None
    source, meta, body, body_line = read
    fields = Fields(meta, source, problems, "the objective's front matter", OBJECTIVE_KEYS)
    objective_id = fields.identifier("id", required=True)
    title = fields.text("title", required=True)
    perspective = fields.identifier("perspective", required=True)
    owner = fields.text("owner")
    weight = fields.number("weight", default=1, minimum=0)
    order = fields.number("order")
    supports = fields.id_list("supports")
    serves = fields.id_list("serves")
    cascade = _cascade(fields)
    extra = dict(fields.mapping_of("extra"))
    visibility = read_visibility(fields)
    if objective_id is None or title is None or perspective is None:
        return None
    objective = Objective(
        id=objective_id,
        title=title,
        perspective=perspective,
        source=fields.at("id"),
        owner=owner,
        weight=weight,
        order=order,
        supports=tuple(ref for ref, _ in supports),
        serves=tuple(ref for ref, _ in serves),
        cascade=tuple(ref for ref, _ in cascade),
        extra=extra,
        reference_sources=dict(supports),
        link_sources=dict(serves) | dict(cascade),
        key_sources=fields.key_sources(),
        **visibility,
    )
    return objective, Document(source.at(1), body, body_line, title)


def _cascade(fields: Fields) -> list[tuple[CascadeRef, Source]]:
    """`cascade: [infra/P1]`: child objectives that contribute to this one, each with its position."""
    if not fields.present("cascade", False):
        return []
    value = fields.raw("cascade")
    items = value if isinstance(value, YamlList) else [value]
    lines = [value.line_of(i) for i in range(len(value))] if isinstance(value, YamlList) else [fields.mapping.line_of("cascade")]
    found = []
    for item, line in zip(items, lines):
        if isinstance(item, str) and CASCADE_RE.match(item.strip()):
            found.append((CascadeRef.parse(item.strip()), fields.source.at(line)))
        else:
            fields.problems.error(fields.source.at(line), f'"cascade" names child objectives as scorecard/objective, like infra/P1, not {describe(item)}')
    return found


def load_initiative(path: Path, root: Path, problems: Problems) -> tuple[Initiative, Document] | None:
    read = _read(path, root, problems, required=True)
    if read is None or read[1] is None:
        return None
    source, meta, body, body_line = read
    fields = Fields(meta, source, problems, "the initiative's front matter", INITIATIVE_KEYS)
    initiative_id = fields.identifier("id", required=True)
    title = fields.text("title", required=True)
    objectives = fields.id_list("objectives", required=True)
    status = fields.choice("status", INITIATIVE_STATUSES, None)
    progress = fields.number("progress", minimum=0, maximum=100)
    start, due = fields.date("start"), fields.date("due")
    budget = _budget(fields)
    plan = _plan(fields)
    milestones = _milestones(fields)
    owner = fields.text("owner")
    extra = dict(fields.mapping_of("extra"))
    visibility = read_visibility(fields)
    if start and due and due < start:
        fields.error("due", f"the due date {due} is before the start date {start}")
    if initiative_id is None or title is None:
        return None
    initiative = Initiative(
        id=initiative_id,
        title=title,
        objectives=tuple(ref for ref, _ in objectives),
        source=fields.at("id"),
        owner=owner,
        status=status,
        progress=progress,
        start=start,
        due=due,
        budget=budget,
        plan=tuple((quarter, percent) for quarter, percent, _ in plan),
        milestones=milestones,
        extra=extra,
        reference_sources=dict(objectives),
        plan_sources={quarter: where for quarter, _, where in plan},
        key_sources=fields.key_sources(),
        **visibility,
    )
    return initiative, Document(source.at(1), body, body_line, title)


def _budget(fields: Fields) -> float | None:
    """The approved budget: a positive number (earned value is a share of it)."""
    budget = fields.number("budget")
    if budget is not None and budget <= 0:
        fields.error("budget", f'"budget" must be a positive number (the approved budget), not {budget:g}')
        return None
    return budget


def _plan(fields: Fields) -> list[tuple[Quarter, float, Source]]:
    """`plan: {2025-Q2: 10, 2025-Q4: 45}`: cumulative planned percent at quarter ends, in
    quarter order; a percent outside 0..100, or one below an earlier quarter's, is an error.
    (Whether the quarters lie within start..due needs the fiscal calendar: project.py.)"""
    mapping = fields.mapping_of("plan")
    plan = []
    for key, value in mapping.items():
        where = fields.source.at(mapping.line_of(key))
        try:
            quarter = Quarter.parse(str(key))
        except PeriodError as error:
            fields.problems.error(where, f"the plan key {error}")
            continue
        if not is_number(value) or not 0 <= value <= 100:
            fields.problems.error(where, f"the plan for {quarter} must be a percent from 0 to 100, not {describe(value)}")
            continue
        plan.append((quarter, float(value), where))
    plan.sort(key=lambda item: item[0])
    for (before, low, _), (quarter, percent, where) in zip(plan, plan[1:]):
        if percent < low:
            fields.problems.error(where, f"the plan goes down: {percent:g} % for {quarter} is below {low:g} % for "
                                         f"{before}; a plan is cumulative, so each quarter's percent is at least the one before")
    return plan


def _milestones(fields: Fields) -> tuple[Milestone, ...]:
    """`milestones: [{title, due, done, event}]`: each needs a title and a due date."""
    if not fields.present("milestones", False):
        return ()
    items = fields.raw("milestones")
    if not isinstance(items, YamlList):
        fields.error("milestones", f'"milestones" must be a list of {{title: ..., due: YYYY-MM-DD}}, not {describe(items)}')
        return ()
    milestones = []
    for index, item in enumerate(items):
        where = fields.source.at(items.line_of(index))
        if not isinstance(item, YamlMap):
            fields.problems.error(where, f"each milestone must be a mapping like {{title: Go-live, due: 2026-03-31}}, not {describe(item)}")
            continue
        milestone = Fields(item, fields.source, fields.problems, "the milestone", MILESTONE_KEYS)
        title = milestone.text("title", required=True)
        due = milestone.date("due") if milestone.present("due", True) else None
        done, event = milestone.date("done"), milestone.flag("event")
        if title is not None and due is not None:
            milestones.append(Milestone(title, due, where, done, event))
    return tuple(milestones)


def commentary_key(path: Path, root: Path, problems: Problems) -> tuple[Quarter, str | None] | None:
    """content/commentary/<period>/<objective-id>.md -> (quarter, objective id or None for index.md)."""
    source = Source(relative(path, root), 1)
    parts = path.relative_to(root / "content" / "commentary").parts
    if len(parts) != 2:
        problems.error(source, "commentary goes in content/commentary/<quarter>/<objective-id>.md, e.g. 2026-Q3/F1.md")
        return None
    try:
        quarter = Quarter.parse(parts[0])
    except PeriodError as error:
        problems.error(source, f"the folder name {error}")
        return None
    stem = path.stem
    if stem == "index":
        return quarter, None
    if not ID_RE.match(stem):
        problems.error(source, f'"{stem}" is not an objective id; name the file after the objective, e.g. F1.md')
        return None
    return quarter, stem

