"""Incremental builds: a cached build equals a clean one, and reuses what it can."""

import shutil

import pytest

from bscgen.buildstate import CACHE_DIR
from bscgen.keys import Digest
from bscgen.site import BuildReport
from tests.helpers import build, cli, copy_fixture, tree


@pytest.fixture
def project(tmp_path):
    return copy_fixture("small", tmp_path / "p")


def pages(report: BuildReport) -> int:
    return report.pages_rendered + report.pages_reused



def test_nothing_changed_nothing_rendered(project):
    first = build(project)
    assert first.pages_rendered == pages(first) and first.charts_drawn == (first.charts_drawn + first.charts_cached) > 0
    again = build(project)
    assert again.pages_rendered == 0 and again.pages_reused == pages(first) and again.charts_drawn == 0


def test_unchanged_files_are_not_rewritten(project):
    build(project)
    page = project / "site" / "kpis" / "cost" / "index.html"
    inode = page.stat().st_ino
    build(project)
    assert page.stat().st_ino == inode  # linked from the previous site, not written again


def test_editing_one_objective_rerenders_only_its_pages(project, tmp_path):
    build(project)
    f1 = project / "content" / "objectives" / "f1.md"
    f1.write_text(f1.read_text() + "\nOne more sentence.\n")
    counts = build(project)
    # F1's page in each quarter folder and at the root; its charts are unchanged
    assert counts.pages_rendered == 3 and counts.charts_drawn == 0
    assert "One more sentence." in (project / "site" / "2025-Q4" / "objectives" / "F1" / "index.html").read_text()
    clean = tmp_path / "clean"
    build(project, clean, use_cache=False)
    assert tree(project / "site") == tree(clean)


def test_commentary_added_edited_and_removed_equals_a_clean_build(project, tmp_path):
    build(project)
    summary = project / "content" / "commentary" / "2025-Q4" / "index.md"
    summary.parent.mkdir(parents=True)
    summary.write_text("A first executive summary.\n")
    # every page of 2025-Q4 now offers the quarter's commentary to the search box
    assert build(project).pages_rendered >= 2
    summary.write_text("An edited executive summary.\n")
    counts = build(project)
    assert counts.pages_rendered == 2  # 2025-Q4/: its home page and briefing book
    clean = tmp_path / "clean"
    build(project, clean, use_cache=False)
    assert tree(project / "site") == tree(clean)
    summary.unlink()
    build(project)
    shutil.rmtree(clean)
    build(project, clean, use_cache=False)
    assert tree(project / "site") == tree(clean)


def test_new_data_redraws_what_depends_on_it(project, tmp_path):
    build(project)
    with (project / "data" / "actuals.csv").open("a") as csv:
        csv.write("util,2026-03,89,\n")  # max of the quarter: 85 -> 89
    counts = build(project)
    assert 0 < counts.pages_rendered < pages(counts) and counts.charts_drawn > 0
    clean = tmp_path / "clean"
    build(project, clean, use_cache=False)
    assert tree(project / "site") == tree(clean)


def test_config_and_theme_changes_invalidate(project):
    build(project)
    config = project / "bscgen.yaml"
    config.write_text(config.read_text().replace("Small Scorecard", "Renamed Scorecard"))
    counts = build(project)
    assert counts.pages_rendered == pages(counts)
    assert "Renamed Scorecard" in (project / "site" / "index.html").read_text()
    templates = project / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "quarters.html").write_text('{% extends "base.html" %}{% block main %}<p>Custom quarters</p>{% endblock %}')
    counts = build(project)
    assert counts.pages_rendered == pages(counts)  # the theme is part of every page's key
    assert "Custom quarters" in (project / "site" / "quarters" / "index.html").read_text()


def test_a_hand_edited_output_file_is_replaced(project):
    build(project)
    page = project / "site" / "index.html"
    page.write_text("tampered")
    build(project)
    assert "tampered" not in page.read_text()


def test_no_cache_renders_everything_and_keeps_no_cache(project):
    counts = build(project, use_cache=False)
    assert counts.pages_reused == 0 and counts.charts_cached == 0
    assert not (project / CACHE_DIR).exists()


def test_an_unchanged_frozen_quarter_and_archive_round_trip(project):
    build(project)
    assert cli("archive", "-s", project, "2025-Q4").exit_code == 0
    counts = build(project)
    assert counts.pages_rendered < pages(counts)
    assert tree(project / "site" / "2025-Q4") == tree(project / "archive" / "2025-Q4")


def test_digest_is_by_content():
    digest = Digest()
    a = {"x": [1, 2.5, "three", None], "y": (True,)}
    b = {"x": [1, 2.5, "three", None], "y": (True,)}
    assert digest(a) == digest(b)
    assert digest({"x": [1, 2.5, "three!", None], "y": (True,)}) != digest(a)
    assert digest([1, 2]) != digest([2, 1])
    with pytest.raises(TypeError):
        digest(object())


def test_records_digested_by_value_are_digested_once_per_build_and_still_by_content():
    from bscgen.lineage import Lineage, SourceLink

    def made(text):
        return Lineage((SourceLink(text, None),), 0, "1 value", None)

    build_digest = Digest(by_value=(Lineage,))
    first = build_digest.batch()(made("data/a.csv:2"))
    second_copy = build_digest.batch()  # another copy's batch: made anew, equal, found by value
    assert second_copy(made("data/a.csv:2")) == first
    assert len(build_digest._by_value) == 1
    assert second_copy(made("data/a.csv:3")) != first
    assert Digest()(made("data/a.csv:2")) == first  # the same digest as without the memo
