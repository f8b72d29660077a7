"""Event-level rows (SPEC 5): a raw export with one row per incident feeds
sum, mean, min and max KPIs; only `last` refuses two values on one date."""

from __future__ import annotations

from datetime import date

import pytest

from bscgen.compute import quarter_values
from bscgen.scoring import summarise_notes
from bscgen.model import Actual
from bscgen.periods import Quarter
from bscgen.problems import Source
from tests.data_projects import latest, project
from tests.helpers import cli_build

# One row per P1/P2 incident: hours to restore, several on one day and in one month.
INCIDENTS = """\
kpi,period,value,note
mttr,2026-04-01,2.5,INC001 network
mttr,2026-04-01,4,INC002
mttr,2026-04-15,3.5,
mttr,2026-05,6,INC004 storage
mttr,2026-06-30,1,
incidents,2026-04-01,1,
incidents,2026-04-01,1,
incidents,2026-04-15,1,
incidents,2026-05-02,1,
incidents,2026-06-30,1,
cost,2026-Q2,4800,
"""


def test_raw_incident_rows_give_the_hand_computed_mean_and_sum(tmp_path):
    scores = latest(project(tmp_path, {"incidents.csv": INCIDENTS}))
    # mean of 2.5, 4, 3.5, 6, 1 = 17 / 5 = 3.4 hours; score 100 * (3.4 - 10) / (2 - 10) = 82.5
    assert scores["mttr"] == (pytest.approx(3.4), pytest.approx(82.5))
    # 5 incidents; score 100 * (5 - 20) / (4 - 20) = 93.75
    assert scores["incidents"] == (5, pytest.approx(93.75))


def test_rows_of_one_kpi_may_be_spread_over_files(tmp_path):
    lines = INCIDENTS.splitlines(keepends=True)
    scores = latest(project(tmp_path, {"april.csv": "".join(lines[:4]), "rest.csv": lines[0] + "".join(lines[4:])}))
    assert scores["mttr"][0] == pytest.approx(3.4) and scores["incidents"][0] == 5


def test_last_still_refuses_two_values_on_one_date(tmp_path):
    root = project(tmp_path, {"a.csv": "kpi,period,value\ncost,2026-04,4800\ncost,2026-04-30,4700\n"})
    result = cli_build(root)
    assert result.exit_code == 1
    assert ('data/a.csv:3: error: the KPI "cost" uses aggregate: last and has 2026-04 at data/a.csv:2, '
            "which falls on the same date (2026-04-30) as 2026-04-30") in result.output
    assert not (root / "site").exists()


def actual(note: str | None, day: int = 1) -> Actual:
    return Actual("mttr", f"2026-04-{day:02d}", Quarter(2026, 2), date(2026, 4, day), 1.0, Source("data/a.csv", day), note)


def test_notes_of_combined_rows_are_summarised():
    notes = [f"INC{n:03d}" for n in range(1000)]
    assert summarise_notes(notes) == "INC000; INC001; INC002; and 997 more notes"
    assert summarise_notes(["a", None, "a", "b"]) == "a; b"
    assert summarise_notes(["a", "b", "c", "d"]) == "a; b; c; and 1 more note"
    assert summarise_notes([None, ""]) is None
    values = quarter_values([actual(f"INC{n}", 1 + n % 28) for n in range(500)], "mean")
    # in date order, and by text on one date: INC0, INC112, INC140, ... fall on April 1
    assert values[Quarter(2026, 2)].note == "INC0; INC112; INC140; and 497 more notes"
    # under last, the latest row's note is the quarter's
    assert quarter_values([actual("old", 1), actual("new", 9)], "last")[Quarter(2026, 2)].note == "new"


def test_a_mean_weighs_combined_rows_by_their_count():
    partial = Actual("mttr", "2026-04-30", Quarter(2026, 2), date(2026, 4, 30), 2.0, Source("data/big.csv", 2), count=3)
    single = Actual("mttr", "2026-05-01", Quarter(2026, 2), date(2026, 5, 1), 6.0, Source("data/a.csv", 2))
    # (2 + 2 + 2 + 6) / 4
    assert quarter_values([partial, single], "mean")[Quarter(2026, 2)].value == 3.0
