"""content.py: objectives, initiatives and page texts read one file at a time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bscgen.content import commentary_key, load_document, load_initiative, load_objective
from bscgen.model import Milestone
from bscgen.periods import Quarter
from bscgen.problems import Problems, Source

FRONT = "---\nid: F1\ntitle: Cost\nperspective: financial\n---\n"  # the body starts on line 6


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines(problems: Problems) -> list[str]:
    return [f"{p.source}: {p.severity}" for p in problems.sorted()]


def test_an_objective_and_its_text(tmp_path: Path):
    problems = Problems()
    path = write(tmp_path, "content/objectives/f1.md", FRONT + "Spend less.\n")
    objective, document = load_objective(path, tmp_path, problems)
    assert (objective.id, objective.title, objective.perspective, str(objective.source)) == (
        "F1", "Cost", "financial", "content/objectives/f1.md:2")
    assert (document.body, document.body_line) == ("Spend less.\n", 6)
    assert problems.items == []


def test_an_initiative_with_dates_in_the_wrong_order(tmp_path: Path):
    problems = Problems()
    text = "---\nid: I1\ntitle: Mail\nobjectives: [F1]\nstart: 2026-05-01\ndue: 2026-04-01\n---\n"
    initiative, _ = load_initiative(write(tmp_path, "content/initiatives/i1.md", text), tmp_path, problems)
    assert initiative.objectives == ("F1",)
    assert lines(problems) == ["content/initiatives/i1.md:6: error"]


PORTFOLIO_INITIATIVE = """---
id: I1
title: ERP upgrade
objectives: [F1]
budget: 850000
start: 2025-04-01
due: 2026-06-30
plan: {2025-Q4: 45, 2025-Q2: 10, 2026-Q2: 100}
milestones:
  - {title: Vendor selected, due: 2025-06-30, done: 2025-06-20}
  - {title: Go-live, due: 2026-03-31, event: true}
---
"""


def test_an_initiative_as_an_investment(tmp_path: Path):
    """SPEC 19's fields: the plan in quarter order, milestones with their lines and `event`."""
    problems = Problems()
    path = write(tmp_path, "content/initiatives/erp.md", PORTFOLIO_INITIATIVE)
    initiative, _ = load_initiative(path, tmp_path, problems)
    assert problems.items == []
    assert initiative.budget == 850000
    assert initiative.plan == ((Quarter(2025, 2), 10), (Quarter(2025, 4), 45), (Quarter(2026, 2), 100))
    assert [str(initiative.plan_sources[q]) for q, _ in initiative.plan] == ["content/initiatives/erp.md:8"] * 3
    assert initiative.milestones == (
        Milestone("Vendor selected", date(2025, 6, 30), Source("content/initiatives/erp.md", 10), date(2025, 6, 20)),
        Milestone("Go-live", date(2026, 3, 31), Source("content/initiatives/erp.md", 11), None, event=True),
    )


def test_a_page_text_needs_no_front_matter(tmp_path: Path):
    problems = Problems()
    document = load_document(write(tmp_path, "content/index.md", "# Welcome\n"), tmp_path, problems)
    assert (document.title, document.body, document.body_line) == (None, "# Welcome\n", 1)
    assert problems.items == []


@pytest.mark.parametrize("front, line", [
    ("# objectives as a list by mistake\n- id: F1\n- title: Cost\n", 3),
    ("\nJust a sentence.\n", 3),
])
def test_front_matter_that_is_not_fields_is_one_error_at_its_line(tmp_path: Path, front: str, line: int):
    problems = Problems()
    path = write(tmp_path, "content/objectives/f1.md", f"---\n{front}---\nBody.\n")
    assert load_objective(path, tmp_path, problems) is None
    assert lines(problems) == [f"content/objectives/f1.md:{line}: error"]
    assert "YAML fields (key: value)" in problems.items[0].message


# --- nesting (SPEC 16) -----------------------------------------------------------------

DEEP_BODIES = {
    "quotes on one line": ("Intro.\n\n" + ">" * 5000 + " deep\n", 8),
    "one more quote per line": ("".join(">" * i + " x\n" for i in range(1, 200)), 6 + 50),
    "a list 4 spaces a level": ("".join("    " * i + "- x\n" for i in range(200)), 6 + 50),
    "list markers on one line": ("- " * 60 + "x\n", 6),
    "brackets": ("[" * 60 + "x" + "]" * 60 + "\n", 6),
    "emphasis": ("*" * 60 + "x" + "*" * 60 + "\n", 6),
}


@pytest.mark.parametrize("body, line", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_body_nested_deeper_than_50_levels_is_an_error_at_its_line(tmp_path: Path, body: str, line: int):
    problems = Problems()
    path = write(tmp_path, "content/objectives/f1.md", FRONT + body)
    assert load_objective(path, tmp_path, problems) is not None  # no follow-on "unknown objective"
    assert lines(problems) == [f"content/objectives/f1.md:{line}: error"]
    assert "nested more than 50 levels" in problems.items[0].message


def test_commentary_is_checked_too(tmp_path: Path):
    problems = Problems()
    load_document(write(tmp_path, "content/commentary/2026-Q1/F1.md", "> " * 80 + "x\n"), tmp_path, problems)
    assert lines(problems) == ["content/commentary/2026-Q1/F1.md:1: error"]


ORDINARY = """\
Five nested lists, quotes holding lists, code and links pass:

- one
  - two (2 spaces, as many editors indent)
    - three
        - four (4 spaces)
            - five

> quoted
> > twice, with a [link](https://example.org) and **bold _italic_**
> > - a list in a quote

```python
>>> print([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])
```

A `[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[` in a code span, and snake_case_names_with_many_parts.
"""


def test_ordinary_markdown_passes(tmp_path: Path):
    problems = Problems()
    load_objective(write(tmp_path, "content/objectives/f1.md", FRONT + ORDINARY), tmp_path, problems)
    assert problems.items == []


def test_commentary_key(tmp_path: Path):
    problems = Problems()
    base = tmp_path / "content" / "commentary"
    assert commentary_key(base / "2026-Q3" / "F1.md", tmp_path, problems) == (Quarter.parse("2026-Q3"), "F1")
    assert commentary_key(base / "2026-Q3" / "index.md", tmp_path, problems) == (Quarter.parse("2026-Q3"), None)
    assert commentary_key(base / "2026-Q9" / "F1.md", tmp_path, problems) is None
    assert lines(problems) == ["content/commentary/2026-Q9/F1.md:1: error"]
