"""Problems found in a project's content: where they are and what to change.

Every stage that reads user input reports into one `Problems` collector, so a
run lists everything wrong at once instead of stopping at the first mistake.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Source:
    """A position in the project: a path relative to the project root and a line."""

    path: str
    line: int | None = None
    cell: str | None = None  # a spreadsheet cell, e.g. "Actuals!B7"

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.path}:{self.cell}"
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def at(self, line: int | None) -> Source:
        return Source(self.path, line)


@dataclass(frozen=True, order=True)
class Problem:
    source: Source
    severity: str  # "error" | "warning"
    message: str
    # For a mistake that can repeat on every row of a file: what many of them
    # are called in the line that summarises them, e.g. "values that are not plain numbers".
    kind: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        # Values quoted from content may hold control characters: show them escaped.
        message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
        return f"{self.source}: {self.severity}: {message}"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def error(self, source: Source, message: str, kind: str | None = None) -> None:
        self.items.append(Problem(source, "error", message, kind))

    def warning(self, source: Source, message: str, kind: str | None = None) -> None:
        self.items.append(Problem(source, "warning", message, kind))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Problems in file order, so the listing reads top to bottom."""
        return sorted(set(self.items), key=lambda p: (p.source.path, p.source.line or 0, p.message))


FLOOD_LIMIT = 20


def summarised(problems: Iterable[Problem], limit: int = FLOOD_LIMIT) -> list[Problem]:
    """The problems to show a person: after `limit` of one kind in one file,
    one line says how many more there are (500 bad rows read as one mistake).
    The line follows that file's last problem shown."""
    shown: list[Problem] = []
    seen: Counter = Counter()
    for problem in problems:
        key = (problem.source.path, problem.severity, problem.kind)
        seen[key] += 1
        if problem.kind is None or seen[key] <= limit:
            shown.append(problem)
    more: dict[str, list[Problem]] = {}
    for (path, severity, kind), count in seen.items():
        if kind is not None and count > limit:
            more.setdefault(path, []).append(Problem(Source(path), severity, f"... and {count - limit} more {kind}"))
    last = {problem.source.path: index for index, problem in enumerate(shown)}
    listing: list[Problem] = []
    for index, problem in enumerate(shown):
        listing.append(problem)
        if last[problem.source.path] == index:
            listing.extend(more.get(problem.source.path, []))
    return listing


class ContentError(Exception):
    """Raised when content is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the content")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, or '' if none is close."""
    close = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
