"""Check that two commits build byte-identical sites (for refactors).

    python3 bench/same_output.py BEFORE [AFTER]     (AFTER defaults to the work tree)

Each side builds, from a clean clone: the example (clean, then a no-op
rebuild with the cache), the example with a frozen quarter (archive, then a
cached rebuild after a data edit), the small test fixture, and the group test
fixture (a parent with child scorecards built with it and a published one),
both built clean. Every file of every output must be equal.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(src: Path, cmd: list[str], cwd: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src), "SOURCE_DATE_EPOCH": "1795000000"}
    subprocess.run([sys.executable, "-m", "bscgen", *cmd], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def outputs(src: Path, work: Path) -> dict[str, Path]:
    """Build every scenario with the code in `src`; name -> site folder."""
    sites = {}
    example = work / "example"
    shutil.copytree(src, example, ignore=shutil.ignore_patterns(".git", "site", ".bscgen-cache", "archive"))
    run(src, ["build", "-s", str(example), "-o", str(work / "clean")], cwd=work)
    sites["example, clean"] = work / "clean"
    run(src, ["build", "-s", str(example)], cwd=work)
    run(src, ["build", "-s", str(example)], cwd=work)  # no-op, from the cache
    sites["example, cached no-op"] = example / "site"
    run(src, ["archive", "2025-Q4"], cwd=example)
    run(src, ["archive", "2026-Q1"], cwd=example)
    csv = next(sorted((example / "data").rglob("*.csv")).__iter__())
    csv.write_text(csv.read_text())  # touched: the cache must notice nothing changed in value
    objective = sorted((example / "content" / "objectives").rglob("*.md"))[0]
    objective.write_text(objective.read_text() + "\nEdited for the comparison.\n")
    run(src, ["build", "-s", str(example)], cwd=work)
    sites["example with archives, cached edit"] = example / "site"
    small = work / "small"
    shutil.copytree(src / "tests" / "fixtures" / "small", small)
    run(src, ["build", "-s", str(small), "--no-cache"], cwd=work)
    sites["small fixture"] = small / "site"
    if (src / "tests" / "fixtures" / "group").is_dir():  # not in commits before cascading scorecards
        group = work / "group"
        shutil.copytree(src / "tests" / "fixtures" / "group", group, ignore=shutil.ignore_patterns("site", ".bscgen-cache"))
        run(src, ["build", "-s", str(group), "--no-cache"], cwd=work)
        sites["group fixture (child scorecards), clean"] = group / "site"
    return sites


def differences(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    found = [f"only before: {p}" for p in sorted(files_a - files_b)] + [f"only after: {p}" for p in sorted(files_b - files_a)]
    found += [f"differs: {p}" for p in sorted(files_a & files_b) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return found


def main() -> None:
    before = sys.argv[1]
    after = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory(prefix="bscgen-same-") as tmp:
        work = Path(tmp)
        sides = {}
        for name, commit in (("before", before), ("after", after)):
            src = work / name / "src"
            if commit is None:
                shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".git", "site", ".bscgen-cache", "node_modules"))
            else:
                subprocess.run(["git", "clone", "-q", str(REPO), str(src)], check=True)
                subprocess.run(["git", "checkout", "-q", commit], cwd=src, check=True)
            sides[name] = outputs(src, work / name)
        failed = False
        for scenario in sides["before"].keys() ^ sides["after"].keys():
            print(f"{scenario}: skipped, only one side has it")
        for scenario, site in sides["before"].items():
            if scenario not in sides["after"]:
                continue
            found = differences(site, sides["after"][scenario])
            count = sum(1 for p in site.rglob("*") if p.is_file())
            print(f"{scenario}: {count} files, {'identical' if not found else f'{len(found)} differences'}")
            for line in found[:20]:
                print("   ", line)
            failed |= bool(found)
        raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
