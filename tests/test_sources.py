"""CSV dialects, TSV and Parquet (SPEC 15): the same values give the same scores
whatever the file's separator, decimal mark, BOM or line ends."""

from __future__ import annotations

import pytest

from tests.data_projects import latest, project
from tests.helpers import cli_build

ROWS = [("mttr", "2026-04-01", "2.5"), ("mttr", "2026-04-01", "4"), ("mttr", "2026-05-20", "3.5"),
        ("incidents", "2026-04-01", "3"), ("cost", "2026-06", "4812.5")]
EXPECTED = {"mttr": 10 / 3, "incidents": 3, "cost": 4812.5}


def long_csv(separator: str, decimal: str = ".", line_end: str = "\n") -> str:
    lines = [separator.join(("kpi", "period", "value"))]
    lines += [separator.join((k, p, v.replace(".", decimal))) for k, p, v in ROWS]
    return line_end.join(lines) + line_end


DECIMAL_COMMA = 'csv: {decimal: ","}\n'
CASES = {
    "comma": ({"a.csv": long_csv(",")}, ""),
    "semicolon, decimal comma": ({"a.csv": long_csv(";", ",")}, DECIMAL_COMMA),
    "semicolon, decimal comma, by file pattern": (
        {"eu/a.csv": long_csv(";", ",")}, 'csv: {files: {"data/eu/*.csv": {decimal: ","}}}\n'),
    "tab": ({"a.csv": long_csv("\t")}, ""),
    ".tsv": ({"a.tsv": long_csv("\t")}, ""),
    "BOM and CRLF": ({"a.csv": b"\xef\xbb\xbf" + long_csv(";", ",", "\r\n").encode()}, DECIMAL_COMMA),
    "quoted decimal commas in a comma file": (
        {"a.csv": long_csv(",", ",").replace(",2,5", ',"2,5"').replace(",3,5", ',"3,5"').replace(",4812,5", ',"4812,5"')},
        DECIMAL_COMMA),
}


@pytest.mark.parametrize("name", CASES)
def test_every_dialect_gives_the_same_scores(tmp_path, name):
    files, config = CASES[name]
    scores = latest(project(tmp_path, files, config))
    assert {kpi: actual for kpi, (actual, _) in scores.items()} == pytest.approx(EXPECTED)


def check(root) -> tuple[int, str]:
    result = cli_build(root)
    assert "Traceback" not in result.output and not (root / "site").exists()
    return result.exit_code, result.output


def test_a_decimal_comma_without_the_setting_names_it(tmp_path):
    code, output = check(project(tmp_path, {"eu.csv": long_csv(";", ",")}))
    assert code == 1
    assert ('data/eu.csv:2: error: in the column "value", "2,5" uses a decimal comma; write it with a decimal point '
            '(2.5), or, if the file is written with decimal commas, set csv: {decimal: ","} in bscgen.yaml') in output


def test_a_point_in_a_file_read_with_decimal_commas_is_an_error(tmp_path):
    code, output = check(project(tmp_path, {"a.csv": long_csv(";")}, DECIMAL_COMMA))
    assert code == 1
    assert 'data/a.csv:2: error: in the column "value", "2.5" has a point, but this file is read with decimal commas' in output


def test_a_row_with_the_wrong_cell_count_names_the_separator(tmp_path):
    code, output = check(project(tmp_path, {"a.csv": "kpi;period;value\nmttr;2026-04;1;2\n"}))
    assert code == 1 and "data/a.csv:2: error: this row has 4 cells but the header has 3; check the semicolons" in output


@pytest.mark.parametrize(("setting", "words"), [
    ('csv: {decimal: ";"}\n', ('bscgen.yaml:', '"decimal" must be one of')),
    ("csv: {files: {data/x.csv: 3}}\n", ("bscgen.yaml:", 'each entry of "files" must be a file pattern and its settings')),
])
def test_csv_settings_are_checked(tmp_path, setting, words):
    code, output = check(project(tmp_path, {"a.csv": long_csv(",")}, setting))
    assert code == 1 and all(word in output for word in words), output


# --- Parquet ---------------------------------------------------------------------

duckdb = pytest.importorskip("duckdb")


def parquet(path, select: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")


def test_parquet_in_the_long_and_the_wide_layout(tmp_path):
    root = project(tmp_path, {})
    rows = ", ".join(f"('{k}', '{p}', {v})" for k, p, v in ROWS if k != "cost")
    parquet(root / "data" / "long.parquet", f"SELECT * FROM (VALUES {rows}) AS t(kpi, period, value)")
    parquet(root / "data" / "wide.parquet", "SELECT DATE '2026-06-30' AS period, 4812.5 AS cost")
    scores = latest(root)
    assert {kpi: actual for kpi, (actual, _) in scores.items()} == pytest.approx(EXPECTED)


def test_parquet_errors_name_the_file_and_row(tmp_path):
    root = project(tmp_path, {})
    parquet(root / "data" / "long.parquet", "SELECT * FROM (VALUES ('mttr', '2026-04', 'n/a'), ('nope', '2026-04', '1')) AS t(kpi, period, value)")
    (root / "data" / "broken.parquet").write_bytes(b"PAR1 not really")
    code, output = check(root)
    assert code == 1
    assert 'data/long.parquet:row 1: error: in the column "value", "n/a" is not a number' in output
    assert 'data/long.parquet:row 2: error: unknown KPI id "nope"' in output
    assert "data/broken.parquet: error: this is not a readable Parquet file" in output
