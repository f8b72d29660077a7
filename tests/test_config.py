"""config.py: bscgen.yaml, every key with a default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bscgen.config import load_config
from bscgen.model import DEFAULT_PERSPECTIVES
from bscgen.problems import Problems


def config(tmp_path: Path, text: str):
    (tmp_path / "bscgen.yaml").write_text(text, encoding="utf-8")
    problems = Problems()
    return load_config(tmp_path, problems), [str(p) for p in problems.sorted()]


def test_defaults_stand_in_for_missing_keys(tmp_path: Path):
    loaded, problems = config(tmp_path, "title: Ours\n")
    assert (loaded.title, loaded.theme, loaded.cap, loaded.perspectives) == ("Ours", "default", 100, DEFAULT_PERSPECTIVES)
    assert loaded.complete and problems == []


def test_settings_are_read(tmp_path: Path):
    loaded, problems = config(tmp_path, (
        "calendar: {fiscal_year_start: 4, fiscal_year_named_by: start}\n"
        "scoring: {cap: 120, bands: {green: 95, amber: 70}}\n"
        "perspectives:\n  - {id: money, title: Money, weight: 2}\n"
    ))
    assert problems == []
    assert (loaded.calendar.start_month, loaded.calendar.named_by) == (4, "start")
    assert (loaded.cap, loaded.bands.green, loaded.bands.amber) == (120, 95, 70)
    assert [(p.id, p.title, p.weight, str(p.source)) for p in loaded.perspectives] == [("money", "Money", 2, "bscgen.yaml:4")]


def test_unknown_key_suggests_the_closest(tmp_path: Path):
    _, problems = config(tmp_path, "title: x\norganisation: y\n")
    assert problems == ['bscgen.yaml:2: error: unknown key "organisation" in bscgen.yaml (did you mean "organization"?); put fields of your own under extra:']


@pytest.mark.parametrize("text, line, words", [
    ("# settings\n- title: x\n- theme: default\n", 2, "not a list"),
    ("\nIT Balanced Scorecard\n", 2, 'not "IT Balanced Scorecard"'),
])
def test_settings_of_the_wrong_shape_are_one_error_at_their_line(tmp_path: Path, text: str, line: int, words: str):
    loaded, problems = config(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith(f"bscgen.yaml:{line}: error: bscgen.yaml must hold settings")
    assert words in problems[0]
    assert not loaded.complete  # so no check against the default perspectives follows


@pytest.mark.parametrize("perspectives", ["perspectives: financial\n", "perspectives:\n  - {title: No id}\n"])
def test_unreadable_perspectives_make_the_config_incomplete(tmp_path: Path, perspectives: str):
    loaded, problems = config(tmp_path, perspectives)
    assert len(problems) == 1 and not loaded.complete


def test_bad_values_are_all_reported_at_their_lines(tmp_path: Path):
    _, problems = config(tmp_path, "theme: nope\ncalendar: {fiscal_year_start: 13}\nscoring: {bands: {green: 50, amber: 60}}\n")
    assert [p.split(": error")[0] for p in problems] == ["bscgen.yaml:1", "bscgen.yaml:2", "bscgen.yaml:3"]
