"""The data benchmark (SPEC 15): `bscgen check` on a long CSV of 1.1 million rows
(1000 KPIs x 1095 daily values, about 26 MB) against Python's csv module merely
parsing the same file and calling float on each value, in the same run.

    python3 bench/data_bench.py [--json results.json] [--repeat 3] [--bscgen CHECKOUT]

Targets: at most 3x the csv module's time, within 400 MiB peak memory. Each
figure is the best of --repeat runs (a shared machine only ever slows a run
down). --bscgen measures another checkout's bscgen (e.g. a worktree of main,
for the figures before a change).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import run_measured  # noqa: E402
from generate import generate  # noqa: E402

DAYS = 1095
CSV_ONLY = """\
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as file:
    rows = csv.reader(file)
    next(rows)
    for row in rows:
        float(row[2])
"""


def best(command: list[str], repeat: int, cwd: Path | None = None) -> tuple[float, int]:
    """The shortest time and the largest peak RSS (bytes) of `repeat` runs."""
    runs = [run_measured(command, cwd)[:2] for _ in range(repeat)]
    return min(seconds for seconds, _ in runs), max(peak for _, peak in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure, the best counts (default 3)")
    parser.add_argument("--bscgen", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose bscgen is measured (default: this one)")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bscgen-data-bench-"))
    project = generate(workdir / "scorecard", days=DAYS)
    daily = project / "data" / "daily.csv"
    rows = sum(1 for _ in daily.open()) - 1
    print(f"{daily}: {rows:,} rows, {daily.stat().st_size / 1e6:.1f} MB; bscgen from {options.bscgen}")

    csv_s, csv_peak = best([sys.executable, "-c", CSV_ONLY, str(daily)], options.repeat)
    check_s, check_peak = best([sys.executable, "-m", "bscgen", "check", "-s", str(project)], options.repeat,
                               cwd=options.bscgen)
    ratio = check_s / csv_s
    print(f"{'csv module: parse + float':32} {csv_s:8.2f} s {csv_peak / 2**20:8.0f} MiB")
    print(f"{'bscgen check':32} {check_s:8.2f} s {check_peak / 2**20:8.0f} MiB")
    print(f"{'check / csv module <= 3':32} {ratio:8.2f}   {'ok' if ratio <= 3 else 'MISSED'}")
    print(f"{'peak RSS of check <= 400 MiB':32} {check_peak / 2**20:8.0f}   {'ok' if check_peak <= 400 * 2**20 else 'MISSED'}")
    if options.json:
        options.json.write_text(json.dumps({"rows": rows, "csv_s": csv_s, "check_s": check_s, "ratio": ratio,
                                            "check_peak_rss_bytes": check_peak}, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
