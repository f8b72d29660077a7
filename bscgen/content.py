"""content/: objectives, initiatives and page texts as Markdown with front matter.

This module reads each file on its own; references between records (an
objective's perspective, `supports`, initiative objectives) are checked once
everything is loaded, in project.py.
"""

from __future__ import annotations

from pathlib import Path

import re

from bscgen.files import YamlList, read_text, split_front_matter
from bscgen.model import INITIATIVE_STATUSES, CascadeRef, Document, Initiative, Objective
from bscgen.periods import PeriodError, Quarter
from bscgen.problems import Problems, Source
from bscgen.schema import ID_RE, Fields, check_markdown, describe, read_visibility

OBJECTIVE_KEYS = (
    "id", "title", "perspective", "owner", "weight", "order", "supports", "serves", "cascade", "extra", "visible_to",
)
CASCADE_RE = re.compile(r"^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$")  # scorecard/objective
INITIATIVE_KEYS = (
    "id", "title", "objectives", "owner", "status", "progress", "start", "due", "budget", "extra", "visible_to",
)
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
    budget = fields.number("budget", minimum=0)
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
        extra=extra,
        reference_sources=dict(objectives),
        **visibility,
    )
    return initiative, Document(source.at(1), body, body_line, title)


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

