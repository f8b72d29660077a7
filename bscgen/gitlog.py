"""The project's git history: the commits that touched content/ or data/.

One `git log` per build, as mkdocs-git-revision-date does. A project that is
not a git work tree, a missing git, or a shallow clone (CI) is said in a
note, never an error. The output depends only on the repository's state.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

FIELD, RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class Commit:
    day: date
    author: str
    subject: str


@dataclass(frozen=True)
class GitHistory:
    commits: tuple[Commit, ...]  # newest first
    note: str | None = None  # why the list is empty or incomplete
    counted_only: bool = False  # authors and subjects left out (a view that hides items: they may name them)

    def counted(self) -> GitHistory:
        """The same commits with their dates only: a restricted view counts them."""
        return GitHistory(tuple(Commit(c.day, "", "") for c in self.commits), self.note, True)

    def between(self, after: date, until: date) -> tuple[Commit, ...]:
        return tuple(c for c in self.commits if after < c.day <= until)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)


def git_history(root: Path, paths: tuple[str, ...] = ("content", "data")) -> GitHistory:
    if shutil.which("git") is None:
        return GitHistory((), "git is not installed here, so the commits are not listed")
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return GitHistory((), "the project is not a git work tree, so the commits are not listed")
    log = _git(root, "log", f"--format=%ad{FIELD}%an{FIELD}%s{RECORD}", "--date=short", "--", *paths)
    if log.returncode != 0:
        return GitHistory((), f"git log failed: {log.stderr.strip() or 'no reason given'}")
    commits = []
    for record in log.stdout.split(RECORD):
        fields = record.strip("\n").split(FIELD)
        if len(fields) == 3:
            commits.append(Commit(date.fromisoformat(fields[0]), fields[1], fields[2]))
    shallow = _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    note = "this clone's history is shallow, so older commits may be missing" if shallow else None
    return GitHistory(tuple(commits), note)
