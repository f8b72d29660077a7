"""Writing small scorecard projects for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

CONFIG = """\
title: Test Scorecard
perspectives:
  - {id: financial, title: Financial}
  - {id: customer, title: Customer}
"""

OBJECTIVES = {
    "f1.md": "---\nid: F1\ntitle: Cost\nperspective: financial\n---\nCost.\n",
    "c1.md": "---\nid: C1\ntitle: Users\nperspective: customer\nsupports: [F1]\n---\nUsers.\n",
}


def write_project(root: Path, kpis: str, csv_files: dict[str, str], config: str = CONFIG,
                  objectives: dict[str, str] | None = None) -> Path:
    """A project with the given kpis.yaml text and CSV files (texts are dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "bscgen.yaml").write_text(textwrap.dedent(config))
    (root / "content" / "objectives").mkdir(parents=True)
    for name, text in (OBJECTIVES if objectives is None else objectives).items():
        (root / "content" / "objectives" / name).write_text(text)
    (root / "data").mkdir()
    (root / "data" / "kpis.yaml").write_text(textwrap.dedent(kpis))
    for name, text in csv_files.items():
        path = root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path: two sites compare in one assertion."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
