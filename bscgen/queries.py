"""SQL files under data/ (SPEC 15): each is a query whose result holds actuals
in the long or the wide layout.

A query runs in an embedded DuckDB that reads the project's files by their
paths from the project root (CSV, Parquet, and the workbooks under data/ as
tables named by their path); or, when its first line is `-- database: NAME`,
on that database from bscgen.yaml through SQLAlchemy, with the password from
the environment. Failures are problems at the .sql file, at the engine's line
when it gives one. Parquet files are read through DuckDB as well.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from bscgen.files import read_text
from bscgen.model import Database
from bscgen.problems import Problems, Source
from bscgen.tables import Table, read_xlsx_table, result_table

DATABASE_LINE = re.compile(r"--\s*database:\s*(\S*)\s*$", re.IGNORECASE)
ENGINE_LINE = re.compile(r"^LINE (\d+):", re.MULTILINE)
WORKBOOK = re.compile(r'"([^"]+\.xlsx)"', re.IGNORECASE)
# The drivers SQLAlchemy needs for the common warehouses, to name in a message.
DRIVERS = {
    "postgresql": 'psycopg2-binary (or "psycopg[binary]" with postgresql+psycopg://)',
    "mssql": "pyodbc and Microsoft's ODBC driver", "snowflake": "snowflake-sqlalchemy",
    "mysql": "pymysql (with mysql+pymysql://)", "oracle": "oracledb (with oracle+oracledb://)",
}


class QueryError(Exception):
    """A query that could not run: the engine's words, and the line it names (if any)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


def run_query_file(path: Path, root: Path, source: Source, databases: dict[str, Database],
                   sheets: dict[str | None, str], problems: Problems) -> Table | None:
    """The result of one .sql file as a table, or None after reporting why not."""
    text = read_text(path, source, problems)
    if text is None:
        return None
    first = text.lstrip("\ufeff").partition("\n")[0].strip()
    named = DATABASE_LINE.match(first)
    start = _statement_line(text)
    if start is None:
        problems.error(source.at(1), "the file holds no query; write a SELECT whose result has the columns kpi, period, value (or period and one column per KPI)")
        return None
    try:
        if named is None:
            engine, (columns, rows) = "DuckDB", _duckdb(text, root, sheets, problems)
        else:
            database = _database(named.group(1), databases)
            engine, (columns, rows) = f'the database "{database.name}"', _on_database(text, database, root)
    except QueryError as error:
        problems.error(source.at(error.line or (1 if named else start)), error.message)
        return None
    return result_table(source.at(start), columns, rows, lambda number: Source(source.path, None, f"result row {number}"),
                        f"query result (from {engine})")


def _statement_line(text: str) -> int | None:
    """The line the query starts on: the first that is neither blank nor a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.strip().startswith("--"):
            return number
    return None


def _engine_message(error: Exception) -> QueryError:
    """An engine's error in plain words: its first lines without the echoed query,
    at the line it names."""
    text = str(getattr(error, "orig", None) or error)
    line = ENGINE_LINE.search(text)
    words = text[: line.start()] if line else text
    words = " ".join(part.strip() for part in words.splitlines() if part.strip())
    words = re.sub(r"^(\w+ )?(Error|Exception):\s*", "", words)  # the engine's class name, e.g. "Binder Error:"
    return QueryError(f"the query failed: {words}", int(line.group(1)) if line else None)


# --- DuckDB ----------------------------------------------------------------------


def duckdb_connection(root: Path):
    """An in-memory DuckDB that reads files relative to the project root and never
    downloads an extension (bscgen fetches nothing from the network)."""
    try:
        import duckdb
    except ImportError:
        raise QueryError('running SQL files and reading Parquet files needs DuckDB: pip install "bscgen[sql]"') from None
    connection = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False})
    connection.execute("SET file_search_path = ?", [str(root)])
    return connection


def _duckdb(text: str, root: Path, sheets: dict[str | None, str], problems: Problems) -> tuple[list[str], list[tuple]]:
    connection = duckdb_connection(root)
    try:
        _register_workbooks(connection, text, root, sheets, problems)
        try:
            cursor = connection.execute(text)
            if cursor.description is None:
                raise QueryError("the query returns no result; end the file with a SELECT")
            return [column[0] for column in cursor.description], cursor.fetchall()
        except QueryError:
            raise
        except Exception as error:  # noqa: BLE001 - DuckDB raises one class per kind of failure
            message = _engine_message(error)
            if "excel" in str(error).lower():
                message.message += ('; bscgen does not download DuckDB\'s excel extension: read a workbook under data/ '
                                    'as a table named by its path in double quotes, FROM "data/finance.xlsx"')
            raise message from None
    finally:
        connection.close()


def _register_workbooks(connection, text: str, root: Path, sheets: dict[str | None, str], problems: Problems) -> None:
    """Each workbook the query names in double quotes ("data/finance.xlsx") becomes a
    table of that name, read as bscgen reads workbooks (numbers as DOUBLE, the rest as text)."""
    for name in dict.fromkeys(WORKBOOK.findall(text)):
        path = root / name
        if not path.is_file():
            continue  # DuckDB reports the unknown table
        table = read_xlsx_table(path, Source(name), sheets.get(name, sheets.get(None)), problems)
        if table is None:
            raise QueryError(f'the workbook "{name}" cannot be read (see its own error)')
        columns = list(zip(*[row.cells for row in table.rows])) or [() for _ in table.header.cells]
        types = ["DOUBLE" if cells and all(_is_number(c) for c in cells if c) else "VARCHAR" for cells in columns]
        definition = ", ".join(f'"{head.replace(chr(34), "")}" {kind}' for head, kind in zip(table.header.cells, types))
        connection.execute(f'CREATE TABLE "{name}" ({definition})')
        values = [[(float(c) if kind == "DOUBLE" else c) if c else None for c, kind in zip(row.cells, types)] for row in table.rows]
        if values:
            connection.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(types))})', values)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_parquet(path: Path, root: Path) -> tuple[list[str], list[tuple]]:
    """The columns and rows of a Parquet file."""
    connection = duckdb_connection(root)
    try:
        cursor = connection.execute("SELECT * FROM read_parquet(?)", [str(path)])
        return [column[0] for column in cursor.description], cursor.fetchall()
    except Exception as error:  # noqa: BLE001 - DuckDB raises one class per kind of failure
        raise QueryError(f"this is not a readable Parquet file: {_engine_message(error).message.removeprefix('the query failed: ')}") from None
    finally:
        connection.close()


# --- databases through SQLAlchemy ---------------------------------------------------


def _database(name: str, databases: dict[str, Database]) -> Database:
    if name in databases:
        return databases[name]
    from bscgen.problems import did_you_mean

    known = f"; bscgen.yaml has: {', '.join(sorted(databases))}" if databases else ""
    raise QueryError(
        f'the query names the database "{name}", which is not under databases: in bscgen.yaml'
        f"{did_you_mean(name, databases)}{known}", 1,
    )


def _sqlite_in_project(url, root: Path):
    """A SQLite file named by a relative path (sqlite:///itsm.db) is the project's, as
    the files DuckDB reads are: resolved against the project root, never against the
    folder bscgen runs in. Absolute paths, in-memory databases (sqlite://, :memory:)
    and SQLite URI filenames (?uri=true) are left as written."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return url
    if str(url.query.get("uri", "")).lower() in ("true", "1") or Path(url.database).is_absolute():
        return url
    return url.set(database=os.path.abspath(root / url.database))


def _on_database(text: str, database: Database, root: Path) -> tuple[list[str], list[tuple]]:
    try:
        import sqlalchemy
    except ImportError:
        raise QueryError(f'running queries on the database "{database.name}" needs the sql extra: pip install "bscgen[sql]"', 1) from None
    try:
        url = sqlalchemy.engine.make_url(database.url)
    except sqlalchemy.exc.ArgumentError as error:
        raise QueryError(f'the url of the database "{database.name}" in bscgen.yaml cannot be read ({error}); '
                         "write it like postgresql+psycopg://user@host/database", 1) from None
    url = _sqlite_in_project(url, root)
    if database.password_env:
        password = os.environ.get(database.password_env)
        if password is None:
            raise QueryError(
                f'the database "{database.name}" takes its password from the environment variable '
                f"{database.password_env}, which is not set; set it where bscgen runs (never in a file)", 1,
            )
        url = url.set(password=password)
    try:
        engine = sqlalchemy.create_engine(url)
    except (ImportError, sqlalchemy.exc.NoSuchModuleError) as error:
        driver = DRIVERS.get(url.get_backend_name(), f"the driver for {url.drivername}")
        raise QueryError(f'the database "{database.name}" ({url.drivername}) needs its Python driver, which is not installed ({error}); install {driver}', 1) from None
    try:
        with engine.connect() as connection:
            # no parameters: the text goes to the driver as written (a % stays a percent sign)
            result = connection.execution_options(no_parameters=True).exec_driver_sql(text)
            if not result.returns_rows:
                raise QueryError("the query returns no result; end the file with a SELECT")
            return list(result.keys()), [tuple(row) for row in result]
    except sqlalchemy.exc.DBAPIError as error:
        raise _engine_message(error) from None
    except sqlalchemy.exc.SQLAlchemyError as error:
        raise QueryError(f'the query failed on the database "{database.name}": {error}', 1) from None
    finally:
        engine.dispose()
