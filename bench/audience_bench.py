"""The audience benchmark (SPEC 17): what building 3 audiences' sites costs
against building 1, on the example scorecard.

    python3 bench/audience_bench.py

The example gets a third audience (board, seeing what staff sees plus the
budget objective). Each side starts from an empty build cache: "1 audience"
is one cold build; "3 audiences" is three cold builds in a row into their own
folders, the later ones drawing only the charts whose specs differ (the
chart cache is shared). Both sides are measured in the same run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bscgen import site  # noqa: E402


def project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("bscgen.yaml", "content", "data", "themes", "scorecards", "vendor"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    config = folder / "bscgen.yaml"
    config.write_text(config.read_text().replace(
        "  - {id: staff, title: All IT staff}", "  - {id: staff, title: All IT staff}\n  - {id: board, title: Executive board}"))
    f2 = folder / "content/objectives/financial/f2-budget-discipline.md"
    f2.write_text(f2.read_text().replace("visible_to: [leadership]", "visible_to: [leadership, board]"))
    return folder


def timed(root: Path, audiences: list[str]) -> tuple[float, list]:
    started, reports = time.perf_counter(), []
    for audience in audiences:
        reports.append(site.build(root, root / f"site-{audience}", audience=audience))
    return time.perf_counter() - started, reports


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bscgen-audiences-") as tmp:
        one = project(Path(tmp) / "one")
        three = project(Path(tmp) / "three")
        single, _ = timed(one, ["leadership"])
        all_three, reports = timed(three, ["leadership", "staff", "board"])
        print(f"1 audience:  {single:.1f} s")
        print(f"3 audiences: {all_three:.1f} s = {all_three / single:.2f} x one")
        for audience, report in zip(["leadership", "staff", "board"], reports):
            print(f"  {audience}: {report.pages_rendered} pages rendered, {report.charts_drawn} charts drawn, "
                  f"{report.charts_cached} from the chart cache")


if __name__ == "__main__":
    main()
