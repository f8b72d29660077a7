"""The command line: `bscgen new`, `build`, `check`, `serve`, `archive`, `status`, `schema`."""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path

import click

from bscgen import __version__
from bscgen.config import CONFIG_FILE
from bscgen.language import LANGUAGES, language_error, locale_error
from bscgen.datastatus import CURRENT, LATE, STALE, as_of_date, data_status, summary_line
from bscgen.periods import PeriodError, Quarter
from bscgen.problems import ContentError, summarised
from bscgen.publish import DEFAULT_OUTPUT, OutputError
from bscgen.freeze import ArchiveExistsError, archive
from bscgen.plan import PeriodChoiceError
from bscgen.site import build, check
from bscgen.tree import AudienceError, load_scorecard


def _report(problems) -> None:
    for problem in summarised(problems):
        click.echo(str(problem), err=True)


def _friendly_errors(command):
    """Turn every failure into plain words and an exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ContentError as error:
            _report(error.problems)
            errors = sum(p.severity == "error" for p in error.problems)
            warnings = len(error.problems) - errors
            click.echo(f"bscgen: {errors} error(s), {warnings} warning(s); nothing was written", err=True)
            sys.exit(1)
        except (OutputError, PeriodChoiceError, AudienceError) as error:
            raise click.UsageError(str(error)) from None
        except ArchiveExistsError as error:
            click.echo(f"bscgen: error: {error}", err=True)
            sys.exit(1)
        except OSError as error:
            click.echo(f"bscgen: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # a bug in bscgen, not in the content
            if os.environ.get("BSCGEN_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"bscgen: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in bscgen; please report it (set BSCGEN_DEBUG=1 to see the details).",
                err=True,
            )
            sys.exit(1)

    return wrapper


def _project(source: str) -> Path:
    root = Path(source)
    if not (root / CONFIG_FILE).is_file():
        raise click.UsageError(f"{root} has no {CONFIG_FILE}; run bscgen in a scorecard project or pass -s DIR")
    return root


def _quarter(ctx, param, value: str | None) -> Quarter | None:
    if value is None:
        return None
    try:
        return Quarter.parse(value)
    except PeriodError as error:
        raise click.BadParameter(str(error)) from None


def _language(ctx, param, value: str | None) -> str | None:
    if value is not None and (problem := language_error(value)) is not None:
        raise click.BadParameter(problem)
    return value


def _locale(ctx, param, value: str | None) -> str | None:
    if value is not None and (problem := locale_error(value)) is not None:
        raise click.BadParameter(problem)
    return value


def language_options(command):
    """--language and --locale, over bscgen.yaml's language: and locale: (SPEC 18)."""
    command = click.option("--locale", callback=_locale, metavar="LOCALE",
                           help="Format numbers, dates and money for this CLDR locale, e.g. de-CH.  "
                                "[default: bscgen.yaml's locale, else the language's own]")(command)
    return click.option("--language", callback=_language, metavar="CODE",
                        help=f"Write the site in this language: {', '.join(LANGUAGES)}.  "
                             "[default: bscgen.yaml's language, else en]")(command)


source_option = click.option(
    "-s", "--source", default=".", show_default=True, type=click.Path(file_okay=False),
    help="The scorecard project folder (the one holding bscgen.yaml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bscgen")
def main() -> None:
    """Publish an IT Balanced Scorecard as a static website."""


def _progress_printer(enabled: bool):
    """A one-line progress display on a terminal; nothing in logs or with --quiet."""
    if not enabled:
        return None
    state = {"stage": None}

    def show(stage: str, done: int, total: int) -> None:
        if state["stage"] not in (None, stage):
            click.echo(err=True)
        state["stage"] = stage
        width = 30
        filled = width * done // max(total, 1)
        click.echo(f"\r{stage:>6} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", nl=False, err=True)
        if done == total:
            click.echo(err=True)
            state["stage"] = None

    return show


audience_option = click.option(
    "--audience", default=None, metavar="ID",
    help="Build the view of this audience of bscgen.yaml.  [default: the first audience]")


@main.command("build")
@source_option
@click.option("-o", "--output", default=None, type=click.Path(), help="Where to write the site.  [default: SOURCE/site]")
@click.option("--period", callback=_quarter, metavar="QUARTER", help="Build as of this quarter, e.g. 2026-Q2 (later data is ignored).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--latest-only", is_flag=True, help="Skip the folders of past quarters (a faster preview).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the build cache (.bscgen-cache/).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("-v", "--verbose", is_flag=True, help="Also say what was reused from the cache.")
@audience_option
@language_options
@_friendly_errors
def build_command(source: str, output: str | None, no_cache: bool, quiet: bool, verbose: bool, **options) -> None:
    """Validate the content, compute every score and write the site."""
    started = time.perf_counter()
    root = _project(source)
    out = Path(output) if output else root / DEFAULT_OUTPUT
    progress = _progress_printer(not quiet and sys.stderr.isatty())
    # options: period, strict, latest_only, audience, language, locale, as site.build takes them
    report = build(root, out, use_cache=not no_cache, progress=progress, **options)
    _report(report.warnings)
    if not quiet:
        click.echo(summary(out, report, time.perf_counter() - started, verbose), err=True)


def summary(out: Path, report, seconds: float, verbose: bool = False) -> str:
    frozen = f" ({len(report.frozen)} frozen)" if report.frozen else ""
    line = (
        f"bscgen: built {out} for {report.quarter}: {len(report.rendered) + len(report.frozen)} quarters{frozen}, "
        f"{report.pages_rendered + report.pages_reused} pages ({report.pages_rendered} rendered, {report.pages_reused} cached), "
        f"{report.charts_drawn + report.charts_cached} charts ({report.charts_drawn} drawn, {report.charts_cached} cached), "
        f"{len(report.warnings)} warning(s), {seconds:.2f} s"
    )
    if verbose:
        line += f"\nbscgen: {report.files} files in the site"
    return line


@main.command("new")
@click.argument("directory", type=click.Path(file_okay=False))
@_friendly_errors
def new_command(directory: str) -> None:
    """Create a working example scorecard project in DIRECTORY."""
    from bscgen.new import NotEmptyError, create_project

    target = Path(directory)
    try:
        files = create_project(target)
    except NotEmptyError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"bscgen: created {target} with {len(files)} files. Next:", err=True)
    click.echo(f"  cd {target} && bscgen serve     # preview with live reload", err=True)
    click.echo("  bscgen build                    # write the site into site/", err=True)


@main.command("schema")
@click.argument("directory", default="schemas", required=False, type=click.Path(file_okay=False))
@_friendly_errors
def schema_command(directory: str) -> None:
    """Write JSON Schemas of bscgen.yaml, KPI and event files and front matter into DIRECTORY
    (default: schemas), for editors to check and complete what you type."""
    from bscgen.schemas import MODELINE, write_schemas

    target = Path(directory)
    written = write_schemas(target, __version__)
    click.echo(f"bscgen: wrote {len(written)} JSON Schemas into {target}; point a YAML file at one with a first line", err=True)
    click.echo("  " + MODELINE.format((target / "bscgen.schema.json").as_posix()), err=True)


@main.command("serve")
@source_option
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--latest-only", is_flag=True, help="Build only the latest quarter (faster on large scorecards).")
@audience_option
@language_options
@_friendly_errors
def serve_command(source: str, port: int, host: str, latest_only: bool, audience: str | None,
                  language: str | None, locale: str | None) -> None:
    """Build, serve on localhost, rebuild and reload on every change.

    Pages reload by themselves after a rebuild; while the content has errors
    the browser shows them. Stop with Ctrl-C.
    """
    from bscgen.serve import DevServer  # watchfiles is only needed here

    root = _project(source)
    server = DevServer(root, host, port, log=lambda line: click.echo(line, err=True),
                       build_options={"latest_only": latest_only, "audience": audience,
                                      "language": language, "locale": locale})
    for stop in (signal.SIGINT, signal.SIGTERM):  # stop as cleanly on `kill` as on Ctrl-C
        signal.signal(stop, server.interrupt)
    try:
        if server.start():
            click.echo(f"bscgen: serving {root.resolve()} at {server.url} (Ctrl-C to stop)", err=True)
            server.stop_event.wait()
    except KeyboardInterrupt:
        pass  # stop() says so
    finally:
        server.stop()
    # Everything is cleaned up: ending here skips Python's teardown of the libraries a build
    # loaded, which takes seconds on a busy machine (SPEC 22: stopped within 2 s of Ctrl-C).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@main.command("archive")
@source_option
@click.argument("period", required=False, callback=_quarter, metavar="[PERIOD]")
@click.option("--force", is_flag=True, help="Replace an existing frozen quarter.")
@click.option("--audience", default=None, metavar="ID", help="Freeze only this audience's view.  [default: every audience]")
@language_options
@_friendly_errors
def archive_command(source: str, period: Quarter | None, force: bool, audience: str | None,
                    language: str | None, locale: str | None) -> None:
    """Freeze a quarter's build (default: the latest) into archive/PERIOD/.

    Later builds copy a frozen quarter verbatim instead of rebuilding it.
    With audiences, each audience's view goes into archive/PERIOD/AUDIENCE/.
    Commit archive/ to keep it.
    """
    root = _project(source)
    quarter, targets = archive(root, period, force, audience, language, locale)
    click.echo(f"bscgen: froze {quarter} into {', '.join(str(t) for t in targets)}; commit it to keep it", err=True)


@main.command("check")
@source_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@audience_option
@_friendly_errors
def check_command(source: str, strict: bool, audience: str | None) -> None:
    """Validate the content only; writes nothing."""
    warnings = check(_project(source), strict=strict, audience=audience)
    _report(warnings)
    click.echo(f"bscgen: the content is valid ({len(warnings)} warning(s))", err=True)


@main.command("status")
@source_option
@click.option("--owner", default=None, help="Only this owner's KPIs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {as_of, kpis: [...]}.")
@_friendly_errors
def status_command(source: str, owner: str | None, as_json: bool) -> None:
    """Which KPI values are due, delivered or late (exit 3 when one is late).

    The as-of date is SOURCE_DATE_EPOCH when set, else today."""
    scorecard, _ = load_scorecard(_project(source), everything=True)  # for owners, never published
    as_of = as_of_date()
    groups = [g for g in data_status(scorecard, as_of) if owner is None or g.owner == owner]
    if owner is not None and not groups:
        raise click.UsageError(f'no KPI has the owner "{owner}"')
    if as_json:
        kpis = [k.record() for g in groups for k in g.kpis]
        click.echo(json.dumps({"as_of": as_of.isoformat(), "kpis": kpis}, indent=2))
    else:
        click.echo(f"Data status as of {as_of}: {summary_line(tuple(groups))}")
        for group in groups:
            click.echo(f"\n{group.owner}: {group.count(LATE)} late, {group.count(STALE)} stale, {group.count(CURRENT)} current")
            for k in group.kpis:
                last = k.last_value_date or "never"
                click.echo(f"  {k.state:8} {k.kpi.id}: {k.period.label} due {k.due} (last value {last})")
    if any(g.count(LATE) for g in groups):
        sys.exit(3)
