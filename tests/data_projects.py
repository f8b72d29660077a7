"""Small projects for the data-source tests: an incident KPI scored from raw rows."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_project

# mttr: mean hours to restore (down); incidents: how many (sum); backlog: the latest count (last)
KPIS = """\
kpis:
  - {id: mttr, name: Mean time to restore, objective: C1, unit: h, direction: down, baseline: 10, target: 2, aggregate: mean}
  - {id: incidents, name: P1/P2 incidents, objective: C1, direction: down, baseline: 20, target: 4, aggregate: sum}
  - {id: cost, name: Cost per user, objective: F1, direction: down, baseline: 5200, target: 4500}
"""


def project(root: Path, files: dict[str, str | bytes], config: str = "") -> Path:
    """A project whose data/ holds exactly `files` (besides kpis.yaml); bytes are written as they are."""
    texts = {name: text for name, text in files.items() if isinstance(text, str)}
    write_project(root, KPIS, texts, config=CONFIG + config)
    for name, data in files.items():
        if isinstance(data, bytes):
            (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "data" / name).write_bytes(data)
    return root


CONFIG = """\
title: Data sources
perspectives:
  - {id: financial, title: Financial}
  - {id: customer, title: Customer}
"""


def latest(root: Path) -> dict[str, tuple[float | None, float | None]]:
    """(actual, score) of every KPI in the latest quarter, loaded and computed without building."""
    from bscgen.compute import compute_history, latest_quarter
    from bscgen.tree import load_scorecard as load_project

    scorecard, _ = load_project(root)
    result = compute_history(scorecard, latest_quarter(scorecard))[-1]
    return {
        k.kpi.id: (k.actual, k.score)
        for p in result.perspectives for o in p.objectives for k in o.kpis
    }
