"""Rendering one quarter's pages from the theme's Jinja2 templates.

Python decides what each page shows (results, charts, links between
records); templates decide how it looks. Every link is relative to the page,
so the site works under any base path and opened from disk.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from bscgen import __version__, charts
from bscgen.compute import KpiResult, ObjectiveResult, PerspectiveResult, QuarterResult
from bscgen.formatting import (
    INITIATIVE_LABELS, STATUS_ICONS, STATUS_LABELS, format_score, format_trend, format_value, trend_words,
)
from bscgen.markup import render_markdown
from bscgen.model import Config, Document, Scorecard
from bscgen.periods import Quarter
from bscgen.problems import ContentError, Problem, Source
from bscgen.strategy_map import layout


def environment(theme_dirs: list[Path]) -> jinja2.Environment:
    """Templates are looked up in each theme folder in turn (project theme first)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in theme_dirs]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        score=format_score, value=format_value, trend=format_trend, trend_words=trend_words,
        markdown=render_markdown,
    )
    env.globals.update(
        status_label=STATUS_LABELS, status_icon=STATUS_ICONS, initiative_label=INITIATIVE_LABELS, version=__version__,
    )
    return env


@dataclass(frozen=True)
class Page:
    path: str  # relative to the quarter's root, e.g. "objectives/F1/index.html"
    template: str
    context: dict[str, Any]
    charts: tuple[charts.Chart, ...] = ()
    texts: tuple[str, ...] = ()  # ids of the Markdown texts it shows (see texts_of)

    @property
    def root(self) -> str:
        """The relative path from this page back to the quarter's root."""
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class Results:
    """One quarter's results indexed by id, for quick lookups across quarters."""

    result: QuarterResult
    perspectives: dict[str, PerspectiveResult]
    objectives: dict[str, ObjectiveResult]
    kpis: dict[str, KpiResult]

    @classmethod
    def of(cls, result: QuarterResult) -> Results:
        objectives = {o.objective.id: o for p in result.perspectives for o in p.objectives}
        return cls(
            result,
            {p.perspective.id: p for p in result.perspectives},
            objectives,
            {k.kpi.id: k for o in objectives.values() for k in o.kpis},
        )


def _markdown(document: Document | None) -> Markup | None:
    return render_markdown(document.body) if document and document.body.strip() else None


def texts_of(scorecard: Scorecard, quarter: Quarter) -> dict[str, Document]:
    """The Markdown texts one quarter's pages can show, by text id.

    Pages name the texts they show (Page.texts), so an edited text rebuilds
    only those pages.
    """
    texts = {"home": scorecard.home, "summary": scorecard.commentary.get((quarter, None))}
    texts.update((f"perspective:{i}", d) for i, d in scorecard.perspective_pages.items())
    texts.update((f"objective:{i}", d) for i, d in scorecard.objective_texts.items())
    texts.update((f"initiative:{i}", d) for i, d in scorecard.initiative_texts.items())
    texts.update((f"commentary:{i}", d) for (q, i), d in scorecard.commentary.items() if q == quarter and i is not None)
    return {text_id: document for text_id, document in texts.items() if document is not None}


def commentary_of(texts: dict[str, Document]) -> dict[str | None, Document]:
    """A quarter's commentary that has words, by objective id (None: the executive summary)."""
    found: dict[str | None, Document] = {}
    for text_id, document in texts.items():
        kind, _, objective_id = text_id.partition(":")
        if kind in ("summary", "commentary") and document.body.strip():
            found[objective_id or None] = document
    return found


def has_commentary(texts: dict[str, Document]) -> bool:
    """Whether a quarter has commentary (and so a commentary search index)."""
    return bool(commentary_of(texts))


class QuarterSite:
    """Every page of one quarter, from its results and those of the quarters before."""

    def __init__(self, scorecard: Scorecard, history: list[Results]):
        self.scorecard = scorecard
        self.config = scorecard.config
        self.history = history  # this quarter's results last
        self.now = history[-1]
        self.quarter = self.now.result.quarter
        self.texts = texts_of(scorecard, self.quarter)

    # --- what pages need ---------------------------------------------------------

    def _text(self, text_id: str) -> Markup | None:
        return _markdown(self.texts.get(text_id))

    def _over_time(self, kind: str, item_id: str) -> list[tuple[Quarter, Any]]:
        return [
            (r.result.quarter, getattr(r, kind)[item_id])
            for r in self.history
            if item_id in getattr(r, kind)
        ]

    def pages(self, only: frozenset[str] | None = None) -> list[Page]:
        """The quarter's pages; with `only`, just the pages at those paths."""
        return [make() for path, make in self._layout() if only is None or path in only]

    def paths(self) -> frozenset[str]:
        return frozenset(path for path, _ in self._layout())

    def _layout(self) -> Iterator[tuple[str, Callable[[], Page]]]:
        """(path, how to make the page) for every page, so a page costs nothing until made."""
        yield "index.html", self._home_page
        yield "strategy-map/index.html", lambda: Page(
            "strategy-map/index.html", "strategy_map.html", {"strategy_map": layout(self.now.result)})
        yield "initiatives/index.html", self._initiatives_page
        yield "quarters/index.html", lambda: Page("quarters/index.html", "quarters.html", {})
        yield "briefing/index.html", self._briefing_page
        for section in self.now.result.perspectives:
            pid = section.perspective.id
            yield f"perspectives/{pid}/index.html", lambda pid=pid: self._perspective_page(pid)
            for objective in section.objectives:
                yield f"objectives/{objective.objective.id}/index.html", partial(self._objective_page, section, objective)
                for kpi in objective.kpis:
                    yield f"kpis/{kpi.kpi.id}/index.html", partial(self._kpi_page, section, objective, kpi)

    def _home_page(self) -> Page:
        return Page("index.html", "home.html", {
            "result": self.now.result,
            "cards": self.now.result.perspectives,
            "strategy_map": layout(self.now.result),
            "attention": [
                k for k in self.now.kpis.values() if k.status in ("red", "none")
            ],
            "summary": self._text("summary"),
            "home_text": self._text("home"),
        }, texts=("summary", "home"))

    def _initiatives_page(self) -> Page:
        initiatives = sorted(self.scorecard.initiatives, key=lambda i: i.id)
        return Page("initiatives/index.html", "initiatives.html", {
            "initiatives": initiatives,
            "texts": {i.id: self._text(f"initiative:{i.id}") for i in initiatives},
            "objectives": self.now.objectives,
        }, texts=tuple(f"initiative:{i.id}" for i in initiatives))

    @cached_property
    def _sections(self) -> dict[str, dict[str, Any]]:
        """What a perspective's page and its part of the briefing book show."""
        cap = self.config.cap
        return {
            perspective.perspective.id: {
                "perspective": perspective,
                "text": self._text(f"perspective:{perspective.perspective.id}"),
                "charts": charts.perspective_charts(
                    perspective, self._over_time("perspectives", perspective.perspective.id), cap),
            }
            for perspective in self.now.result.perspectives
        }

    def _briefing_page(self) -> Page:
        sections = list(self._sections.values())
        return Page("briefing/index.html", "briefing.html", {
            "result": self.now.result, "sections": sections, "summary": self._text("summary"),
        }, tuple(c for section in sections for c in section["charts"]),
            texts=("summary", *(f"perspective:{pid}" for pid in self._sections)))

    def _perspective_page(self, pid: str) -> Page:
        section = self._sections[pid]
        return Page(
            f"perspectives/{pid}/index.html", "perspective.html", section, tuple(section["charts"]),
            texts=(f"perspective:{pid}",),
        )

    def _objective_page(self, perspective: PerspectiveResult, objective: ObjectiveResult) -> Page:
        oid = objective.objective.id
        figures = charts.objective_charts(objective, self._over_time("objectives", oid), self.config.cap)
        return Page(f"objectives/{oid}/index.html", "objective.html", {
            "perspective": perspective,
            "objective": objective,
            "description": self._text(f"objective:{oid}"),
            "supports": [self.now.objectives[s] for s in objective.objective.supports],
            "supported_by": [
                o for o in self.now.objectives.values() if oid in o.objective.supports
            ],
            "initiatives": [i for i in sorted(self.scorecard.initiatives, key=lambda i: i.id) if oid in i.objectives],
            "commentary": self._text(f"commentary:{oid}"),
            "charts": figures,
        }, tuple(figures), texts=(f"objective:{oid}", f"commentary:{oid}"))

    def _kpi_page(self, perspective: PerspectiveResult, objective: ObjectiveResult, kpi: KpiResult) -> Page:
        history = self._over_time("kpis", kpi.kpi.id)
        figure = charts.kpi_trend(f"chart-{kpi.kpi.id}", kpi.kpi, history, self.config.bands)
        return Page(f"kpis/{kpi.kpi.id}/index.html", "kpi.html", {
            "perspective": perspective,
            "objective": objective,
            "kpi": kpi,
            "history": list(reversed(history)),
            "targets": sorted(kpi.kpi.targets.items(), key=lambda item: str(item[0])),
            "description": render_markdown(kpi.kpi.description) if kpi.kpi.description else None,
            "charts": [figure],
        }, (figure,))


def css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces
    hex-escaped, so no title can end the string or the rule."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'


def running_header_css(config: Config, quarter: Quarter) -> str:
    """The print stylesheet of one quarter's copy: its title heads every printed page."""
    header = f"{config.title} · {config.organization} · {quarter.title}" if config.organization else f"{config.title} · {quarter.title}"
    return (
        "/* Made by bscgen for this quarter: the running header of printed pages.\n"
        "   Its look is in style.css (@page). */\n"
        f"@page {{ @top-left {{ content: {css_string(header)}; }} }}\n"
    )


def template_problem(error: jinja2.TemplateError, project: Path) -> Problem:
    """Where a theme template failed: its file and line, from Jinja's traceback."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".svg"))]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    path = Path(filename or "templates").resolve()
    shown = path.relative_to(project.resolve()).as_posix() if path.is_relative_to(project.resolve()) else str(path)
    return Problem(Source(shown, line), "error", f"the template failed: {error.message or error}")


@dataclass(frozen=True)
class Placement:
    """Where one copy of a quarter's pages goes, and the quarters around it."""

    folder: str  # "" for the site root, "2026-Q3/" for a quarter's folder
    quarters: tuple[Quarter, ...]  # every quarter of the site, newest first
    pages: dict[Quarter, frozenset[str]]  # the pages each quarter has

    @property
    def latest(self) -> Quarter:
        return self.quarters[0]


def _switcher(quarter: Quarter, page_path: str, site_root: str, placement: Placement) -> list[dict[str, Any]]:
    """One entry per quarter: the same page there if it exists, else that quarter's home."""
    return [
        {
            "quarter": other,
            "href": f"{site_root}{other}/{page_path if page_path in placement.pages.get(other, ()) else 'index.html'}",
            "current": other == quarter,
        }
        for other in placement.quarters
    ]


@dataclass(frozen=True)
class PageJob:
    """One page of one copy of a quarter, ready to render."""

    site_path: str  # relative to the site root
    template: str
    context: dict[str, Any]
    charts: tuple[charts.Chart, ...]


def quarter_jobs(site: QuarterSite, pages: list[Page], placement: Placement, assets: dict[str, str]) -> list[PageJob]:
    """What every page of one copy of a quarter receives."""
    latest_pages = placement.pages.get(placement.latest, frozenset())
    # Only what every page needs: a page's cache key digests everything it receives.
    common = {
        "config": site.config,
        "quarter": site.quarter,
        "latest": placement.latest,
        "quarters": placement.quarters,
        # the search box merges the quarter's commentary index only if it has one
        "commentary_search": has_commentary(site.texts),
    }
    jobs = []
    assets_by_root: dict[str, dict[str, str]] = {}  # one dict per depth: shared, so digested once
    for page in pages:
        root = page.root
        site_root = root + ("../" if placement.folder else "")
        latest_page = page.path if page.path in latest_pages else "index.html"
        context = {
            **common,
            **page.context,
            "root": root,
            "site_root": site_root,
            "page_path": page.path,
            "page_kind": page.template.removesuffix(".html"),
            "switcher": _switcher(site.quarter, page.path, site_root, placement),
            "latest_href": site_root + latest_page,
            "assets": assets_by_root.setdefault(root, {name: root + path for name, path in assets.items()}),
        }
        jobs.append(PageJob(placement.folder + page.path, page.template, context, page.charts))
    return jobs


def render_page(env: jinja2.Environment, job: PageJob, svgs: dict[str, str], project: Path) -> str:
    """One page's HTML. Raises ContentError if a (project) template fails."""
    context = {
        **job.context,
        "asset": job.context["assets"].__getitem__,
        "chart_svg": lambda chart: charts.label_svg(svgs[chart.key], chart.id, chart.title, chart.description),
    }
    try:
        return env.get_template(job.template).render(context)
    except jinja2.TemplateError as error:
        raise ContentError([template_problem(error, project)]) from None
