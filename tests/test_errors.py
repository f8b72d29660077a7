"""Bad input: every validation error is reported as `path:line: error: ...`,
the command exits 1, the previous site is left byte-for-byte as it was, and
no input ever produces a traceback (SPEC sections 2-6, 9 and 10).

Line numbers in the expectations were counted by hand from the texts below.
The fixture tests/fixtures/small has (see test_fixture_line_counts):

    bscgen.yaml       5 lines  -> an appended line is line 6
    data/kpis.yaml   30 lines  -> an appended KPI starts on line 31
                                  (KPI "csat" starts on line 12)
    data/actuals.csv 12 lines  -> an appended row is line 13
                                  (cost,2026-02 is line 6; csat,2026-03 is line 8)

An objective or initiative written with `front_matter(...)` has `---` on
line 1 and its n-th field on line n + 1.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FIXTURES, cli, copy_fixture, run_bscgen

FIXTURE = FIXTURES / "small"
FIX_CFG = (FIXTURE / "bscgen.yaml").read_text(encoding="utf-8")
FIX_KPIS = (FIXTURE / "data" / "kpis.yaml").read_text(encoding="utf-8")
FIX_CSV = (FIXTURE / "data" / "actuals.csv").read_text(encoding="utf-8")

CFG = "bscgen.yaml"
KPIS = "data/kpis.yaml"
CSV = "data/actuals.csv"
OBJ = "content/objectives/x1.md"
INI = "content/initiatives/i1.md"
EVENTS = "data/events.yaml"

PROBLEM_RE = re.compile(r"^(?P<path>[^:\s][^:]*?)(?::(?P<line>\d+))?: (?P<severity>error|warning): (?P<message>.+)$")


# --- helpers -------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: str) -> Outcome:
    """Run the CLI in-process."""
    result = cli(*args)
    return Outcome(result.exit_code, result.stdout, result.stderr, result.exception)


def run_subprocess(*args: str, cwd: Path | None = None, timeout: float = 180) -> Outcome:
    """Run the CLI as a real process (python -m bscgen)."""
    proc = run_bscgen(*args, cwd=cwd, timeout=timeout)
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def assert_no_crash(out: Outcome) -> None:
    """(d): no Python traceback, no 'internal error', no exception escaping click."""
    assert "Traceback" not in out.output, out.output
    assert "internal error" not in out.output, out.output
    if out.exception is not None:
        assert isinstance(out.exception, SystemExit), repr(out.exception)


def problems(stderr: str, severity: str | None = None) -> list[tuple[str, int | None, str, str]]:
    """Every `path[:line]: severity: message` line, parsed."""
    found = []
    for text in stderr.splitlines():
        match = PROBLEM_RE.match(text)
        if match and (severity is None or match["severity"] == severity):
            line = int(match["line"]) if match["line"] else None
            found.append((match["path"], line, match["severity"], match["message"]))
    return found


def assert_problem(stderr: str, path: str, line: int | None, *words: str, severity: str = "error") -> None:
    """stderr has a line `path:line: severity: ...` whose message holds every word."""
    prefix = f"{path}:{line}: {severity}: " if line is not None else f"{path}: {severity}: "
    candidates = [text for text in stderr.splitlines() if text.startswith(prefix)]
    assert candidates, f"no line starting with {prefix!r} in:\n{stderr}"
    assert any(all(word.lower() in text.lower() for word in words) for text in candidates), (
        f"no line starting with {prefix!r} mentions all of {words!r}; candidates:\n" + "\n".join(candidates)
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes (and every folder) below `folder`."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes() if path.is_file() else None)
        for path in sorted(folder.rglob("*"))
    }


def stray_staging(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir() if path.name.startswith(".site"))


def write_files(project: Path, files: dict[str, str | bytes | None]) -> None:
    """Write (str/bytes) or delete (None) files relative to the project root."""
    for relative, content in files.items():
        path = project / relative
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def front_matter(*fields: str, body: str = "Body text.\n") -> str:
    """A Markdown file: `---` on line 1, fields[i] on line i + 2, then `---` and the body."""
    return "---\n" + "".join(f"{field}\n" for field in fields) + "---\n" + body


def kpi(*fields: str) -> str:
    """data/kpis.yaml with one more KPI appended: fields[i] is on line 31 + i."""
    return FIX_KPIS + "  - " + "\n    ".join(fields) + "\n"


def extra_kpi(*more: str) -> str:
    """A valid KPI on lines 31-34 (id extra, name, objective F1, target 10), then `more` from line 35."""
    return kpi("id: extra", "name: Extra", "objective: F1", "target: 10", *more)


def events(*fields: str) -> dict[str, str]:
    """data/events.yaml: `events:` on line 1, then fields[i] on line i + 2 (a field
    starting with "- " begins another event)."""
    lines = [f"  {f}" if f.startswith("- ") else f"  - {f}" if i == 0 else f"    {f}" for i, f in enumerate(fields)]
    return {EVENTS: "events:\n" + "".join(f"{line}\n" for line in lines)}


def csv_row(*rows: str) -> str:
    """data/actuals.csv with rows appended: the first is line 13."""
    return FIX_CSV + "".join(f"{row}\n" for row in rows)


def config(*lines: str) -> str:
    """bscgen.yaml with lines appended: the first is line 6."""
    return FIX_CFG + "".join(f"{line}\n" for line in lines)


def objective(*fields: str) -> dict[str, str]:
    return {OBJ: front_matter(*fields)}


def initiative(*more: str) -> dict[str, str]:
    """content/initiatives/i1.md with id, title, objectives on lines 2-4, then `more` from line 5."""
    return {INI: front_matter("id: I1", "title: Migrate the mail", "objectives: [F1]", *more)}


@pytest.fixture(scope="session")
def built_small(tmp_path_factory) -> Path:
    """The small fixture, built once with `bscgen build -s`; tests copy it, site/ included."""
    project = tmp_path_factory.mktemp("built") / "proj"
    copy_fixture("small", project)
    out = invoke("build", "-s", str(project))
    assert_no_crash(out)
    assert out.code == 0, out.output
    assert (project / "site" / "index.html").is_file()
    return project


@pytest.fixture
def proj(tmp_path: Path, built_small: Path) -> Path:
    """A fresh copy of the built valid project (with its previous site/)."""
    project = tmp_path / "proj"
    shutil.copytree(built_small, project)
    return project


def break_and_build(project: Path, files: dict[str, str | bytes | None], *args: str) -> Outcome:
    """Break a built project, build again: exit 1, site untouched, no staging left, no crash."""
    before = snapshot(project / "site")
    assert before, "the valid project should have been built first"
    write_files(project, files)
    out = invoke("build", "-s", str(project), *args)
    assert_no_crash(out)
    assert out.code == 1, out.output
    assert snapshot(project / "site") == before, "a failed build changed the previous site"
    assert stray_staging(project) == [], "a failed build left a staging folder behind"
    return out


def test_fixture_line_counts():
    """The hand-counted line numbers below rely on these."""
    assert FIX_CFG.count("\n") == 5 and FIX_CFG.endswith("\n")
    assert FIX_KPIS.count("\n") == 30 and FIX_KPIS.endswith("\n")
    assert FIX_KPIS.splitlines()[11] == "  - id: csat"
    assert FIX_CSV.count("\n") == 12 and FIX_CSV.endswith("\n")
    assert FIX_CSV.splitlines()[5].startswith("cost,2026-02,")
    assert FIX_CSV.splitlines()[7].startswith("csat,2026-03,")


# --- one case per validation error --------------------------------------------------
#
# pytest.param(files to write, [(path, line, distinctive words...), ...], id=...)

CASES = [
    # YAML syntax -------------------------------------------------------------
    pytest.param(
        {CFG: "title: Small Scorecard\norganization: Test: IT\n" + FIX_CFG.split("\n", 2)[2]},
        [(CFG, 2, "not valid YAML")],
        id="yaml-syntax-config",
    ),
    pytest.param(
        # line 3 of the file is the second line of the front matter
        objective("id: X1", "title: Broken: title", "perspective: financial"),
        [(OBJ, 3, "not valid YAML")],
        id="yaml-syntax-front-matter",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra: bad", "objective: F1", "target: 10")},
        [(KPIS, 32, "not valid YAML")],
        id="yaml-syntax-kpis",
    ),
    pytest.param(
        {CFG: config("title: Again")},
        [(CFG, 6, '"title"', "twice", "line 1")],
        id="duplicate-key-config",
    ),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", "id: X2"),
        [(OBJ, 5, '"id"', "twice", "line 2")],
        id="duplicate-key-front-matter",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1", "name: Again", "target: 10")},
        [(KPIS, 34, '"name"', "twice", "line 32")],
        id="duplicate-key-kpis",
    ),
    pytest.param(
        {CFG: "- title\n- organization\n"},
        [(CFG, 1, "key: value")],
        id="config-not-a-mapping",
    ),
    pytest.param(
        {OBJ: "---\n- id\n- title\n---\nBody.\n"},
        [(OBJ, 2, "front matter", "key: value")],
        id="front-matter-not-a-mapping",
    ),
    # unknown keys ------------------------------------------------------------
    pytest.param(
        {CFG: config("organisation: Other IT")},
        [(CFG, 6, 'unknown key "organisation"', 'did you mean "organization"', "extra:")],
        id="unknown-key-config",
    ),
    pytest.param(
        {CFG: config("calendar:", "  fiscal_year_begin: 4")},
        [(CFG, 7, 'unknown key "fiscal_year_begin"', 'did you mean "fiscal_year_start"')],
        id="unknown-key-config-calendar",
    ),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", "ower: Me"),
        [(OBJ, 5, 'unknown key "ower"', 'did you mean "owner"', "extra:")],
        id="unknown-key-objective",
    ),
    pytest.param(
        {KPIS: extra_kpi("unti: EUR")},
        [(KPIS, 35, 'unknown key "unti"', 'did you mean "unit"', "extra:")],
        id="unknown-key-kpi",
    ),
    # missing required fields -------------------------------------------------
    pytest.param(
        objective("title: No id", "perspective: financial"),
        [(OBJ, 2, "missing", '"id"')],
        id="objective-missing-id",
    ),
    pytest.param(
        objective("id: X1", "perspective: financial"),
        [(OBJ, 2, "missing", '"title"')],
        id="objective-missing-title",
    ),
    pytest.param(
        objective("id: X1", "title: T"),
        [(OBJ, 2, "missing", '"perspective"')],
        id="objective-missing-perspective",
    ),
    pytest.param(
        {KPIS: kpi("name: Extra", "objective: F1", "target: 10")},
        [(KPIS, 31, "missing", '"id"')],
        id="kpi-missing-id",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "objective: F1", "target: 10")},
        [(KPIS, 31, "missing", '"name"')],
        id="kpi-missing-name",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "target: 10")},
        [(KPIS, 31, "missing", '"objective"')],
        id="kpi-missing-objective",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1")},
        [(KPIS, 31, "missing", '"target"')],
        id="kpi-missing-target",
    ),
    # wrong types ---------------------------------------------------------------
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", 'weight: "heavy"'),
        [(OBJ, 5, '"weight"', "number", '"heavy"')],
        id="objective-weight-not-a-number",
    ),
    pytest.param(
        {KPIS: extra_kpi("decimals: 1.5")},
        [(KPIS, 35, '"decimals"', "whole number", "1.5")],
        id="kpi-decimals-not-whole",
    ),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", "supports: {a: 1}"),
        [(OBJ, 5, '"supports"', "list")],
        id="supports-is-a-mapping",
    ),
    # ids -------------------------------------------------------------------------
    pytest.param(
        objective("id: F.1", "title: T", "perspective: financial"),
        [(OBJ, 2, '"F.1"', "letters, digits")],
        id="objective-bad-id",
    ),
    pytest.param(
        {KPIS: kpi("id: cost per user", "name: Extra", "objective: F1", "target: 10")},
        [(KPIS, 31, '"cost per user"', "letters, digits")],
        id="kpi-bad-id",
    ),
    pytest.param(
        {"content/objectives/zz.md": front_matter("id: F1", "title: Again", "perspective: financial")},
        [("content/objectives/zz.md", 2, '"F1"', "already used at content/objectives/f1.md:2")],
        id="duplicate-objective-id",
    ),
    pytest.param(
        {KPIS: kpi("id: csat", "name: Again", "objective: C1", "target: 10")},
        [(KPIS, 31, '"csat"', "already used at data/kpis.yaml:12")],
        id="duplicate-kpi-id",
    ),
    pytest.param(
        {
            "content/initiatives/a.md": front_matter("id: I1", "title: A", "objectives: [F1]"),
            "content/initiatives/b.md": front_matter("id: I1", "title: B", "objectives: [C1]"),
        },
        [("content/initiatives/b.md", 2, '"I1"', "already used at content/initiatives/a.md:2")],
        id="duplicate-initiative-id",
    ),
    pytest.param(
        {CFG: config("  - {id: customer, title: Again}")},
        [(CFG, 6, '"customer"', "already used at bscgen.yaml:5")],
        id="duplicate-perspective-id",
    ),
    # references --------------------------------------------------------------------
    pytest.param(
        objective("id: X1", "title: T", "perspective: finance"),
        [(OBJ, 4, 'unknown perspective "finance"', 'did you mean "financial"')],
        id="unknown-perspective",
    ),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", "supports:", "  - F1", "  - F9"),
        [(OBJ, 7, '"supports"', '"F9"', "does not exist")],
        id="supports-unknown-objective",
    ),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", "supports: [F1, X1]"),
        [(OBJ, 5, '"X1"', "cannot support itself")],
        id="supports-itself",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F9", "target: 10")},
        [(KPIS, 33, '"extra"', 'objective "F9"', "does not exist")],
        id="kpi-unknown-objective",
    ),
    pytest.param(
        {INI: front_matter("id: I1", "title: T", "objectives: [F1, Z9]")},
        [(INI, 4, '"objectives"', '"Z9"', "does not exist")],
        id="initiative-unknown-objective",
    ),
    pytest.param(
        {CSV: csv_row("costs,2026-03,4300,")},
        [(CSV, 13, 'unknown KPI id "costs"', 'did you mean "cost"')],
        id="csv-long-unknown-kpi",
    ),
    pytest.param(
        {"data/wide.csv": "period,csat,nps\n2026-Q2,80,10\n"},
        [("data/wide.csv", 1, 'unknown KPI id "nps"', "header")],
        id="csv-wide-unknown-kpi",
    ),
    # KPI definitions -----------------------------------------------------------------
    pytest.param(
        {KPIS: extra_kpi("direction: sideways")},
        [(KPIS, 35, '"direction"', "up, down, range", '"sideways"')],
        id="kpi-bad-direction",
    ),
    pytest.param(
        {KPIS: extra_kpi("aggregate: average")},
        [(KPIS, 35, '"aggregate"', "last", "mean", '"average"')],
        id="kpi-bad-aggregate",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1", "direction: down", "target: 10")},
        [(KPIS, 31, "missing", '"baseline"', "down")],
        id="down-kpi-without-baseline",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1", "direction: range", "target: [1, 2]")},
        [(KPIS, 31, "missing", '"baseline"', "range")],
        id="range-kpi-without-baseline",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1", "baseline: 10", "target: 10")},
        [(KPIS, 35, "target equals the baseline", "10")],
        id="target-equals-baseline",
    ),
    pytest.param(
        {KPIS: kpi(
            "id: extra", "name: Extra", "objective: F1", "baseline: 10", "target: 20",
            "targets:", "  2026-Q1: 30", "  2026: 10",
        )},
        [(KPIS, 38, "target equals the baseline")],
        id="targets-entry-equals-baseline",
    ),
    pytest.param(
        {KPIS: extra_kpi("targets: {2026-Q5: 12}")},
        [(KPIS, 35, "targets", "2026-Q5")],
        id="targets-bad-quarter",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1", "direction: down", "baseline: 10", "target: 20")},
        [(KPIS, 36, "down", "below the baseline")],
        id="down-kpi-target-above-baseline",
    ),
    pytest.param(
        {KPIS: kpi("id: extra", "name: Extra", "objective: F1", "baseline: 20", "target: 10")},
        [(KPIS, 35, "up", "above the baseline", "direction: down")],
        id="up-kpi-target-below-baseline",
    ),
    pytest.param(
        {KPIS: kpi(
            "id: extra", "name: Extra", "objective: F1", "direction: range",
            "target: [90, 80]", "baseline: [50, 100]",
        )},
        [(KPIS, 35, '"target"', "[90, 80]", "out of order")],
        id="range-target-out-of-order",
    ),
    pytest.param(
        {KPIS: kpi(
            "id: extra", "name: Extra", "objective: F1", "direction: range",
            "target: [80, 90]", "baseline: [85, 100]",
        )},
        [(KPIS, 35, "range", "baseline [85, 100]", "target [80, 90]")],
        id="range-baseline-does-not-enclose-target",
    ),
    pytest.param(
        {KPIS: kpi(
            "id: extra", "name: Extra", "objective: F1", "direction: range",
            "target: 85", "baseline: [50, 100]",
        )},
        [(KPIS, 35, '"target"', "two numbers")],
        id="range-target-not-a-pair",
    ),
    pytest.param(
        {KPIS: extra_kpi("weight: -1")},
        [(KPIS, 35, '"weight"', "at least 0", "-1")],
        id="kpi-negative-weight",
    ),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial", "weight: -2"),
        [(OBJ, 5, '"weight"', "at least 0", "-2")],
        id="objective-negative-weight",
    ),
    pytest.param(
        {KPIS: extra_kpi("bands: {green: 50, amber: 70}")},
        [(KPIS, 35, "amber band (70)", "green band (50)")],
        id="kpi-bands-amber-above-green",
    ),
    pytest.param(
        {"data/more.yaml": "# more KPIs\nkpis: nope\n"},
        [("data/more.yaml", 2, '"kpis"', "list")],
        id="kpis-not-a-list",
    ),
    # CSV values ---------------------------------------------------------------------------
    pytest.param(
        {CSV: csv_row("csat,2026-06,abc,")},
        [(CSV, 13, 'column "value"', '"abc" is not a number')],
        id="csv-value-abc",
    ),
    pytest.param(
        {CSV: csv_row('csat,2026-06,"1,234",')},
        [(CSV, 13, '"1,234"', "thousands separator", "1234")],
        id="csv-value-thousands-separator",
    ),
    pytest.param(
        {CSV: csv_row("csat,2026-06,n/a,")},
        [(CSV, 13, '"n/a" is not a number', "empty")],
        id="csv-value-n/a",
    ),
    pytest.param(
        {CSV: csv_row("csat,2026-06,95%,")},
        [(CSV, 13, '"95%"', "% sign", 'unit: "%"')],
        id="csv-value-percent",
    ),
    pytest.param(
        {CSV: csv_row("csat,2026-06,\"95,5\",")},
        [(CSV, 13, '"95,5"', "decimal comma", "95.5")],
        id="csv-value-decimal-comma",
    ),
    pytest.param(
        # a quoted note spanning lines 13-14 pushes the bad row to line 15
        {CSV: csv_row('csat,2026-04,80,"two', 'lines"', "csat,2026-06,abc,")},
        [(CSV, 15, '"abc" is not a number')],
        id="csv-value-after-multiline-note",
    ),
    pytest.param(
        {"data/wide.csv": "period,csat\n2026-Q2,80\n2026-Q3,95%\n"},
        [("data/wide.csv", 3, 'column "csat"', "% sign")],
        id="csv-wide-value-percent",
    ),
    # CSV periods --------------------------------------------------------------------------
    pytest.param(
        {CSV: csv_row("csat,2026-Q5,80,")},
        [(CSV, 13, "period", '"2026-Q5"', "quarter 5")],
        id="period-2026-Q5",
    ),
    pytest.param(
        {CSV: csv_row("csat,2026-13,80,")},
        [(CSV, 13, "period", '"2026-13"', "month 13")],
        id="period-2026-13",
    ),
    pytest.param(
        {CSV: csv_row("csat,2026-02-30,80,")},
        [(CSV, 13, "period", '"2026-02-30"', "not a real date")],
        id="period-2026-02-30",
    ),
    pytest.param(
        {CSV: csv_row("csat,Q3 2026,80,")},
        [(CSV, 13, "period", '"Q3 2026"', "2026-Q3")],
        id="period-Q3-2026",
    ),
    pytest.param(
        {CSV: csv_row("csat,,80,")},
        [(CSV, 13, "period cell is empty")],
        id="period-empty",
    ),
    pytest.param(
        {CSV: csv_row(",2026-06,80,")},
        [(CSV, 13, '"kpi" cell is empty')],
        id="csv-kpi-empty",
    ),
    # duplicate actuals ----------------------------------------------------------------
    pytest.param(
        # csat uses aggregate: last (cost, a mean, takes any number of rows per period)
        {CSV: csv_row("csat,2026-03,80,")},
        [(CSV, 13, '"csat"', "already has a value for 2026-03 at data/actuals.csv:8")],
        id="csv-exact-duplicate-aggregate-last",
    ),
    pytest.param(
        # csat uses aggregate: last; 2026-03 (line 8) and 2026-Q1 both count as 2026-03-31
        {CSV: csv_row("csat,2026-Q1,80,")},
        [(CSV, 13, '"csat"', "aggregate: last", "2026-03-31", "2026-03 at data/actuals.csv:8")],
        id="csv-same-date-aggregate-last",
    ),
    # encodings and file shapes ---------------------------------------------------------
    pytest.param(
        {CSV: FIX_CSV.encode().replace(b"cost,2025-11,4800", b"cost,2025-11,48\xff0", 1)},
        [(CSV, 3, "not UTF-8", "0xff")],
        id="csv-not-utf8",
    ),
    pytest.param(
        {OBJ: b"---\nid: X1\ntitle: T\nperspective: financial\n---\nCaf\xe9 au lait.\n"},
        [(OBJ, 6, "not UTF-8", "0xe9")],
        id="markdown-not-utf8",
    ),
    pytest.param(
        {"data/other.csv": "kpi,when,value\ncsat,2026-06,80\n"},
        [("data/other.csv", 1, "no period column", "long layout", "wide layout")],
        id="csv-missing-period-column",
    ),
    pytest.param(
        {"data/other.csv": "kpi,period,amount\ncsat,2026-06,80\n"},
        [("data/other.csv", 1, "no value column")],
        id="csv-missing-value-column",
    ),
    pytest.param(
        {"data/other.csv": "period\n2026-Q2\n"},
        [("data/other.csv", 1, "only a period column")],
        id="csv-wide-only-period",
    ),
    pytest.param(
        {CSV: csv_row("csat,2026-06")},
        [(CSV, 13, "2 cells", "header has 4")],
        id="csv-wrong-number-of-cells",
    ),
    pytest.param(
        {CSV: csv_row('csat,2026-06,"' + "x" * 140_000 + '",')},
        [(CSV, 13, "not valid CSV")],
        id="csv-field-too-large",
    ),
    pytest.param(
        {OBJ: "---\nid: X1\ntitle: T\nperspective: financial\nBody without the closing line.\n"},
        [(OBJ, 1, "front matter is not closed")],
        id="front-matter-not-closed",
    ),
    pytest.param(
        {OBJ: "# X1\n\nAn objective without front matter.\n"},
        [(OBJ, 1, "no front matter")],
        id="objective-without-front-matter",
    ),
    pytest.param(
        {INI: "# I1\n\nAn initiative without front matter.\n"},
        [(INI, 1, "no front matter")],
        id="initiative-without-front-matter",
    ),
    # bscgen.yaml settings --------------------------------------------------------------
    pytest.param(
        {CFG: config("calendar:", "  fiscal_year_start: 13")},
        [(CFG, 7, '"fiscal_year_start"', "at most 12", "13")],
        id="fiscal-year-start-13",
    ),
    pytest.param(
        {CFG: config("calendar:", "  fiscal_year_named_by: middle")},
        [(CFG, 7, '"fiscal_year_named_by"', "end, start", '"middle"')],
        id="fiscal-year-named-by-middle",
    ),
    pytest.param(
        {CFG: config("scoring:", "  bands: {green: 50, amber: 70}")},
        [(CFG, 7, "amber band (70)", "green band (50)")],
        id="bands-amber-above-green",
    ),
    pytest.param(
        {CFG: config("scoring:", "  cap: 0")},
        [(CFG, 7, '"cap"', "at least 1")],
        id="scoring-cap-zero",
    ),
    pytest.param(
        {CFG: config("perspectives: []")},
        [(CFG, 6, '"perspectives"', "twice", "line 3")],
        id="perspectives-twice",
    ),
    pytest.param(
        {CFG: "theme: fancy\n" + FIX_CFG},
        [(CFG, 1, 'theme "fancy"', "does not exist", "themes/fancy/")],
        id="unknown-theme",
    ),
    # initiatives -------------------------------------------------------------------------
    pytest.param(
        initiative("status: ongoing"),
        [(INI, 5, '"status"', "planned, on-track, at-risk, late, done", '"ongoing"')],
        id="initiative-bad-status",
    ),
    pytest.param(
        initiative("progress: 150"),
        [(INI, 5, '"progress"', "at most 100", "150")],
        id="initiative-progress-150",
    ),
    pytest.param(
        initiative("due: soon"),
        [(INI, 5, '"due"', "YYYY-MM-DD", '"soon"')],
        id="initiative-bad-date",
    ),
    pytest.param(
        initiative("start: 2026-03-01", "due: 2026-01-31"),
        [(INI, 6, "due date 2026-01-31", "before the start date 2026-03-01")],
        id="initiative-due-before-start",
    ),
    pytest.param(
        {INI: front_matter("id: I1", "title: T")},
        [(INI, 2, "missing", '"objectives"')],
        id="initiative-missing-objectives",
    ),
    # the portfolio (SPEC 19) ---------------------------------------------------------------
    pytest.param(
        initiative("budget: 0"),
        [(INI, 5, '"budget"', "positive number", "not 0")],
        id="initiative-budget-zero",
    ),
    pytest.param(
        initiative("budget: lots"),
        [(INI, 5, '"budget"', "must be a number", '"lots"')],
        id="initiative-budget-not-a-number",
    ),
    pytest.param(
        initiative("start: 2026-01-01", "due: 2026-12-31", "plan: {2026-Q1: 40, 2026-Q2: 30}"),
        [(INI, 7, "plan goes down", "30 % for 2026-Q2", "below 40 % for 2026-Q1")],
        id="initiative-plan-goes-down",
    ),
    pytest.param(
        initiative("start: 2026-01-01", "due: 2026-06-30", "plan: {2026-Q3: 100}"),
        [(INI, 7, "plan names 2026-Q3", "outside", "2026-Q1 to 2026-Q2")],
        id="initiative-plan-outside-start-due",
    ),
    pytest.param(
        initiative("plan: {2026-Q1: 120}"),
        [(INI, 5, "plan for 2026-Q1", "percent from 0 to 100", "120")],
        id="initiative-plan-over-100",
    ),
    pytest.param(
        initiative("milestones:", "  - {title: Go-live}", "  - {due: 2026-03-31}"),
        [(INI, 6, "milestone", "missing", '"due"'), (INI, 7, "milestone", "missing", '"title"')],
        id="initiative-milestone-without-title-or-due",
    ),
    pytest.param(
        initiative("milestones:", "  - {title: Go-live, due: 2026-03-31, event: maybe}"),
        [(INI, 6, '"event"', "true or false", '"maybe"')],
        id="initiative-milestone-event-not-yes-no",
    ),
    pytest.param(
        {**initiative(), "data/initiatives.csv": "initiative,period,spend,progress\nI1x,2026-01,100,10\n"},
        [("data/initiatives.csv", 2, 'unknown initiative id "I1x"', 'did you mean "I1"')],
        id="initiative-row-unknown-initiative",
    ),
    pytest.param(
        {**initiative(), "data/initiatives.csv": "initiative,period,spend,progress\nI1,2026-01,100,150\n"},
        [("data/initiatives.csv", 2, '"progress"', "150", "0 to 100")],
        id="initiative-row-progress-over-100",
    ),
    pytest.param(
        {**initiative(), "data/initiatives.csv": "initiative,period,spend\nI1,2026-01,a lot\n"},
        [("data/initiatives.csv", 2, '"spend"', '"a lot" is not a number')],
        id="initiative-row-spend-not-a-number",
    ),
    pytest.param(
        {**initiative(), "data/initiatives.csv": "initiative,spend\nI1,100\n"},
        [("data/initiatives.csv", 1, "no period column", "initiative,period,spend,progress")],
        id="initiative-table-without-period",
    ),
    pytest.param(
        {CFG: config("portfolio: {amber: 0.8, red: 0.9}")},
        [(CFG, 6, "red threshold (0.9)", "amber threshold (0.8)")],
        id="portfolio-red-above-amber",
    ),
    pytest.param(
        # several portfolio mistakes in one run: every one is listed
        {**initiative("budget: -5", "start: 2026-01-01", "due: 2026-12-31", "plan: {2026-Q2: 50, 2026-Q3: 20}"),
         "data/initiatives.csv": "initiative,period,spend,progress\nI9,2026-01,1,1\nI1,2026-02,1,-3\n"},
        [(INI, 5, '"budget"', "positive"), (INI, 8, "plan goes down"),
         ("data/initiatives.csv", 2, 'unknown initiative id "I9"'), ("data/initiatives.csv", 3, '"progress"', "-3")],
        id="portfolio-problems-all-at-once",
    ),
    # commentary and page texts -------------------------------------------------------------
    pytest.param(
        {"content/commentary/2026-Q1/F9.md": "Notes on an objective that does not exist.\n"},
        [("content/commentary/2026-Q1/F9.md", 1, 'no objective has the id "F9"')],
        id="commentary-unknown-objective",
    ),
    pytest.param(
        {"content/commentary/2026-Q9/index.md": "Summary.\n"},
        [("content/commentary/2026-Q9/index.md", 1, '"2026-Q9"', "quarter 9")],
        id="commentary-folder-not-a-quarter",
    ),
    pytest.param(
        {"content/commentary/2026-Q1/deep/F1.md": "Too deep.\n"},
        [("content/commentary/2026-Q1/deep/F1.md", 1, "content/commentary/<quarter>/<objective-id>.md")],
        id="commentary-too-deep",
    ),
    pytest.param(
        {"content/perspectives/learning.md": "Learning and growth.\n"},
        [("content/perspectives/learning.md", 1, 'no perspective has the id "learning"', "financial, customer")],
        id="perspective-page-unknown-perspective",
    ),
    pytest.param(
        {"content/index.md": "---\ntitle: Home\nsubtitle: x\n---\nWelcome.\n"},
        [("content/index.md", 3, 'unknown key "subtitle"', "extra:")],
        id="home-page-unknown-key",
    ),
    # events (SPEC 20) ------------------------------------------------------------------------
    pytest.param(
        events("id: go-live", "title: Go-live", "date: 2026-02-01", "- id: go-live", "title: Again", "date: 2026-03-01"),
        [(EVENTS, 5, '"go-live"', "already used at data/events.yaml:2")],
        id="event-duplicate-id",
    ),
    pytest.param(
        events("id: e1", "title: T", "date: 2026-02-01", "kpis: [cst]"),
        [(EVENTS, 5, 'KPI "cst"', 'did you mean "csat"')],
        id="event-unknown-kpi",
    ),
    pytest.param(
        events("id: e1", "title: T", "date: 2026-02-01", "objectives:", "  - C1", "  - F11"),
        [(EVENTS, 7, 'objective "F11"', 'did you mean "F1"')],
        id="event-unknown-objective",
    ),
    pytest.param(
        events("id: e1", "title: T", "date: 2026-02-01", "perspectives: [finance]"),
        [(EVENTS, 5, 'perspective "finance"', 'did you mean "financial"')],
        id="event-unknown-perspective",
    ),
    pytest.param(
        initiative() | events("id: e1", "title: T", "date: 2026-02-01", "initiative: I11"),
        [(EVENTS, 5, 'initiative "I11"', 'did you mean "I1"')],
        id="event-unknown-initiative",
    ),
    pytest.param(
        initiative("milestones:", "  - {title: Go-live, due: 2026-03-31, event: true}")
        | events("id: I1-milestone-1", "title: T", "date: 2026-02-01"),
        [(INI, 6, 'milestone "Go-live"', '"I1-milestone-1"', "data/events.yaml:2", "rename that event")],
        id="event-milestone-id-taken",
    ),
    pytest.param(
        events("id: e1", "title: T", "start: 2026-03-01", "end: 2026-02-01"),
        [(EVENTS, 5, "end 2026-02-01 is before the start 2026-03-01")],
        id="event-end-before-start",
    ),
    pytest.param(
        events("id: e1", "title: T", "date: 2026-02-01", "start: 2026-02-01", "end: 2026-03-01"),
        [(EVENTS, 5, 'both "date" and "start"')],
        id="event-date-and-start",
    ),
    pytest.param(
        events("id: e1", "title: T", "date: next week"),
        [(EVENTS, 4, '"date" must be a date written YYYY-MM-DD', '"next week"')],
        id="event-date-not-a-date",
    ),
    pytest.param(
        events("id: e1", "title: T", "start: 2026-02-01"),
        [(EVENTS, 4, '"start" but no "end"')],
        id="event-start-without-end",
    ),
    pytest.param(
        events("id: e1", "title: T"),
        [(EVENTS, 2, "no date")],
        id="event-without-date",
    ),
    pytest.param(
        {EVENTS: "events: soon\n"},
        [(EVENTS, 1, '"events" must be a list')],
        id="event-file-not-a-list",
    ),
    pytest.param(
        events("id: e1", "title: T", "date: 2026-02-01", "visible_to: [board]"),
        [(EVENTS, 5, '"visible_to" names the audience "board"', "no audiences")],
        id="event-visible-to-without-audiences",
    ),
    # no actuals at all -------------------------------------------------------------------------
    pytest.param(
        {CSV: None},
        [("data", None, "no KPI actuals", "CSV")],
        id="no-csv-actuals",
    ),
    # languages and locales (SPEC 18): what is wrong, with what is available --------------
    pytest.param(
        {CFG: config("language: deu")},
        [(CFG, 6, '"language"', "en, de, fr, es, it, nl, pt, pl, ar", '"deu"', 'did you mean "de"')],
        id="unknown-language",
    ),
    pytest.param(
        {CFG: config("language: de", "locale: de-XX")},
        [(CFG, 7, '"de-XX"', "not a locale", "de-CH")],
        id="unknown-locale",
    ),
    pytest.param(
        {CFG: config("currency: EURO")},
        [(CFG, 6, '"EURO"', "ISO 4217", "EUR")],
        id="unknown-currency",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_validation_error(proj: Path, files, expected):
    out = break_and_build(proj, files)
    for path, line, *words in expected:
        assert_problem(out.stderr, path, line, *words)


# --- regressions: bugs these tests found, now fixed ------------------------------------


def test_unknown_theme_points_at_theme_line(proj: Path):
    out = break_and_build(proj, {CFG: config("theme: fancy")})
    assert_problem(out.stderr, CFG, 6, 'theme "fancy"')


def test_csv_error_in_multiline_record_points_at_its_first_line(proj: Path):
    # the record starts on line 13 (where "abc" is) and its quoted note ends on line 14
    out = break_and_build(proj, {CSV: csv_row('csat,2026-06,abc,"two', 'lines"')})
    assert_problem(out.stderr, CSV, 13, '"abc" is not a number')


def test_impossible_yaml_date_in_front_matter(proj: Path):
    out = break_and_build(proj, initiative("due: 2026-13-01"))
    assert_problem(out.stderr, INI, 5, '2026-13-01', 'not a real date')


def test_impossible_yaml_date_in_config(proj: Path):
    out = break_and_build(proj, {CFG: config("extra: {launch: 2026-02-30}")})
    assert_problem(out.stderr, CFG, 6, "2026-02-30")


@pytest.mark.parametrize("period", ["0000-01", "0000-Q1"])
def test_csv_period_year_zero(proj: Path, period: str):
    out = break_and_build(proj, {CSV: csv_row(f"csat,{period},80,")})
    assert_problem(out.stderr, CSV, 13, period)


def test_huge_carry_forward_does_not_hang(tmp_path: Path):
    """Regression: carry_forward has no upper bound, and a huge one used to loop (practically) forever."""
    project = tmp_path / "proj"
    copy_fixture("small", project)
    write_files(project, {
        KPIS: extra_kpi("carry_forward: 1000000000000"),
        CSV: csv_row("extra,2026-01,5,"),
    })
    try:  # a real process, so the timeout can stop it
        out = run_subprocess("build", "-s", str(project), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("bscgen build with carry_forward: 1000000000000 did not finish within 30 s")
    assert_no_crash(out)
    assert out.code == 0, out.output


def test_broken_kpi_file_does_not_flood_csv_rows_with_unknown_ids(proj: Path):
    out = break_and_build(proj, {KPIS: FIX_KPIS + "  - id: [unclosed\n"})
    assert_problem(out.stderr, KPIS, 32, "not valid YAML")
    assert "unknown KPI id" not in out.stderr
    assert len(problems(out.stderr, "error")) == 1


def test_unreadable_objective_file_does_not_flood_references(proj: Path):
    out = break_and_build(proj, {"content/objectives/f1.md": "---\nid: F1\ntitle: [unclosed\n---\nx\n"})
    assert_problem(out.stderr, "content/objectives/f1.md", 4, "not valid YAML")
    assert "does not exist" not in out.stderr


def test_initiative_must_name_an_objective(proj: Path):
    out = break_and_build(proj, {INI: front_matter("id: I1", "title: Migrate the mail", "objectives: []")})
    assert_problem(out.stderr, INI, 4, '"objectives"', "at least one")


def test_target_for_fiscal_year_zero(proj: Path):
    out = break_and_build(proj, {KPIS: extra_kpi("targets: {0: 5}")})
    assert_problem(out.stderr, KPIS, 35, "targets key", "year 0")


def test_mistyped_year_far_in_the_future_is_caught_quickly(proj: Path):
    out = break_and_build(proj, {CSV: csv_row("csat,2206-01,80,")})
    assert_problem(out.stderr, CSV, 13, "2206", "mistyped")


def test_control_characters_are_escaped_in_messages(proj: Path):
    out = break_and_build(proj, {CSV: csv_row("csat,2026-06,a\x07b,")})
    assert_problem(out.stderr, CSV, 13, "a\\x07b")
    assert "\x07" not in out.stderr


# --- all problems at once ----------------------------------------------------------------

MANY_PROBLEMS = {
    CFG: config("organisation: Other IT"),                                        # bscgen.yaml:6
    OBJ: front_matter("id: X1", "perspective: financial", 'weight: "heavy"'),     # x1.md:2 and x1.md:4
    KPIS: extra_kpi("direction: sideways"),                                        # kpis.yaml:35
    CSV: csv_row("csat,2026-06,abc,", "csat,2026-Q5,1,"),                          # actuals.csv:13 and :14
}
MANY_EXPECTED = [
    (CFG, 6, 'unknown key "organisation"'),
    (OBJ, 2, "missing", '"title"'),
    (OBJ, 4, '"weight"', '"heavy"'),
    (CSV, 13, '"abc"'),
    (CSV, 14, "2026-Q5"),
    (KPIS, 35, '"direction"', "sideways"),
]


def assert_many_problems(stderr: str) -> None:
    for path, line, *words in MANY_EXPECTED:
        assert_problem(stderr, path, line, *words)
    errors = problems(stderr, "error")
    assert len({(path, line) for path, line, _, _ in errors}) >= 4
    assert len({path for path, _, _, _ in errors}) >= 3
    # sorted by file, then by line
    keys = [(path, line or 0) for path, line, _, _ in problems(stderr)]
    assert keys == sorted(keys), stderr


def test_every_problem_is_reported_in_one_run(proj: Path):
    out = break_and_build(proj, MANY_PROBLEMS)
    assert_many_problems(out.stderr)


def test_subprocess_build_keeps_previous_site(tmp_path: Path):
    """The whole cycle with a real `python -m bscgen` process."""
    project = tmp_path / "proj"
    copy_fixture("small", project)
    first = run_subprocess("build", "-s", str(project), cwd=tmp_path)
    assert_no_crash(first)
    assert first.code == 0, first.output
    before = snapshot(project / "site")
    assert "index.html" in before

    write_files(project, MANY_PROBLEMS)
    out = run_subprocess("build", "-s", str(project), cwd=tmp_path)
    assert_no_crash(out)
    assert out.code == 1, out.output
    assert_many_problems(out.stderr)
    assert snapshot(project / "site") == before
    assert stray_staging(project) == []


# --- warnings -----------------------------------------------------------------------------

WARNING_CASES = [
    pytest.param({KPIS: extra_kpi()}, (KPIS, 31, '"extra"', "no actuals"), id="kpi-without-actuals"),
    pytest.param(
        objective("id: X1", "title: T", "perspective: financial"),
        (OBJ, 2, '"X1"', "no KPIs"),
        id="objective-without-kpis",
    ),
    pytest.param(
        {CFG: config("  - {id: learning, title: Learning}")},
        (CFG, 6, '"learning"', "no objectives"),
        id="perspective-without-objectives",
    ),
]


@pytest.mark.parametrize(("files", "expected"), WARNING_CASES)
def test_warning_does_not_fail_the_build(proj: Path, files, expected):
    write_files(proj, files)
    out = invoke("build", "-s", str(proj))
    assert_no_crash(out)
    assert out.code == 0, out.output
    assert_problem(out.stderr, *expected, severity="warning")
    assert problems(out.stderr, "error") == []
    assert (proj / "site" / "index.html").is_file()
    assert stray_staging(proj) == []


@pytest.mark.parametrize(("files", "expected"), WARNING_CASES)
def test_warning_fails_the_build_with_strict(proj: Path, files, expected):
    out = break_and_build(proj, files, "--strict")
    assert_problem(out.stderr, *expected, severity="warning")


@pytest.mark.parametrize(("files", "expected"), WARNING_CASES)
def test_warning_fails_check_with_strict(proj: Path, files, expected):
    write_files(proj, files)
    plain = invoke("check", "-s", str(proj))
    assert_no_crash(plain)
    assert plain.code == 0, plain.output
    assert_problem(plain.stderr, *expected, severity="warning")
    strict = invoke("check", "-s", str(proj), "--strict")
    assert_no_crash(strict)
    assert strict.code == 1, strict.output
    assert_problem(strict.stderr, *expected, severity="warning")


# --- bscgen check -----------------------------------------------------------------------


def test_check_valid_project_writes_nothing(tmp_path: Path):
    project = tmp_path / "proj"
    copy_fixture("small", project)
    before = snapshot(tmp_path)
    out = invoke("check", "-s", str(project))
    assert_no_crash(out)
    assert out.code == 0, out.output
    assert not (project / "site").exists()
    assert snapshot(tmp_path) == before


def test_check_reports_the_same_problems_as_build(proj: Path):
    write_files(proj, MANY_PROBLEMS)
    before = snapshot(proj)
    checked = invoke("check", "-s", str(proj))
    assert_no_crash(checked)
    assert checked.code == 1, checked.output
    assert snapshot(proj) == before, "check wrote something"
    assert_many_problems(checked.stderr)

    built = invoke("build", "-s", str(proj))
    assert_no_crash(built)
    assert built.code == 1
    assert problems(checked.stderr) == problems(built.stderr)


# --- usage errors: exit 2 ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "check"])
def test_missing_project_folder_is_a_usage_error(tmp_path: Path, command: str):
    out = invoke(command, "-s", str(tmp_path / "nowhere"))
    assert_no_crash(out)
    assert out.code == 2, out.output
    assert "bscgen.yaml" in out.stderr


@pytest.mark.parametrize("command", ["build", "check"])
def test_folder_without_config_is_a_usage_error(tmp_path: Path, command: str):
    (tmp_path / "content").mkdir()
    out = invoke(command, "-s", str(tmp_path))
    assert_no_crash(out)
    assert out.code == 2, out.output
    assert "bscgen.yaml" in out.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["--period", "2026-Q9"], ["2026-Q9"], id="period-Q9"),
        pytest.param(["--period", "Q3 2026"], ["Q3 2026"], id="period-not-a-quarter"),
        pytest.param(["--period", "2020-Q1"], ["2020-Q1"], id="period-before-data"),
        pytest.param(["--bogus"], ["--bogus"], id="unknown-option"),
        pytest.param(["--language", "xx"], ["--language", '"xx"', "en, de, fr, es, it, nl, pt, pl, ar"],
                     id="unknown-language"),
        pytest.param(["--locale", "de-XX"], ["--locale", '"de-XX"', "de-CH"], id="unknown-locale"),
    ],
)
def test_bad_arguments_are_usage_errors(proj: Path, args, words):
    before = snapshot(proj / "site")
    out = invoke("build", "-s", str(proj), *args)
    assert_no_crash(out)
    assert out.code == 2, out.output
    for word in words:
        assert word in out.stderr
    assert snapshot(proj / "site") == before
    assert stray_staging(proj) == []


def test_usage_error_exit_code_in_a_real_process(tmp_path: Path):
    out = run_subprocess("build", "-s", str(tmp_path / "nowhere"))
    assert_no_crash(out)
    assert out.code == 2, out.output


# --- fuzzing: no input crashes bscgen ------------------------------------------------------

YAMLISH = st.sampled_from(list("abcQ019-_:,.[]{}#&*!|>'\"%@`?\\ \t\n\r\x00\x07\x1b\x85\u2028\ufeff\xe9"))
CSVISH = st.sampled_from(list("kpicostat,Q0129-.e+%\"' \t\n\r\x00\x1b\ufeff\xe9"))


def fresh_copy(tmp: str) -> Path:
    project = Path(tmp) / "proj"
    copy_fixture("small", project)
    return project


def assert_handled(out: Outcome) -> None:
    assert_no_crash(out)
    assert out.code in (0, 1), out.output


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fuzz_random_text_never_crashes(data):
    target = data.draw(st.sampled_from(["config", "front matter", "csv text", "csv bytes"]))
    if target == "csv bytes":
        content: str | bytes = data.draw(st.binary(max_size=300))
    else:
        alphabet = YAMLISH if target != "csv text" else CSVISH
        content = data.draw(st.one_of(st.text(max_size=200), st.text(alphabet, max_size=200)))
    with tempfile.TemporaryDirectory() as tmp:
        project = fresh_copy(tmp)
        if target == "config":
            write_files(project, {CFG: content})
        elif target == "front matter":
            write_files(project, {"content/objectives/f1.md": "---\n" + content + "\n---\nBody.\n"})
        elif target == "csv text":
            write_files(project, {CSV: "kpi,period,value,note\n" + content})
        else:
            write_files(project, {CSV: content})
        out = invoke("build", "-s", str(project))
        assert_handled(out)
        if out.code == 1:
            assert problems(out.stderr, "error"), out.stderr


# Structured fuzzing: well-formed YAML with values of every type in every field.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(), st.text(max_size=12), st.dates(),
    st.sampled_from(["F1", "C1", "cost", "up", "down", "range", "mean", "2026", "2026-Q1", "[1, 2]", "-1"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)
KPI_FIELDS = ("id", "name", "objective", "unit", "decimals", "direction", "baseline", "target", "targets",
              "weight", "aggregate", "carry_forward", "bands", "source", "description", "bogus")
OBJECTIVE_FIELDS = ("id", "title", "perspective", "owner", "weight", "order", "supports", "extra", "bogus")
INITIATIVE_FIELDS = ("id", "title", "objectives", "owner", "status", "progress", "start", "due", "budget", "extra")
CONFIG_FIELDS = ("title", "organization", "base_url", "theme", "calendar", "scoring", "perspectives", "extra", "bogus")


def dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=False, sort_keys=False)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_structured_fields_never_crash(data):
    target = data.draw(st.sampled_from(["kpi", "objective", "initiative", "config"]))
    with tempfile.TemporaryDirectory() as tmp:
        project = fresh_copy(tmp)
        if target == "kpi":
            fields = data.draw(st.dictionaries(st.sampled_from(KPI_FIELDS), VALUES, max_size=8))
            write_files(project, {KPIS: FIX_KPIS + textwrap.indent(dump([fields]), "  ", lambda _: True)})
        elif target == "objective":
            fields = data.draw(st.dictionaries(st.sampled_from(OBJECTIVE_FIELDS), VALUES, max_size=8))
            write_files(project, {OBJ: "---\n" + dump(fields) + "---\nBody.\n"})
        elif target == "initiative":
            fields = data.draw(st.dictionaries(st.sampled_from(INITIATIVE_FIELDS), VALUES, max_size=8))
            write_files(project, {INI: "---\n" + dump(fields) + "---\nBody.\n"})
        else:
            fields = data.draw(st.dictionaries(st.sampled_from(CONFIG_FIELDS), VALUES, max_size=6))
            write_files(project, {CFG: dump(fields)})
        # check runs every validation without the (slow) rendering of a valid project
        out = invoke("check", "-s", str(project))
        assert_handled(out)


# --- hostile and mistaken input (SPEC 16) ---------------------------------------------------

NESTED_PAYLOADS = {  # each made `bscgen build` run for minutes and fail with RecursionError
    "5000 quotes on one line": (">" * 5000 + " deep\n", 9),
    "one more quote per line": ("".join(">" * i + " x\n" for i in range(1, 5001)), 8 + 51),
    "a list 3000 deep": ("".join("    " * i + "- x\n" for i in range(3000)), 8 + 51),
}


@pytest.mark.parametrize("body, line", NESTED_PAYLOADS.values(), ids=NESTED_PAYLOADS.keys())
def test_deeply_nested_markdown_is_an_error_in_bounded_time(tmp_path: Path, body: str, line: int):
    project = tmp_path / "proj"
    copy_fixture("small", project)
    f1 = project / "content" / "objectives" / "f1.md"
    f1.write_text(f1.read_text() + body)  # the fixture's f1.md has 8 lines: the payload starts on line 9
    try:
        out = run_subprocess("build", "-s", str(project), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("bscgen build did not finish within 30 s")
    assert_no_crash(out)
    assert out.code == 1, out.output
    assert_problem(out.stderr, "content/objectives/f1.md", line, "nested more than 50 levels")
    assert len(problems(out.stderr, "error")) == 1


def test_kpi_file_holding_a_list_is_one_error_without_follow_ons(proj: Path):
    out = break_and_build(proj, {KPIS: "- just\n- a list\n"})
    assert_problem(out.stderr, KPIS, 1, "holds a list", '"kpis:"')
    assert problems(out.stderr) == [(KPIS, 1, "error", problems(out.stderr)[0][3])]  # no "unknown KPI", no "has no KPIs"


def test_config_holding_a_list_is_one_error_without_follow_ons(proj: Path):
    # the fixture's perspectives are financial and customer; defaults would add two without objectives
    out = break_and_build(proj, {CFG: "- title: Small Scorecard\n"})
    assert_problem(out.stderr, CFG, 1, "key: value pairs", "not a list")
    assert len(problems(out.stderr)) == 1, out.stderr


def test_front_matter_holding_a_list_is_one_error_without_follow_ons(proj: Path):
    out = break_and_build(proj, {"content/objectives/f1.md": "---\n- id: F1\n---\nBody.\n"})
    assert_problem(out.stderr, "content/objectives/f1.md", 2, "YAML fields")
    assert len(problems(out.stderr)) == 1, out.stderr  # no 'the perspective "financial" has no objectives'


def test_a_flood_of_one_mistake_is_summarised(proj: Path):
    rows = "".join(f"csat,2026-01-{day % 28 + 1:02d},n/a\n" for day in range(500))
    out = break_and_build(proj, {"data/actuals/bad.csv": "kpi,period,value\n" + rows})
    listed = problems(out.stderr)
    assert len(listed) == 21, out.stderr
    assert [line for _, line, _, _ in listed[:20]] == list(range(2, 22))
    assert listed[20] == ("data/actuals/bad.csv", None, "error", "... and 480 more values that are not plain numbers")
    assert "500 error(s)" in out.stderr  # the count is the real one
