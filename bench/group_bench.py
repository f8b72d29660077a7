"""The group benchmark (SPEC 11): a parent scorecard reading 30 published unit
scorecards, and a parent building a unit scorecard with it.

    python3 bench/group_bench.py [--children 30]

Every scorecard has 100 KPIs and 8 quarters. Targets (issue 12): reading the
children adds at most 10 % to the parent's own cold build and at most 2 s to
its no-op rebuild; a child built with the parent costs no more than building
it alone. All figures come from one run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import bscgen, run_measured  # noqa: E402
from generate import generate  # noqa: E402


def project(folder: Path, seed: int) -> Path:
    return generate(folder, objectives_per_perspective=5, kpis_per_objective=5, seed=seed, months=24)  # 100 KPIs


def timed_builds(root: Path) -> tuple[float, float]:
    """(cold, no-op) seconds of building a project twice."""
    cold, _, _ = run_measured(bscgen("build", "-s", str(root)))
    noop, _, _ = run_measured(bscgen("build", "-s", str(root)))
    return cold, noop


def add_children(root: Path, entries: list[str]) -> None:
    config = root / "bscgen.yaml"
    config.write_text(config.read_text() + "scorecards:\n" + "".join(f"  - {entry}\n" for entry in entries))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=30)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bscgen-group-"))

    # one unit's published output, copied as 30 units (a published child is read from its JSON)
    unit = project(work / "unit", seed=2)
    unit_alone = timed_builds(unit)
    published = work / "published"
    for n in range(options.children):
        target = published / f"unit{n:02d}"
        shutil.copytree(unit / "site", target, ignore=shutil.ignore_patterns("pagefind*", "static", "*.html"))

    parent_alone = timed_builds(project(work / "alone", seed=1))
    reading = project(work / "reading", seed=1)
    add_children(reading, [f"{{id: unit{n:02d}, path: ../published/unit{n:02d}}}" for n in range(options.children)])
    parent_reading = timed_builds(reading)
    building = project(work / "building", seed=1)
    shutil.copytree(work / "unit", building / "units" / "infra", ignore=shutil.ignore_patterns("site", ".bscgen-cache"))
    add_children(building, ["{id: infra, path: units/infra}"])
    parent_building = timed_builds(building)

    rows = [
        ("unit alone (cold, no-op)", unit_alone),
        ("parent alone", parent_alone),
        (f"parent reading {options.children} published units", parent_reading),
        ("parent building one unit with it", parent_building),
    ]
    print(f"{'build':44} {'cold':>8} {'no-op':>8}")
    for name, (cold, noop) in rows:
        print(f"{name:44} {cold:7.2f}s {noop:7.2f}s")
    added_cold = parent_reading[0] / parent_alone[0] - 1
    added_noop = parent_reading[1] - parent_alone[1]
    child_cost = parent_building[0] - parent_alone[0]
    print(f"\nreading the units adds {added_cold:+.1%} to the cold build (target <= +10 %): {'ok' if added_cold <= 0.10 else 'MISSED'}")
    print(f"reading the units adds {added_noop:+.2f} s to the no-op rebuild (target <= 2 s): {'ok' if added_noop <= 2 else 'MISSED'}")
    print(f"a unit built with the parent costs {child_cost:.2f} s, alone {unit_alone[0]:.2f} s "
          f"(ratio {child_cost / unit_alone[0]:.2f}, target <= 1): {'ok' if child_cost <= unit_alone[0] else 'MISSED'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
