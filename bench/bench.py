"""The performance benchmark: bscgen on a 1000-KPI scorecard against the limit
the hardware allows (Hugo for pages, vl-convert on all cores for charts).

    python3 bench/bench.py [--json results.json] [--keep DIR] [--objectives 25] [--kpis 10]

All figures come from one run, so their ratios hold on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

CHART_SAMPLE = 300


def run_measured(command: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """(seconds, peak RSS of the whole process tree in bytes, stderr) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    return seconds, peak, stderr


def bscgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "bscgen", *args]


def counts(summary: str) -> dict[str, int]:
    match = re.search(r"(\d+) pages \((\d+) rendered, (\d+) cached\), (\d+) charts \((\d+) drawn", summary)
    return dict(zip(("pages", "rendered", "reused", "charts", "drawn"), map(int, match.groups())))


def hugo_build(pages: int, workdir: Path) -> float:
    """Hugo building as many plain Markdown pages as bscgen wrote."""
    site = workdir / "hugo"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "single.html").write_text("<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>")
    (site / "layouts" / "_default" / "list.html").write_text("<html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>")
    rng = random.Random(3)
    words = "service cost value user change incident target quarter score status".split()
    for number in range(pages):
        body = " ".join(rng.choice(words) for _ in range(300))
        (site / "content" / "posts" / f"page-{number}.md").write_text(f"---\ntitle: Page {number}\n---\n{body}\n")
    seconds, _, _ = run_measured(["hugo", "--quiet", "-s", str(site)])
    return seconds


def _draw(spec: str) -> int:
    import vl_convert

    return len(vl_convert.vegalite_to_svg(spec))


def chart_specs(project: Path, sample: int) -> list[str]:
    """A sample of the very charts bscgen draws for the project (every kind, all quarters)."""
    from bscgen.pages import QuarterSite, Results
    from bscgen.tree import load_tree

    tree, _ = load_tree(project)
    scorecard, history = tree.scorecard, [Results.of(r) for r in tree.history]
    rng = random.Random(5)
    specs = []
    for position in rng.sample(range(len(history)), min(3, len(history))):
        for page in QuarterSite(scorecard, history[: position + 1]).pages():
            specs += [json.dumps(chart.spec) for chart in page.charts]
    return rng.sample(specs, min(sample, len(specs)))


def vl_convert_charts(project: Path, total: int) -> tuple[float, int]:
    """vl-convert drawing `total` charts on every core, from a timed sample."""
    specs = chart_specs(project, CHART_SAMPLE)
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        list(pool.map(_draw, specs, chunksize=4))
    seconds = time.perf_counter() - started
    return seconds * total / len(specs), len(specs)


def quarterly_cycle(project: Path) -> dict[str, tuple[float, dict[str, int]]]:
    """The quarterly cycle's builds (issue 27) on a copy of the built project, each
    timed: a new quarter's data arrives; a value of an old quarter is restated; the
    latest quarter is archived, then built; one line of the theme's CSS changes; a
    second audience's site, and a second language's (once bscgen has --language)."""
    from bscgen.themes import builtin_theme

    cycle = project.parent / "cycle"
    shutil.copytree(project, cycle, ignore=shutil.ignore_patterns("site"))  # the chart cache comes along
    with_audiences(cycle)
    latest = json.loads((project / "site" / "versions.json").read_text())[0]["version"]
    year, number = int(latest[:4]), int(latest[-1])
    previous = f"{year}-Q{number - 1}" if number > 1 else f"{year - 1}-Q4"
    steps = {}

    def step(name: str, *commands: list[str]) -> None:
        seconds = sum(run_measured(command)[0] for command in commands[:-1])
        more, _, summary = run_measured(commands[-1])
        steps[name] = (seconds + more, counts(summary))

    run_measured(bscgen("build", "-s", str(cycle), "--period", previous))
    step("a new quarter arrives", bscgen("build", "-s", str(cycle)))
    data = sorted((cycle / "data").rglob("*.csv"))[0]
    lines = data.read_text().splitlines()
    kpi, period, value = lines[1].split(",")[:3]
    lines[1] = ",".join([kpi, period, str(float(value) * 1.01), *lines[1].split(",")[3:]])
    data.write_text("\n".join(lines) + "\n")
    step("a restated value (one row of an old quarter)", bscgen("build", "-s", str(cycle)))
    step("archive the latest quarter, then build", bscgen("archive", "-s", str(cycle), latest),
         bscgen("build", "-s", str(cycle)))
    css = cycle / "themes" / "default" / "static" / "style.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text((builtin_theme() / "static" / "style.css").read_text() + "\n.site-title { letter-spacing: .01em; }\n")
    step("a theme change (one CSS line)", bscgen("build", "-s", str(cycle)))
    step("a second audience (its own site)", bscgen("build", "-s", str(cycle), "--audience", "staff",
                                                      "-o", str(cycle / "site-staff")))
    if "--language" in subprocess.run(bscgen("build", "--help"), capture_output=True, text=True).stdout:
        step("a second language (its own site)", bscgen("build", "-s", str(cycle), "--language", "de",
                                                          "-o", str(cycle / "site-de")))
    return steps


def with_audiences(project: Path) -> None:
    """Two audiences (SPEC 17): leadership sees everything, the first objective is
    reserved for it, so staff's site computes its scores without it."""
    config = project / "bscgen.yaml"
    config.write_text(config.read_text() + "audiences:\n  - {id: leadership, title: IT leadership}\n"
                      "  - {id: staff, title: All IT staff}\n")
    first = sorted((project / "content" / "objectives").glob("*.md"))[0]
    first.write_text(first.read_text().replace("\n---\n", "\nvisible_to: [leadership]\n---\n", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", type=Path, help="generate the scorecard here and keep it")
    parser.add_argument("--objectives", type=int, default=25, help="objectives per perspective (default 25)")
    parser.add_argument("--kpis", type=int, default=10, help="KPIs per objective (default 10)")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bscgen-bench-"))
    project = options.keep or workdir / "scorecard"
    if project.exists():
        shutil.rmtree(project)
    generate(project, options.objectives, options.kpis)
    print(f"scorecard: {project} ({4 * options.objectives} objectives, {4 * options.objectives * options.kpis} KPIs, 36 months)")

    figures: dict[str, float] = {}
    figures["cold_s"], figures["peak_rss_bytes"], summary = run_measured(bscgen("build", "-s", str(project)))
    cold = counts(summary)
    home_bytes = (project / "site" / "index.html").stat().st_size
    figures["noop_s"], _, summary = run_measured(bscgen("build", "-s", str(project)))
    noop = counts(summary)
    objective = next((project / "content" / "objectives").glob("c01.md"))
    objective.write_text(objective.read_text() + "\nOne more sentence for the benchmark.\n")
    figures["edit_s"], _, summary = run_measured(bscgen("build", "-s", str(project)))
    edit = counts(summary)
    figures["check_s"], _, _ = run_measured(bscgen("check", "-s", str(project)))

    cycle = quarterly_cycle(project)

    figures["hugo_s"] = hugo_build(cold["pages"], workdir)
    figures["vlconvert_s"], sampled = vl_convert_charts(project, cold["drawn"])
    limit = figures["hugo_s"] + figures["vlconvert_s"]
    ratios = {
        "cold / (hugo + vl-convert)": figures["cold_s"] / limit,
        "no-op / cold": figures["noop_s"] / figures["cold_s"],
        "one-objective edit / cold": figures["edit_s"] / figures["cold_s"],
        "check / cold": figures["check_s"] / figures["cold_s"],
    }
    targets = {"cold / (hugo + vl-convert)": 1.25, "no-op / cold": 0.03, "one-objective edit / cold": 0.05, "check / cold": 0.05}

    print(f"pages {cold['pages']}, charts {cold['drawn']} (vl-convert timed on a sample of {sampled}, scaled)")
    print(f"{'figure':32} {'value':>12}")
    for name, value in figures.items():
        shown = f"{value / 2**20:.0f} MiB" if name.endswith("bytes") else f"{value:.2f} s"
        print(f"{name:32} {shown:>12}")
    print(f"{'(no-op rebuild rendered':32} {noop['rendered']:>5} pages, drew {noop['drawn']} charts)")
    print(f"{'(edit rebuild rendered':32} {edit['rendered']:>5} pages, drew {edit['drawn']} charts)")
    print(f"\n{'ratio':32} {'value':>8} {'target':>8}")
    for name, value in ratios.items():
        mark = "ok" if value <= targets[name] else "MISSED"
        print(f"{name:32} {value:8.3f} {targets[name]:8.2f}  {mark}")
    print(f"{'home page <= 200 KB':32} {home_bytes / 1000:7.0f}K {'':8}  {'ok' if home_bytes <= 200_000 else 'MISSED'}")
    figures["home_page_bytes"] = home_bytes
    rss_ok = figures["peak_rss_bytes"] <= 2**30
    print(f"{'peak RSS <= 1 GiB':32} {figures['peak_rss_bytes'] / 2**20:7.0f}M {'':8}  {'ok' if rss_ok else 'MISSED'}")
    print(f"\n{'the quarterly cycle':44} {'seconds':>8} {'of cold':>8} {'pages':>6} {'charts':>6}")
    for name, (seconds, done) in cycle.items():
        print(f"{name:44} {seconds:8.2f} {seconds / figures['cold_s']:8.1%} {done['rendered']:6} {done['drawn']:6}")
    if options.json:
        options.json.write_text(json.dumps({"figures": figures, "ratios": ratios, "counts": {"cold": cold, "noop": noop, "edit": edit},
                                            "cycle": {name: {"seconds": sec, **done} for name, (sec, done) in cycle.items()}}, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
