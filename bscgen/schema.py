"""Typed, positioned reading of one YAML mapping.

`Fields` wraps a mapping from bscgen.yaml, front matter or kpis.yaml. Each
getter returns a clean Python value or reports a problem at the key's line
and returns the default, so one pass over a record reports all its problems.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, Iterable

from bscgen.files import YamlList, YamlMap, empty_map
from bscgen.markup import MAX_NESTING, too_deep
from bscgen.model import Bands
from bscgen.problems import Problems, Source, did_you_mean

ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
BANDS_KEYS = ("green", "amber")


def check_markdown(text: str, source: Source, first_line: int | None, problems: Problems) -> None:
    """Markdown nested too deeply to render in reasonable time is an error at its line.

    `first_line` is the file line the text starts on; None when the text's
    lines are not the file's (a folded YAML value): then `source` is used as it is.
    """
    line = too_deep(text)
    if line is not None:
        problems.error(
            source if first_line is None else source.at(first_line + line - 1),
            f"the Markdown here is nested more than {MAX_NESTING} levels deep (quotes, list items, "
            "brackets or emphasis inside one another); flatten it, or put it in a fenced code block",
        )


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def describe(value: Any) -> str:
    """How a wrong value is named in a message."""
    if isinstance(value, (YamlMap, dict)):
        return "a mapping"
    if isinstance(value, (YamlList, list)):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


class Fields:
    def __init__(
        self, mapping: YamlMap, source: Source, problems: Problems, what: str, known: Iterable[str]
    ):
        self.mapping = mapping
        self.source = source
        self.problems = problems
        self.what = what
        known = list(known)
        for key in mapping:
            if key not in known:
                self.problems.error(
                    self.at(key),
                    f'unknown key "{key}" in {what}{did_you_mean(str(key), known)}; '
                    "put fields of your own under extra:",
                )

    def at(self, key: Any) -> Source:
        return self.source.at(self.mapping.line_of(key))

    def key_sources(self) -> dict[str, Source]:
        """The position of every key, for checks made after loading."""
        return {str(key): self.at(key) for key in self.mapping}

    def error(self, key: Any, message: str) -> None:
        self.problems.error(self.at(key), message)

    def present(self, key: str, required: bool) -> bool:
        """True if the key has a value; reports a missing required key."""
        if self.mapping.get(key) is not None:
            return True
        if required:
            self.problems.error(
                self.source.at(self.mapping.line), f'{self.what} is missing the required key "{key}"'
            )
        return False

    def raw(self, key: str, default: Any = None) -> Any:
        value = self.mapping.get(key)
        return default if value is None else value

    def text(self, key: str, required: bool = False, default: str | None = None) -> str | None:
        if not self.present(key, required):
            return default
        value = self.mapping[key]
        if isinstance(value, (str, int, float, date)) and not isinstance(value, bool):
            return str(value)
        self.error(key, f'"{key}" must be text, not {describe(value)}')
        return default

    def markdown(self, key: str) -> str | None:
        """A Markdown text (a KPI's description): text that is not nested too deeply."""
        value = self.text(key)
        if value is not None:
            check_markdown(value, self.at(key), self.mapping.text_lines.get(key), self.problems)
        return value

    def identifier(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and not ID_RE.match(value):
            self.error(key, bad_id_message(key, value))
            return None
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None) -> str | None:
        value = self.text(key, default=None)
        if value is None:
            return default
        if value not in choices:
            options = ", ".join(choices)
            self.error(key, f'"{key}" must be one of {options}, not "{value}"{did_you_mean(value, choices)}')
            return default
        return value

    def number(
        self,
        key: str,
        required: bool = False,
        default: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
    ) -> float | None:
        if not self.present(key, required):
            return default
        value = self.mapping[key]
        kind = "a whole number" if integer else "a number"
        if not is_number(value) or (integer and not float(value).is_integer()):
            self.error(key, f'"{key}" must be {kind}, not {describe(value)}')
            return default
        if minimum is not None and value < minimum:
            self.error(key, f'"{key}" must be at least {minimum:g}, not {value:g}')
            return default
        if maximum is not None and value > maximum:
            self.error(key, f'"{key}" must be at most {maximum:g}, not {value:g}')
            return default
        return int(value) if integer else value

    def flag(self, key: str, default: bool = False) -> bool:
        """A yes/no value (YAML true or false)."""
        if not self.present(key, False):
            return default
        value = self.mapping[key]
        if isinstance(value, bool):
            return value
        self.error(key, f'"{key}" must be true or false, not {describe(value)}')
        return default

    def date(self, key: str) -> date | None:
        if not self.present(key, False):
            return None
        value = self.mapping[key]
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(key, f'"{key}" must be a date written YYYY-MM-DD, not {describe(value)}')
        return None

    def mapping_of(self, key: str) -> YamlMap:
        """A nested mapping (empty if absent or not a mapping)."""
        if not self.present(key, False):
            return empty_map(self.mapping.line_of(key))
        value = self.mapping[key]
        if isinstance(value, YamlMap):
            return value
        self.error(key, f'"{key}" must be a mapping of key: value pairs, not {describe(value)}')
        return empty_map(self.mapping.line_of(key))

    def id_list(self, key: str, required: bool = False) -> list[tuple[str, Source]]:
        """A list of ids, each with its own position (a single id is accepted too)."""
        if not self.present(key, required):
            return []
        value = self.mapping[key]
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value, lines = [value], [self.mapping.line_of(key)]
        elif isinstance(value, YamlList):
            lines = [value.line_of(i) for i in range(len(value))]
        else:
            self.error(key, f'"{key}" must be a list of ids like [A1, B2], not {describe(value)}')
            return []
        if required and not value:
            self.error(key, f'"{key}" must name at least one id, like [A1]')
        ids = []
        for item, line in zip(value, lines):
            text = str(item) if isinstance(item, (str, int)) and not isinstance(item, bool) else None
            if text is None or not ID_RE.match(text):
                self.problems.error(self.source.at(line), bad_id_message(key, text or describe(item)))
            else:
                ids.append((text, self.source.at(line)))
        return ids


def bad_id_message(key: str, value: str) -> str:
    where = "" if key == "id" else f' in "{key}"'
    return f'"{value}" is not a valid id{where}; use only letters, digits, "-" and "_"'


def read_bands(fields: Fields, key: str, source: Source, problems: Problems) -> Bands | None:
    """`bands: {green: 90, amber: 60}` (used by bscgen.yaml and by KPIs)."""
    if not fields.present(key, False):
        return None
    bands = Fields(fields.mapping_of(key), source, problems, "bands", BANDS_KEYS)
    green = bands.number("green", default=Bands.green, minimum=0)
    amber = bands.number("amber", default=Bands.amber, minimum=0)
    if amber > green:
        fields.error(key, f"the amber band ({amber:g}) must not be above the green band ({green:g})")
        return None
    return Bands(green, amber)


def read_visibility(fields: Fields) -> dict[str, Any]:
    """`visible_to: [leadership, board]` (SPEC 17) as record fields: the audience
    ids and where each is written (checked against bscgen.yaml's audiences later)."""
    found = fields.id_list("visible_to")
    if fields.present("visible_to", False) and fields.mapping["visible_to"] == []:
        fields.error("visible_to", '"visible_to" must name at least one audience, like [leadership]')
    return {"visible_to": tuple(i for i, _ in found), "visible_sources": tuple(s for _, s in found)}
