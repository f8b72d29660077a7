"""Where each value comes from (SPEC 12.3): the rows combined, how, and links to them.

With `repo_url` and `edit_uri` (MkDocs' keys) each source links to its file
and line in the repository, and pages get an "Edit this page" link.
"""

from __future__ import annotations

from dataclasses import dataclass

from bscgen.compute import KpiResult
from bscgen.model import Config
from bscgen.periods import Quarter
from bscgen.problems import Source

SHOWN = 5  # rows listed per value; thousands of event rows read as a count


@dataclass(frozen=True)
class SourceLink:
    text: str  # "data/actuals/itsm.csv:118", "data/finance.xlsx:Q3!B7"
    href: str | None  # the line in the repository, with repo_url


@dataclass(frozen=True)
class Lineage:
    """One quarter's actual of a KPI, traced back."""

    sources: tuple[SourceLink, ...]  # the first SHOWN rows
    more: int  # rows not listed
    how: str  # "mean of 3 values", "1 value", "from the scorecard Infrastructure"
    carried_from: Quarter | None  # a stale value's quarter


def edit_url(config: Config, path: str | None, line: int | None = None) -> str | None:
    """A file's page in the repository (MkDocs' repo_url + edit_uri + path), or None."""
    if not path or not config.repo_url or config.edit_uri is None:
        return None
    base = config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/")
    return f"{base.rstrip('/')}/{path}" + (f"#L{line}" if line else "")


def _link(config: Config, source: Source, rows: int = 1) -> SourceLink:
    text = str(source) if rows == 1 else f"{source} ({rows} rows)"
    return SourceLink(text, edit_url(config, source.path, source.line if source.cell is None else None))


def lineage(result: KpiResult, config: Config) -> Lineage | None:
    value = result.value
    if value is None:
        return None
    count = sum(a.count for a in value.actuals)  # a large file's rows arrive combined, with their count
    kpi = result.kpi
    if kpi.link is not None:
        how = f"from the scorecard {kpi.link.scorecard}" + (f", {kpi.link.kind} {kpi.link.item}" if kpi.link.item else "")
    elif count == 1:
        how = "1 value"
    elif kpi.aggregate == "last":
        how = f"the latest of {count} values"
    else:
        how = f"{kpi.aggregate} of {count} values"
    shown = tuple(_link(config, a.source, a.count) for a in value.actuals[:SHOWN])
    return Lineage(shown, count - sum(a.count for a in value.actuals[:SHOWN]), how,
                   value.quarter if result.stale else None)


def source_records(result: KpiResult) -> list[dict]:
    """scorecard.json's `sources`: every row combined into the quarter's actual."""
    if result.value is None:
        return []
    records = []
    for actual in result.value.actuals:
        source = actual.source
        record = {"path": source.path, "line": source.line}
        if actual.count != 1:  # rows of a large file, combined as they were read
            record["rows"] = actual.count
        if source.cell is not None:
            record["cell"] = source.cell
        if result.kpi.link is not None:
            record["scorecard"] = result.kpi.link.scorecard
        records.append(record)
    return records
