"""Rendering one quarter's pages from the theme's Jinja2 templates.

Python decides what each page shows (results, charts, links between
records); templates decide how it looks. Every link is relative to the page,
so the site works under any base path and opened from disk.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
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
from bscgen.model import Document, Scorecard
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


class QuarterSite:
    """Every page of one quarter, from its results and those of the quarters before."""

    def __init__(self, scorecard: Scorecard, history: list[Results]):
        self.scorecard = scorecard
        self.config = scorecard.config
        self.history = history  # this quarter's results last
        self.now = history[-1]
        self.quarter = self.now.result.quarter

    # --- what pages need ---------------------------------------------------------

    def _commentary(self, objective_id: str | None) -> Markup | None:
        return _markdown(self.scorecard.commentary.get((self.quarter, objective_id)))

    def _over_time(self, kind: str, item_id: str) -> list[tuple[Quarter, Any]]:
        return [
            (r.result.quarter, getattr(r, kind)[item_id])
            for r in self.history
            if item_id in getattr(r, kind)
        ]

    def pages(self) -> list[Page]:
        cap = self.config.cap
        pages = [
            Page("index.html", "home.html", {
                "result": self.now.result,
                "cards": self.now.result.perspectives,
                "strategy_map": layout(self.now.result),
                "attention": [
                    k for k in self.now.kpis.values() if k.status in ("red", "none")
                ],
                "summary": self._commentary(None),
                "home_text": _markdown(self.scorecard.home),
            }),
            Page("strategy-map/index.html", "strategy_map.html", {"strategy_map": layout(self.now.result)}),
            Page("initiatives/index.html", "initiatives.html", {
                "initiatives": sorted(self.scorecard.initiatives, key=lambda i: i.id),
                "texts": {i: _markdown(text) for i, text in self.scorecard.initiative_texts.items()},
                "objectives": self.now.objectives,
            }),
            Page("quarters/index.html", "quarters.html", {}),
        ]
        sections = [
            {
                "perspective": perspective,
                "text": _markdown(self.scorecard.perspective_pages.get(perspective.perspective.id)),
                "charts": charts.perspective_charts(
                    perspective, self._over_time("perspectives", perspective.perspective.id), cap),
            }
            for perspective in self.now.result.perspectives
        ]
        pages.append(Page("briefing/index.html", "briefing.html", {
            "result": self.now.result, "sections": sections, "summary": self._commentary(None),
        }, tuple(c for section in sections for c in section["charts"])))
        for section in sections:
            perspective = section["perspective"]
            pages.append(Page(
                f"perspectives/{perspective.perspective.id}/index.html", "perspective.html", section,
                tuple(section["charts"]),
            ))
            for objective in perspective.objectives:
                pages.append(self._objective_page(perspective, objective))
                for kpi in objective.kpis:
                    pages.append(self._kpi_page(perspective, objective, kpi))
        return pages

    def _objective_page(self, perspective: PerspectiveResult, objective: ObjectiveResult) -> Page:
        oid = objective.objective.id
        figures = charts.objective_charts(objective, self._over_time("objectives", oid), self.config.cap)
        return Page(f"objectives/{oid}/index.html", "objective.html", {
            "perspective": perspective,
            "objective": objective,
            "description": _markdown(self.scorecard.objective_texts.get(oid)),
            "supports": [self.now.objectives[s] for s in objective.objective.supports],
            "supported_by": [
                o for o in self.now.objectives.values() if oid in o.objective.supports
            ],
            "initiatives": [i for i in sorted(self.scorecard.initiatives, key=lambda i: i.id) if oid in i.objectives],
            "commentary": self._commentary(oid),
            "charts": figures,
        }, tuple(figures))

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
        "commentary_search": any(
            q == site.quarter and d.body.strip() for (q, _), d in site.scorecard.commentary.items()
        ),
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
