"""Audience views (SPEC 17): one project, a site per audience, and nothing hidden leaks.

The leak test plants a unique canary in every field of the items hidden from
the staff audience, builds the staff view with the PDF and the deck on, and
searches every byte of every file it wrote (the search index decompressed,
the PDF's text, every part of the deck and of its embedded workbooks). The
leadership view, which sees everything, must contain every canary, so a
canary that was never planted cannot pass for one that was hidden.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bscgen import site
from bscgen.cli import main

CANARIES = {
    "objective id": "ZQOBJ",
    "objective title": "CanaryObjectiveTitle",
    "objective owner": "CanaryObjectiveOwner",
    "objective description": "CanaryObjectiveDescription",
    "kpi id": "zq-kpi",
    "kpi name": "CanaryKpiName",
    "kpi owner": "CanaryKpiOwner",
    "kpi source": "CanaryKpiSource",
    "kpi description": "CanaryKpiDescription",
    "kpi of a hidden objective": "CanaryOrphanKpi",
    "data row note": "CanaryRowNote",
    "data file": "zq-canary-file",
    "hidden kpi value": "97531",
    "commentary": "CanaryCommentary",
    "summary reserved for leadership": "CanarySummary",
    "initiative title": "CanaryInitiative",
    "initiative owner": "CanaryInitiativeOwner",
    "initiative body": "CanaryInitiativeBody",
    "goal": "CanaryGoal",
    "child scorecard title": "CanaryChildTitle",
    "child scorecard objective": "CanaryChildObjective",
    "commit subject": "CanaryCommitSubject",
    "hidden objective of a visible child": "CanaryUnitObjective",
    "a from KPI reading it": "CanaryFromHidden",
    "event reserved for leadership": "CanaryEventReserved",
    "event about a hidden KPI": "CanaryEventHiddenKpi",
    "event about a hidden objective": "CanaryEventHiddenObjective",
}
C = CANARIES

CONFIG = f"""title: Audience Scorecard
organization: Test IT
audiences:
  - {{id: staff, title: All IT staff}}
  - {{id: leadership, title: IT leadership team}}
perspectives:
  - {{id: financial, title: Financial}}
  - {{id: customer, title: Customer}}
goals:
  items:
    - {{id: G1, title: Serve the business}}
    - {{id: G9, title: {C['goal']}, visible_to: [leadership]}}
scorecards:
  - {{id: unit, path: unit, visible_to: [leadership]}}
  - {{id: unit2, path: unit2}}
exports: [pdf, pptx]
"""

OBJECTIVES = {
    "f1.md": "---\nid: F1\ntitle: Run IT for less\nperspective: financial\nserves: [G1]\n---\nCost matters.\n",
    "zq.md": f"---\nid: {C['objective id']}\ntitle: {C['objective title']}\nperspective: financial\n"
             f"owner: {C['objective owner']}\nserves: [G9]\nvisible_to: [leadership]\n---\n{C['objective description']}\n",
    "c1.md": f"---\nid: C1\ntitle: Happy users\nperspective: customer\nsupports: [F1, {C['objective id']}]\n"
             "serves: [G1]\n---\nUsers first.\n",
}

KPIS = f"""kpis:
  - {{id: cost, name: IT cost, objective: F1, baseline: 0, target: 100}}
  - {{id: {C['kpi id']}, name: {C['kpi name']}, objective: F1, baseline: 0, target: 100, owner: {C['kpi owner']},
     source: {C['kpi source']}, description: {C['kpi description']}, visible_to: [leadership]}}
  - {{id: orphan, name: {C['kpi of a hidden objective']}, objective: {C['objective id']}, baseline: 0, target: 100}}
  - {{id: csat, name: Satisfaction, objective: C1, baseline: 0, target: 100}}
  - {{id: unit-score, name: Unit score, objective: C1, from: {{scorecard: unit}}, target: 100}}
  - {{id: unit2-score, name: Unit two score, objective: C1, from: {{scorecard: unit2}}, target: 100}}
  - {{id: unit2-secret, name: {C['a from KPI reading it']}, objective: C1, from: {{scorecard: unit2, objective: U9}}, target: 100}}
"""

ACTUALS = "kpi,period,value\ncost,2026-Q1,70\ncost,2026-Q2,80\ncsat,2026-Q1,50\ncsat,2026-Q2,90\n"
EVENTS = f"""events:
  - {{id: open-event, title: Laptop refresh, date: 2026-02-10, kpis: [cost, {C['kpi id']}]}}
  - {{id: reserved, title: {C['event reserved for leadership']}, date: 2026-02-11, visible_to: [leadership]}}
  - {{id: hidden-kpi, title: {C['event about a hidden KPI']}, date: 2026-02-12, kpis: [{C['kpi id']}]}}
  - {{id: hidden-objective, title: {C['event about a hidden objective']}, date: 2026-02-13,
     objectives: [{C['objective id']}], description: CanaryEventDescription}}
"""
HIDDEN_ACTUALS = (f"kpi,period,value,note\n{C['kpi id']},2026-Q1,40,{C['data row note']}\n"
                  f"{C['kpi id']},2026-Q2,{C['hidden kpi value']},{C['data row note']}\norphan,2026-Q2,10,\n")

UNIT = {
    "bscgen.yaml": f"title: {C['child scorecard title']}\n",
    "content/objectives/u1.md": f"---\nid: U1\ntitle: {C['child scorecard objective']}\nperspective: financial\n---\n",
    "data/kpis.yaml": "kpis:\n  - {id: u, name: Unit KPI, objective: U1, target: 100}\n",
    "data/a.csv": "kpi,period,value\nu,2026-Q1,50\nu,2026-Q2,60\n",
}


UNIT2 = {
    "bscgen.yaml": "title: Unit two\n",
    "content/objectives/u1.md": "---\nid: U1\ntitle: Open objective\nperspective: financial\n---\n",
    "content/objectives/u9.md": f"---\nid: U9\ntitle: {C['hidden objective of a visible child']}\nperspective: financial\n"
                                "visible_to: [leadership]\n---\n",
    "data/kpis.yaml": "kpis:\n  - {id: a, name: A, objective: U1, target: 100}\n  - {id: b, name: B, objective: U9, target: 100}\n",
    "data/a.csv": "kpi,period,value\na,2026-Q1,50\na,2026-Q2,60\nb,2026-Q1,10\nb,2026-Q2,20\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def make_project(root: Path) -> Path:
    _write(root, {"bscgen.yaml": CONFIG, "data/kpis.yaml": KPIS, "data/actuals.csv": ACTUALS, "data/events.yaml": EVENTS,
                  f"data/{C['data file']}.csv": HIDDEN_ACTUALS,
                  **{f"content/objectives/{n}": t for n, t in OBJECTIVES.items()},
                  "content/initiatives/i1.md": f"---\nid: I1\ntitle: {C['initiative title']}\nobjectives: "
                                               f"[{C['objective id']}]\nowner: {C['initiative owner']}\n---\n"
                                               f"{C['initiative body']}\n",
                  "content/initiatives/i2.md": "---\nid: I2\ntitle: Cheaper laptops\nobjectives: [F1]\n---\nLaptops.\n",
                  f"content/commentary/2026-Q2/{C['objective id']}.md": f"{C['commentary']} went well.\n",
                  "content/commentary/2026-Q2/index.md": f"---\nvisible_to: [leadership]\n---\n{C['summary reserved for leadership']}\n",
                  "content/commentary/2026-Q2/F1.md": "Costs fell.\n",
                  **{f"unit/{n}": t for n, t in UNIT.items()}, **{f"unit2/{n}": t for n, t in UNIT2.items()}})
    git = ["git", "-c", "user.name=Test", "-c", "user.email=t@example.com", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", f"{C['commit subject']} added", "--date", "2026-05-01T12:00:00"],
                   check=True, env={"GIT_COMMITTER_DATE": "2026-05-01T12:00:00", "PATH": "/usr/bin:/bin"})
    return root


@pytest.fixture(scope="module")
def views(tmp_path_factory) -> dict[str, Path]:
    root = make_project(tmp_path_factory.mktemp("audiences") / "p")
    out = {}
    for audience in ("staff", "leadership"):
        out[audience] = root.parent / f"site-{audience}"
        site.build(root, out[audience], audience=audience)
    return out


def texts_of(folder: Path) -> dict[str, str]:
    """Every file of a site as text: Pagefind's fragments decompressed, the PDF's text,
    every XML part of the deck and of the workbooks embedded in it."""
    from pypdf import PdfReader

    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data, name = path.read_bytes(), path.relative_to(folder).as_posix()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(data))
            found[name] = data.decode("latin-1") + "\n".join(page.extract_text() for page in reader.pages)
            found[name] += json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()})
        elif data[:2] == b"PK":
            found.update(_zip_texts(name, data))
        else:
            found[name] = data.decode("utf-8", errors="replace")
    return found


def _zip_texts(name: str, data: bytes) -> dict[str, str]:
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            inner = archive.read(part)
            if inner[:2] == b"PK":
                found.update(_zip_texts(f"{name}!{part}", inner))
            else:
                found[f"{name}!{part}"] = inner.decode("utf-8", errors="replace")
    return found


def test_no_file_of_the_restricted_view_holds_a_hidden_item(views):
    texts = texts_of(views["staff"])
    assert any(name.endswith(".pdf") for name in texts) and any(".pptx!" in name for name in texts)
    assert any("pagefind" in name for name in texts)
    leaks = [(what, name) for what, canary in CANARIES.items() for name, text in texts.items() if canary in text]
    assert not leaks, leaks


def test_the_full_view_holds_every_canary(views):
    texts = texts_of(views["leadership"])
    missing = [what for what, canary in CANARIES.items() if not any(canary in t for t in texts.values())]
    assert not missing


def test_scores_of_the_view_leave_the_hidden_items_out(views):
    staff = json.loads((views["staff"] / "scorecard.json").read_text())
    full = json.loads((views["leadership"] / "scorecard.json").read_text())
    assert staff["audience"] == "staff" and full["audience"] == "leadership"
    f1 = staff["perspectives"][0]["objectives"][0]
    # by hand: F1's only visible KPI, cost, is at 80; the hidden one is at 100 (capped)
    assert [k["id"] for k in f1["kpis"]] == ["cost"] and f1["score"] == pytest.approx(80)
    assert staff["perspectives"][0]["score"] == pytest.approx(80)  # the hidden objective is left out
    # customer: csat 90 and unit two's score as the staff see it: U1 alone at 60 (the hidden unit, its
    # score KPI and the KPI reading unit two's hidden objective are left out)
    assert [k["id"] for k in staff["perspectives"][1]["objectives"][0]["kpis"]] == ["csat", "unit2-score"]
    assert staff["perspectives"][1]["score"] == pytest.approx((90 + 60) / 2)
    assert staff["score"] == pytest.approx((80 + 75) / 2)
    full_f1 = full["perspectives"][0]["objectives"][0]
    assert full_f1["score"] == pytest.approx((80 + 100) / 2)


def test_events_keep_only_the_scope_the_view_shows(views):
    staff = json.loads((views["staff"] / "scorecard.json").read_text())["events"]
    full = json.loads((views["leadership"] / "scorecard.json").read_text())["events"]
    assert [e["id"] for e in full] == ["open-event", "reserved", "hidden-kpi", "hidden-objective"]
    assert staff == [{"id": "open-event", "title": "Laptop refresh", "date": "2026-02-10", "scope": {"kpis": ["cost"]}}]


def test_links_to_hidden_items_are_dropped_and_the_home_page_says_so_once(views):
    staff, full = views["staff"], views["leadership"]
    c1 = json.loads((staff / "scorecard.json").read_text())["perspectives"][1]["objectives"][0]
    assert c1["supports"] == ["F1"]
    assert not (staff / "scorecards" / "unit").exists() and (full / "scorecards" / "unit" / "index.html").is_file()
    assert (staff / "scorecards" / "unit2" / "index.html").is_file()  # the child built with it, in the same view
    home = (staff / "index.html").read_text()
    assert home.count("computed without the items reserved for other audiences") == 1
    assert "reserved for other audiences" not in (full / "index.html").read_text()


def test_the_changes_page_counts_commits_in_a_restricted_view(views):
    staff = (views["staff"] / "changes" / "index.html").read_text()
    assert "1 commit touched content/ or data/" in staff
    assert C["commit subject"] in (views["leadership"] / "changes" / "index.html").read_text()


def test_the_build_cache_keeps_each_audience_apart(views, tmp_path):
    root = views["staff"].parent / "p"
    report = site.build(root, views["staff"], audience="staff")
    assert report.pages_rendered == 0 and report.charts_drawn == 0


def test_the_first_audience_is_the_default(views, tmp_path):
    root = views["staff"].parent / "p"
    report = site.build(root, tmp_path / "default", latest_only=True)
    assert json.loads((tmp_path / "default" / "scorecard.json").read_text())["audience"] == "staff"
    assert report.charts_drawn == 0  # the staff view's charts come from the chart cache


def test_an_unknown_audience_option_is_a_usage_error(views):
    root = views["staff"].parent / "p"
    for command in (["build", "-o", str(root.parent / "x")], ["check"], ["archive"]):
        result = CliRunner().invoke(main, [*command, "-s", str(root), "--audience", "boards"])
        assert result.exit_code == 2, result.output
        assert 'no audience "boards"' in result.output and "staff, leadership" in result.output


def test_unknown_audiences_in_visible_to_are_errors_at_their_lines(tmp_path):
    root = tmp_path / "p"
    _write(root, {
        "bscgen.yaml": "audiences:\n  - {id: staff}\n  - {id: board}\ngoals:\n  items:\n    - {id: G1, title: G, visible_to: [bord]}\n",
        "content/objectives/f1.md": "---\nid: F1\ntitle: T\nperspective: financial\nserves: [G1]\nvisible_to:\n  - staff\n  - leadrship\n---\n",
        "data/kpis.yaml": "kpis:\n  - {id: k, name: K, objective: F1, target: 1, visible_to: [everyone]}\n",
        "data/a.csv": "kpi,period,value\nk,2026-Q1,1\n",
    })
    result = CliRunner().invoke(main, ["check", "-s", str(root)])
    assert result.exit_code == 1
    assert 'bscgen.yaml:6: error: "visible_to" names the audience "bord", which is not under audiences: in bscgen.yaml (did you mean "board"?)' in result.output
    assert 'content/objectives/f1.md:8: error: "visible_to" names the audience "leadrship"' in result.output
    assert 'data/kpis.yaml:2: error: "visible_to" names the audience "everyone"' in result.output


def test_visible_to_without_audiences_is_an_error(tmp_path):
    root = tmp_path / "p"
    _write(root, {
        "bscgen.yaml": "title: T\n",
        "content/objectives/f1.md": "---\nid: F1\ntitle: T\nperspective: financial\nvisible_to: [board]\n---\n",
        "data/kpis.yaml": "kpis:\n  - {id: k, name: K, objective: F1, target: 1}\n",
        "data/a.csv": "kpi,period,value\nk,2026-Q1,1\n",
    })
    result = CliRunner().invoke(main, ["build", "-s", str(root)])
    assert result.exit_code == 1
    assert 'content/objectives/f1.md:5: error: "visible_to" names the audience "board", but bscgen.yaml has no audiences' in result.output
    assert not (root / "site").exists()


def test_archive_freezes_every_audience_and_a_build_needs_its_own(views, tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(views["staff"].parent / "p", root)
    result = CliRunner().invoke(main, ["archive", "-s", str(root), "2026-Q1"])
    assert result.exit_code == 0, result.output
    assert (root / "archive/2026-Q1/staff/index.html").is_file()
    assert (root / "archive/2026-Q1/leadership/index.html").is_file()
    # the child built with it is frozen with it, per audience; the child hidden from staff only for leadership
    assert (root / "unit2/archive/2026-Q1/staff/index.html").is_file()
    assert (root / "unit2/archive/2026-Q1/leadership/index.html").is_file()
    assert (root / "unit/archive/2026-Q1/leadership/index.html").is_file()
    assert not (root / "unit/archive/2026-Q1/staff").exists()
    report = site.build(root, tmp_path / "out", audience="staff")
    assert [str(q) for q in report.frozen] == ["2026-Q1"]
    assert (tmp_path / "out/2026-Q1/index.html").read_bytes() == (root / "archive/2026-Q1/staff/index.html").read_bytes()
    shutil.rmtree(root / "archive/2026-Q1/leadership")
    result = CliRunner().invoke(main, ["build", "-s", str(root), "--audience", "leadership", "-o", str(tmp_path / "o2")])
    assert result.exit_code == 1
    assert ('archive/2026-Q1: error: the frozen quarter 2026-Q1 has no copy for the audience "leadership"; '
            "make one with: bscgen archive 2026-Q1 --audience leadership") in result.output
    result = CliRunner().invoke(main, ["archive", "-s", str(root), "2026-Q1", "--audience", "leadership"])
    assert result.exit_code == 0, result.output
    assert (root / "archive/2026-Q1/leadership/index.html").is_file()
