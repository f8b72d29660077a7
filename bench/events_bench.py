"""The cost of events on charts (SPEC 20): a generated scorecard with events on
10 % of its KPIs (a day on half of them, a period on the other half); each of
those KPIs' charts is drawn with its events and without, interleaved in one
process, so the ratio compares like with like on a noisy machine.

    python3 bench/events_bench.py [--objectives 10] [--kpis 10]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def write_events(project: Path, share: float = 0.1) -> int:
    """Events on `share` of the KPIs of data/kpis.yaml; how many KPIs have one."""
    import yaml

    kpis = [k["id"] for k in yaml.safe_load((project / "data" / "kpis.yaml").read_text())["kpis"]]
    rng = random.Random(3)
    chosen = rng.sample(kpis, max(1, round(len(kpis) * share)))
    events = []
    for n, kpi in enumerate(chosen):
        year, month = rng.choice([(2024, 5), (2024, 11), (2025, 3), (2025, 8), (2026, 2)])
        when = ({"date": f"{year}-{month:02d}-15"} if n % 2 == 0
                else {"start": f"{year}-{month:02d}-01", "end": f"{year + 1}-{month:02d}-01"})
        events.append({"id": f"event-{n}", "title": f"Change {n} to the {kpi} process", **when, "kpis": [kpi]})
    (project / "data" / "events.yaml").write_text(yaml.safe_dump({"events": events}, sort_keys=False))
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objectives", type=int, default=10, help="objectives per perspective (default 10)")
    parser.add_argument("--kpis", type=int, default=10, help="KPIs per objective (default 10)")
    args = parser.parse_args()

    import vl_convert

    from bscgen import charts
    from bscgen.pages import Results
    from bscgen.tree import load_tree

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "bench"
        generate(project, args.objectives, args.kpis)
        with_events = write_events(project)
        tree, _ = load_tree(project)
        history = [Results.of(r) for r in tree.history]
        config = tree.scorecard.config
        pairs = []
        for kpi_id, latest in history[-1].kpis.items():
            events = [e for e, _ in latest.comparisons]
            if events:
                series = [(r.result.quarter, r.kpis[kpi_id]) for r in history if kpi_id in r.kpis]
                pairs.append((charts.kpi_trend(f"chart-{kpi_id}", latest.kpi, series, config.bands),
                              charts.kpi_trend(f"chart-{kpi_id}", latest.kpi, series, config.bands, events=events)))
        vl_convert.vegalite_to_svg(json.dumps(pairs[0][0].spec))  # start the engine before timing
        seconds = {"without": 0.0, "with": 0.0}
        for plain, marked in pairs:
            for name, chart in (("without", plain), ("with", marked)):
                started = time.perf_counter()
                vl_convert.vegalite_to_svg(json.dumps(chart.spec))
                seconds[name] += time.perf_counter() - started
        count = len(pairs)
        print(f"{with_events} of {len(history[-1].kpis)} KPIs have events; {count} KPI charts drawn each way")
        print(f"without events: {1000 * seconds['without'] / count:.1f} ms a chart")
        print(f"with events:    {1000 * seconds['with'] / count:.1f} ms a chart")
        print(f"ratio: {seconds['with'] / seconds['without']:.2f}")


if __name__ == "__main__":
    main()
