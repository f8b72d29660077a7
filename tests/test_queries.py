"""SQL files under data/ (SPEC 15): queries in DuckDB over the project's files,
and on databases from bscgen.yaml through SQLAlchemy (SQLite, and PostgreSQL
started for the session); every failure is a `path:line` error, nothing written."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from glob import glob
from pathlib import Path

import pytest

from tests.data_projects import latest, project
from tests.helpers import cli_build

duckdb = pytest.importorskip("duckdb")
sqlalchemy = pytest.importorskip("sqlalchemy")

# A ServiceNow-style incident export: one row per incident.
INCIDENTS = """\
number,priority,opened_at,resolved_at
INC001,1 - Critical,2026-04-02 08:00:00,2026-04-02 10:30:00
INC002,2 - High,2026-04-10 09:00:00,2026-04-10 13:00:00
INC003,3 - Moderate,2026-04-11 09:00:00,2026-04-14 09:00:00
INC004,2 - High,2026-05-03 22:00:00,2026-05-04 01:30:00
INC005,1 - Critical,2026-06-20 12:00:00,2026-06-20 13:00:00
"""
# P1/P2 only, hours to restore: April (2.5 + 4) / 2 = 3.25, May 3.5, June 1; the quarter's mean
# of the monthly means (mttr is aggregate: mean) = (3.25 + 3.5 + 1) / 3
QUARTER_MTTR = (3.25 + 3.5 + 1) / 3
COST = "kpi,period,value\ncost,2026-06,4800\n"
DUCKDB_MTTR = """\
-- mean time to restore P1/P2 incidents, per month
SELECT 'mttr' AS kpi, strftime(opened_at, '%Y-%m') AS period,
       avg(date_diff('minute', opened_at, resolved_at) / 60) AS value
FROM read_csv('exports/incidents.csv')
WHERE priority IN ('1 - Critical', '2 - High')
GROUP BY ALL
"""


def with_export(root: Path) -> Path:
    (root / "exports").mkdir()
    (root / "exports" / "incidents.csv").write_text(INCIDENTS)
    return root


def build(root: Path) -> tuple[int, str]:
    result = cli_build(root)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_duckdb_query_over_a_csv_export(tmp_path):
    root = with_export(project(tmp_path, {"cost.csv": COST, "mttr.sql": DUCKDB_MTTR}))
    assert latest(root)["mttr"][0] == pytest.approx(QUARTER_MTTR)


def test_duckdb_query_over_a_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    root = project(tmp_path, {"cost.csv": COST, "mttr.sql": (
        "SELECT 'incidents' AS kpi, period, count(*) AS value\n"
        'FROM "exports/itsm.xlsx" WHERE priority <= 2 GROUP BY ALL\n')})
    book = openpyxl.Workbook()
    for row in [["number", "priority", "period"], ["INC1", 1, "2026-04"], ["INC2", 2, "2026-04"], ["INC3", 3, "2026-05"],
                ["INC4", 2, "2026-06"]]:
        book.active.append(row)
    (root / "exports").mkdir()
    book.save(root / "exports" / "itsm.xlsx")
    assert latest(root)["incidents"][0] == 3


def test_sqlite_through_databases_and_results_are_in_the_cache_key(tmp_path, monkeypatch):
    database = tmp_path / "itsm.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE monthly (month TEXT, hours REAL)")
        connection.executemany("INSERT INTO monthly VALUES (?, ?)", [("2026-04", 3.25), ("2026-05", 3.5), ("2026-06", 1)])
    root = project(tmp_path / "p", {"cost.csv": COST, "mttr.sql": "-- database: itsm\nSELECT 'mttr' AS kpi, month AS period, hours AS value FROM monthly\n"},
                   f'databases:\n  itsm: {{url: "sqlite:///{database}"}}\n')
    assert build(root)[0] == 0
    mttr = '"id": "mttr"'
    assert mttr in (root / "site" / "scorecard.json").read_text()
    before = (root / "site" / "kpis" / "mttr" / "index.html").read_text()
    with sqlite3.connect(database) as connection:  # the warehouse changes; no file of the project does
        connection.execute("UPDATE monthly SET hours = 9 WHERE month = '2026-06'")
    assert build(root)[0] == 0
    assert (root / "site" / "kpis" / "mttr" / "index.html").read_text() != before
    assert latest(root)["mttr"][0] == pytest.approx((3.25 + 3.5 + 9) / 3)



def test_a_relative_sqlite_path_is_read_from_the_project_not_the_working_folder(tmp_path, monkeypatch):
    """sqlite:///local.db is the project's local.db, as DuckDB's paths are the project's:
    built from another folder, the query reads it and creates no file where bscgen runs
    (it once left an empty nowhere.db in the repository)."""
    sql = "-- database: local\nSELECT 'mttr' AS kpi, month AS period, hours AS value FROM monthly\n"
    root = project(tmp_path / "p", {"cost.csv": COST, "mttr.sql": sql}, 'databases:\n  local: {url: "sqlite:///local.db"}\n')
    connection = sqlite3.connect(root / "local.db")
    with connection:
        connection.execute("CREATE TABLE monthly (month TEXT, hours REAL)")
        connection.executemany("INSERT INTO monthly VALUES (?, ?)", [("2026-04", 3.25), ("2026-05", 3.5), ("2026-06", 1)])
    connection.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert latest(root)["mttr"][0] == pytest.approx(QUARTER_MTTR)
    code, output = build(root)
    assert code == 0, output
    assert '"id": "mttr"' in (root / "site" / "scorecard.json").read_text()
    monkeypatch.chdir(tmp_path)  # -s as a relative path: still the project's local.db
    code, output = build(Path("p"))
    assert code == 0, output
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "p"]


# --- errors ----------------------------------------------------------------------------

SQLITE = 'databases:\n  itsm: {url: "sqlite://"}\n'  # in memory
PG = 'databases:\n  warehouse: {url: "postgresql+psycopg://bi@127.0.0.1:1/itsm", password_env: BSCGEN_TEST_PASSWORD}\n'
ERRORS = {
    "bad column": ("SELECT 'mttr' AS kpi,\n  month AS period, 1 AS value\nFROM range(3)\n", "",
                   'data/q.sql:2: error: the query failed: Referenced column "month" not found'),
    "syntax": ("-- hello\nSELEC 1\n", "", 'data/q.sql:2: error: the query failed: syntax error at or near "SELEC"'),
    "no kpi, period, value": ("SELECT 1 AS a\n", "", "data/q.sql:1: error: the query result (from DuckDB) header has no kpi, period, value column"),
    "not a query": ("-- only a comment\n", "", "data/q.sql:1: error: the file holds no query"),
    "no result": ("-- database: itsm\nCREATE TABLE t (a INT)\n", SQLITE, "data/q.sql:1: error: the query returns no result"),
    "workbook in single quotes": ("SELECT * FROM 'exports/x.xlsx'\n", "", "bscgen does not download DuckDB's excel extension"),
    "unknown database": ("-- database: itsn\nSELECT 1\n", SQLITE, 'data/q.sql:1: error: the query names the database "itsn", which is not under databases: in bscgen.yaml (did you mean "itsm"?)'),
    "missing password": ("-- database: warehouse\nSELECT 1\n", PG, 'data/q.sql:1: error: the database "warehouse" takes its password from the environment variable BSCGEN_TEST_PASSWORD, which is not set'),
    "sqlite error": ("-- database: itsm\nSELECT kpi FROM incidents\n", SQLITE, "data/q.sql:1: error: the query failed: no such table: incidents"),
    "password in url": ("SELECT 1\n", 'databases:\n  w: {url: "postgresql://bi:secret@db/itsm"}\n', 'bscgen.yaml:6: error: the url of the database "w" holds a password'),
    "database without a url": ("SELECT 1\n", "databases:\n  w: {password_env: X}\n", 'bscgen.yaml:6: error: the database "w" is missing the required key "url"'),
    "unreadable url": ("-- database: w\nSELECT 1\n", "databases:\n  w: {url: not a url}\n", 'data/q.sql:1: error: the url of the database "w" in bscgen.yaml cannot be read'),
    "unreadable workbook": ('SELECT * FROM "exports/bad.xlsx"\n', "", 'data/q.sql:1: error: the workbook "exports/bad.xlsx" cannot be read'),
    "database not a mapping": ("SELECT 1\n", "databases:\n  w: postgresql://db\n", 'bscgen.yaml:6: error: the database "w" must be a mapping'),
}


@pytest.mark.parametrize("name", ERRORS)
def test_query_errors(tmp_path, monkeypatch, name):
    monkeypatch.delenv("BSCGEN_TEST_PASSWORD", raising=False)
    sql, config, expected = ERRORS[name]
    root = project(tmp_path, {"cost.csv": COST, "q.sql": sql}, config)
    (root / "exports").mkdir()
    (root / "exports" / "bad.xlsx").write_bytes(b"not a workbook")
    code, output = build(root)
    assert code == 1 and expected in output, output
    assert not (root / "site").exists()


def test_a_missing_driver_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("BSCGEN_TEST_PASSWORD", "x")
    monkeypatch.setitem(sys.modules, "psycopg", None)
    root = project(tmp_path, {"cost.csv": COST, "q.sql": "-- database: warehouse\nSELECT 1\n"}, PG)
    code, output = build(root)
    assert code == 1 and not (root / "site").exists()
    assert 'data/q.sql:1: error: the database "warehouse" (postgresql+psycopg) needs its Python driver' in output
    assert "install psycopg2-binary" in output


def test_a_database_that_cannot_be_reached(tmp_path, monkeypatch):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("BSCGEN_TEST_PASSWORD", "x")
    root = project(tmp_path, {"cost.csv": COST, "q.sql": "-- database: warehouse\nSELECT 1\n"}, PG)
    code, output = build(root)
    assert code == 1 and "data/q.sql:1: error: the query failed: connection" in output, output


def test_without_sqlalchemy_the_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    root = project(tmp_path, {"cost.csv": COST, "q.sql": "-- database: itsm\nSELECT 1\n"}, SQLITE)
    code, output = build(root)
    assert code == 1
    assert 'data/q.sql:1: error: running queries on the database "itsm" needs the sql extra: pip install "bscgen[sql]"' in output


def test_without_duckdb_the_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)
    root = project(tmp_path, {"cost.csv": COST, "q.sql": "SELECT 1\n"})
    code, output = build(root)
    assert code == 1 and 'data/q.sql:1: error: running SQL files and reading Parquet files needs DuckDB: pip install "bscgen[sql]"' in output


# --- PostgreSQL: a throwaway cluster for the session ------------------------------------------


def _unavailable(reason: str):
    """Skip without PostgreSQL, except under CI, where it must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1; yields its URL."""
    binaries = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        _unavailable("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401 - the driver the test extra installs
    except ImportError:
        _unavailable('the PostgreSQL driver is not installed (pip install -e ".[test]")')
    bin_dir = Path(binaries[-1]).parent
    # PostgreSQL refuses to run as root: run it as the postgres user, in a folder it owns
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="bscgen-pg-"))
    try:
        if as_user:
            shutil.chown(folder, "postgres", "postgres")
    except LookupError:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable("there is no postgres user to run PostgreSQL as (root may not)")
    port = _free_port()
    start = [str(bin_dir / "pg_ctl"), "-D", f"{folder}/data", "-l", f"{folder}/log", "-w", "-o",
             f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]
    try:
        subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", f"{folder}/data", "-U", "bscgen", "--auth=trust", "-N"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*as_user, *start], check=True, capture_output=True, timeout=60)
    except (subprocess.SubprocessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"PostgreSQL could not start: {error} {detail.decode(errors='replace')[-300:]}")
    try:
        yield f"postgresql+psycopg://bscgen@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", f"{folder}/data", "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_through_databases(tmp_path, postgres, monkeypatch):
    import psycopg

    with psycopg.connect(postgres.replace("postgresql+psycopg", "postgresql")) as connection:
        connection.execute("DROP TABLE IF EXISTS incident")
        connection.execute("CREATE TABLE incident (number text, priority int, opened_at timestamp, resolved_at timestamp)")
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO incident VALUES (%s, %s, %s, %s)", [
                (number, int(priority[0]), opened, resolved)
                for number, priority, opened, resolved in (line.split(",") for line in INCIDENTS.splitlines()[1:])
            ])
    monkeypatch.setenv("ITSM_PASSWORD", "not needed with trust")
    sql = """\
-- database: itsm
SELECT 'mttr' AS kpi, to_char(opened_at, 'YYYY-MM') AS period,
       avg(extract(epoch FROM resolved_at - opened_at) / 3600) AS value
FROM incident
WHERE priority <= 2
GROUP BY 2
"""
    config = f'databases:\n  itsm: {{url: "{postgres}", password_env: ITSM_PASSWORD}}\n'
    root = project(tmp_path, {"cost.csv": COST, "mttr.sql": sql}, config)
    scores = latest(root)
    # 3.22 h against baseline 10 and target 2
    assert scores["mttr"] == (pytest.approx(QUARTER_MTTR), pytest.approx(100 * (QUARTER_MTTR - 10) / (2 - 10)))

    (root / "data" / "mttr.sql").write_text(sql.replace("avg(extract", "avg(extrakt"))
    code, output = build(root)
    assert code == 1 and "data/mttr.sql:3: error: the query failed: " in output and not (root / "site").exists()
