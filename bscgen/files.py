"""Reading project files: UTF-8 text, YAML with line numbers, front matter.

Every mapping and list loaded from YAML remembers the line of each key and
item, so later stages can point at the exact line of a bad value without
re-reading the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bscgen.problems import Problems, Source


class YamlMap(dict):
    """A YAML mapping that knows its own line and the line of each key.

    `text_lines` holds, for a value written as a literal block (`key: |`),
    the line its text starts on, so a problem inside a Markdown text (a KPI's
    description) can point at its own line.
    """

    line: int = 1
    key_lines: dict
    text_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A YAML sequence that knows its own line and the line of each item."""

    line: int = 1
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def empty_map(line: int) -> YamlMap:
    mapping = YamlMap()
    mapping.line, mapping.key_lines, mapping.text_lines = line, {}, {}
    return mapping


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, first_line: int):
        self.key, self.line, self.first_line = key, line, first_line


# libyaml's parser when PyYAML has it: several times faster on large KPI files.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """SafeLoader building YamlMap/YamlList; refuses duplicate keys."""

    def construct_yaml_map(self, node):  # type: ignore[override]
        mapping = empty_map(node.start_mark.line + 1)
        yield mapping
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark
                ) from None
            if key in mapping:
                raise _DuplicateKey(key, line, mapping.key_lines[key])
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line
            if getattr(value_node, "style", None) == "|":  # the text starts below the indicator, line for line
                mapping.text_lines[key] = value_node.start_mark.line + 2

    def construct_yaml_seq(self, node):  # type: ignore[override]
        items = YamlList()
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield items
        items.extend(self.construct_object(child, deep=True) for child in node.value)


    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:  # 2026-02-30 looks like a date but is not one
            raise yaml.constructor.ConstructorError(
                None, None, f'"{node.value}" is not a real date ({error})', node.start_mark
            ) from None


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq)


def read_text(path: Path, source: Source, problems: Problems) -> str | None:
    """A file's text as UTF-8 (a BOM is dropped), or None after reporting why not."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.error(source, f"cannot read the file: {error.strerror}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.error(
            source.at(line),
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} is not valid UTF-8); save it as UTF-8",
        )
        return None


def load_yaml(text: str, source: Source, problems: Problems, first_line: int = 1) -> Any:
    """Parse YAML; on a syntax error report it at its line and return None.

    `first_line` is the file line the text starts on (front matter starts on line 2).
    """
    try:
        value = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except _DuplicateKey as dup:
        problems.error(
            source.at(dup.line + first_line - 1),
            f'the key "{dup.key}" appears twice (first on line {dup.first_line + first_line - 1}); keep one',
        )
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        what = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        detail = f"{context}, {what}" if context else what
        problems.error(source.at(line), f"this is not valid YAML: {detail}")
        return None
    if first_line != 1:
        _shift_lines(value, first_line - 1)
    return value


def _shift_lines(value: Any, offset: int, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(value) in seen:  # YAML aliases can make a structure refer to itself
        return
    seen.add(id(value))
    if isinstance(value, YamlMap):
        value.line += offset
        value.key_lines = {key: line + offset for key, line in value.key_lines.items()}
        value.text_lines = {key: line + offset for key, line in value.text_lines.items()}
        for child in value.values():
            _shift_lines(child, offset, seen)
    elif isinstance(value, YamlList):
        value.line += offset
        value.item_lines = [line + offset for line in value.item_lines]
        for child in value:
            _shift_lines(child, offset, seen)


def split_front_matter(
    text: str, source: Source, problems: Problems, required: bool
) -> tuple[YamlMap | None, str, int]:
    """Split a Markdown file into (front matter, body, line the body starts on).

    Front matter is YAML between a first line `---` and the next line `---`.
    Returns None for the front matter when it is absent or broken (and reports
    why when it was required or broken).
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        if required:
            problems.error(
                source.at(1),
                "the file has no front matter; start it with a line --- then the YAML fields and another line ---",
            )
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            errors_before = len(problems.errors)
            meta = load_yaml(yaml_text, source, problems, first_line=2)
            if meta is None and len(problems.errors) == errors_before:
                meta = empty_map(line=2)  # empty front matter: no fields
            if meta is not None and not isinstance(meta, YamlMap):
                problems.error(source.at(document_line(meta, yaml_text, first_line=2)), "the front matter must be YAML fields (key: value), one per line, not a list or a single value")
                meta = None
            return meta, body, index + 2
    problems.error(source.at(1), "the front matter is not closed; add a line --- after its last field")
    return None, "", len(lines) + 1


def document_line(value: Any, text: str, first_line: int = 1) -> int:
    """The line a YAML document's value starts on: a list or mapping knows its
    line; a lone value sits on the first line that is not blank or a comment."""
    if isinstance(value, (YamlMap, YamlList)):
        return value.line
    for number, line in enumerate(text.splitlines(), start=first_line):
        if line.strip() and not line.lstrip().startswith(("#", "---")):
            return number
    return first_line
