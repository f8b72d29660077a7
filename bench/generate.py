"""Generate a large scorecard for benchmarks: 4 perspectives, 100 objectives
(~300-word bodies, supports links), 1000 KPIs, 36 months of monthly actuals;
or, with `days`, one long CSV of that many daily values per KPI (the data
benchmark: 1000 KPIs x 1095 days is 1.1 million rows, about 26 MB)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

PERSPECTIVES = [("financial", "Financial", "F"), ("customer", "Customer", "C"),
                ("internal", "Internal Business Processes", "P"), ("learning", "Learning and Growth", "L")]
WORDS = (
    "service availability incident change release capacity cost budget value user support desk cloud "
    "security patch vulnerability project delivery portfolio demand skill training engagement automation "
    "platform network storage data quality process improvement governance risk compliance vendor contract "
    "license infrastructure application integration monitoring resilience recovery backlog throughput "
    "satisfaction experience adoption outcome benefit investment efficiency productivity quarter target"
).split()
DAYS = [(date(2023, 10, 1) + timedelta(days=i)).isoformat() for i in range(1096)]  # 2023-10-01 .. 2026-09-30
MONTHS = [(2023 + (9 + i) // 12, (9 + i) % 12 + 1) for i in range(36)]  # 2023-10 .. 2026-09


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(root: Path, objectives_per_perspective: int = 25, kpis_per_objective: int = 10, seed: int = 1,
             months: int = 36, days: int = 0) -> Path:
    rng = random.Random(seed)
    (root / "content" / "objectives").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "bscgen.yaml").write_text(
        "title: Benchmark Scorecard\norganization: Large Corp IT\nperspectives:\n"
        + "".join(f"  - {{id: {pid}, title: {title}}}\n" for pid, title, _ in PERSPECTIVES)
    )
    ids = [[f"{letter}{n:02d}" for n in range(1, objectives_per_perspective + 1)] for _, _, letter in PERSPECTIVES]
    for level, (pid, title, letter) in enumerate(PERSPECTIVES):
        for oid in ids[level]:
            supports = rng.sample(ids[level - 1], 2) if level else []
            body = "\n\n".join(paragraph(rng, 60) for _ in range(5))  # about 300 words
            (root / "content" / "objectives" / f"{oid.lower()}.md").write_text(
                f"---\nid: {oid}\ntitle: {paragraph(rng, 5)[:-1]}\nperspective: {pid}\nowner: Owner {oid}\n"
                f"supports: [{', '.join(supports)}]\n---\n{body}\n"
            )
    kpis, rows = ["kpis:"], {pid: ["kpi,period,value"] for pid, _, _ in PERSPECTIVES}
    number = 0
    for level, (pid, _, _) in enumerate(PERSPECTIVES):
        for oid in ids[level]:
            for _ in range(kpis_per_objective):
                number += 1
                kid = f"kpi-{number:04d}"
                direction = ("up", "down", "range")[number % 3]
                aggregate = ("sum", "mean", "last")[(number // 3) % 3]
                if direction == "up":
                    spec, low, high = "baseline: 50, target: 90", 40, 100
                elif direction == "down":
                    spec, low, high = "baseline: 30, target: 10", 5, 35
                else:
                    spec, low, high = "baseline: [10, 90], target: [40, 60]", 20, 80
                if aggregate == "sum":
                    spec = spec.replace("50, target: 90", "150, target: 270").replace("30, target: 10", "90, target: 30")
                    spec = spec.replace("[10, 90], target: [40, 60]", "[30, 270], target: [120, 180]")
                    low, high = low * 3, high * 3
                kpis.append(f"  - {{id: {kid}, name: {paragraph(rng, 3)[:-1]}, objective: {oid}, direction: {direction}, "
                            f"aggregate: {aggregate}, {spec}, unit: '%', weight: {rng.choice([1, 1, 2, 0.5])}}}")
                scale = 3 if aggregate == "sum" else 1
                periods = DAYS[:days] if days else [f"{year}-{month:02d}" for year, month in MONTHS[-months:]]
                scale *= len(periods) / len(MONTHS) if aggregate == "sum" else 1  # a quarter's sum stays in range
                for period in periods:
                    rows[pid].append(f"{kid},{period},{rng.uniform(low, high) / scale:.2f}")
    (root / "data" / "kpis.yaml").write_text("\n".join(kpis) + "\n")
    if days:  # one file, as a raw daily export would come
        rows = {"daily": ["kpi,period,value"] + [line for body in rows.values() for line in body[1:]]}
    for name, lines in rows.items():
        (root / "data" / f"{name}.csv").write_text("\n".join(lines) + "\n")
    return root


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, help="where to write the scorecard (must not exist)")
    parser.add_argument("--objectives", type=int, default=25, help="objectives per perspective (at least 2)")
    parser.add_argument("--kpis", type=int, default=10, help="KPIs per objective")
    options = parser.parse_args()
    generate(options.folder, options.objectives, options.kpis)
