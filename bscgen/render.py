"""Rendering: one copy of a quarter's pages as output records, made with Jinja2.

`copy_outputs` places a quarter's pages (from pages.py) in one copy of the
site (the root or the quarter's folder) and returns an Output per page, whose
producer renders the page's template. Every link is relative to the page,
so the site works under any base path and opened from disk.
"""

from __future__ import annotations

import traceback
from functools import partial
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2

from bscgen import __version__, charts, keys, urls
from bscgen.formatting import (
    INITIATIVE_LABELS, STATUS_COLOURS, STATUS_ICONS, STATUS_LABELS, STATUS_TEXT_COLOURS, STATUS_TINTS, format_chance, format_index, format_label, meta_description, format_money, format_percent,
    format_day, format_number, format_quarter, format_score, format_trend, format_value, projection_words, trend_words,
)
from bscgen.language import ENGLISH, Language
from bscgen.lineage import Lineage, edit_url
from bscgen.markup import render_markdown
from bscgen.model import Config
from bscgen.outputs import Output
from bscgen.contexts import variables
from bscgen.pages import Page, QuarterSite
from bscgen.periods import Quarter
from bscgen.problems import ContentError, Problem, Source
from bscgen.texts import has_commentary


def environment(theme_dirs: list[Path], language: Language = ENGLISH) -> jinja2.Environment:
    """Templates are looked up in each theme folder in turn (project theme first); their
    messages ({% trans %}, _()) are in the language's translations, and their filters
    format for its locale, once per site (Babel's locale parsed once)."""
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader([str(d / "templates") for d in theme_dirs]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    here = {"locale": language.locale}
    env.filters.update(
        score=partial(format_score, **here), value=partial(format_value, **here), trend=partial(format_trend, **here),
        trend_words=partial(trend_words, **here), markdown=render_markdown,
        money=partial(format_money, currency=language.currency, **here), percent=partial(format_percent, **here),
        chance=partial(format_chance, **here), projection=partial(projection_words, **here),
        number=partial(format_number, **here), day=partial(format_day, **here),
        quarter=partial(format_quarter, **here), index=partial(format_index, **here),
    )
    env.globals.update(
        language=language,
        status_label=STATUS_LABELS, status_icon=STATUS_ICONS, initiative_label=INITIATIVE_LABELS, version=__version__,
        urls=urls, status_colour=STATUS_COLOURS, status_tint=STATUS_TINTS, status_text_colour=STATUS_TEXT_COLOURS,
    )
    translations = language.translations
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["label"] = lambda value, kind: translations.gettext(format_label(value, kind))
    return env


@dataclass(frozen=True)
class Placement:
    """Where one copy of a quarter's pages goes, and the quarters around it."""

    folder: str  # "" for the site root, "2026-Q3/" for a quarter's folder
    # the quarters the copy lists, newest first: at the root every quarter of the site; in a
    # quarter's folder that quarter and those before it, so a published copy never changes
    # when a later quarter arrives (the switcher adds later ones from versions.json)
    quarters: tuple[Quarter, ...]
    pages: dict[Quarter, frozenset[str]]  # the pages each quarter has
    search_children: tuple[str, ...] = ()  # the child sub-site copies (from the site root) whose search this copy's merges

    @property
    def latest(self) -> Quarter:
        return self.quarters[0]

    @property
    def edition(self) -> bool:
        """A quarter's own folder: the copy as published, kept as it is."""
        return self.folder != ""


@dataclass(frozen=True)
class SwitcherEntry:
    quarter: Quarter
    href: str  # the same page in that quarter if it has it, else that quarter's home
    current: bool


@dataclass(frozen=True)
class CommonContext:
    """The variables every page receives (docs/themes.md)."""

    config: Config
    quarter: Quarter  # the quarter the page describes
    latest: Quarter  # the newest quarter the copy lists (at the root: the site's latest)
    quarters: tuple[Quarter, ...]  # the quarters the copy lists, newest first (in a quarter's folder: up to it)
    edition: bool  # the page is in a quarter's own folder, which later quarters never change
    commentary_search: bool  # the quarter has a commentary search index to merge
    search_children: tuple[str, ...]  # child sub-site copies (from the site root) whose search indexes to merge
    root: str  # relative path from the page to its quarter's root
    site_root: str  # relative path from the page to the site root (versions.json)
    page_path: str  # the page's path within its quarter
    page_kind: str  # the template's name without .html
    meta_description: str  # the page in a sentence, at most 160 characters
    edit_url: str | None  # "Edit this page": its text's file in the repository (repo_url and edit_uri)
    switcher: list[SwitcherEntry]
    latest_href: str  # where the latest quarter is: the site's home
    assets: dict[str, str]  # static file name -> its fingerprinted path from this page


def page_digest(history: Any) -> keys.Digest:
    """Digests of what pages are made of: a chart by its page key, and the build's
    results (`history`) once, shared by every copy, as are the lineages of its actuals."""
    return keys.Digest(own_keys={charts.Chart: lambda chart: chart.page_key}, long_lived=history, by_value=(Lineage,))


def switcher(quarter: Quarter, page_path: str, site_root: str, placement: Placement) -> list[SwitcherEntry]:
    """One entry per quarter: the same page there if it exists, else that quarter's home."""
    return [
        SwitcherEntry(
            other,
            f"{site_root}{urls.copy_folder(other)}{page_path if page_path in placement.pages.get(other, ()) else urls.HOME}",
            other == quarter,
        )
        for other in placement.quarters
    ]


def copy_outputs(
    env: jinja2.Environment, site: QuarterSite, pages: list[Page], placement: Placement, assets: dict[str, str],
    project: Path,
) -> list[Output]:
    """The output records of one copy's pages."""
    commentary_search = has_commentary(site.texts)
    assets_by_root: dict[str, dict[str, str]] = {}  # one dict per depth: shared, so digested once
    outputs = []
    for page in pages:
        root = urls.up_from(page.path)
        site_root = root + urls.up_from(placement.folder)
        common = CommonContext(
            config=site.config, quarter=site.quarter, latest=placement.latest, quarters=placement.quarters,
            edition=placement.edition,
            commentary_search=commentary_search, search_children=placement.search_children, root=root, site_root=site_root, page_path=page.path,
            page_kind=page.template.removesuffix(".html"), meta_description=meta_description(page.summary),
            edit_url=edit_url(site.config, page.edit_path),
            switcher=switcher(site.quarter, page.path, site_root, placement),
            latest_href=site_root + urls.HOME,
            assets=assets_by_root.setdefault(root, {name: root + path for name, path in assets.items()}),
        )
        produce = _Producer(env, page.template, common, page.context, project)
        outputs.append(Output(urls.inside(placement.folder, page.path), (page.template, common, page.context), produce,
                              page.charts, page.texts, is_page=True))
    return outputs


@dataclass(frozen=True)
class _Producer:
    """Renders one page's template, given the SVGs of its charts."""

    env: jinja2.Environment
    template: str
    common: CommonContext
    context: Any
    project: Path

    def __call__(self, svgs: Mapping[str, str]) -> str:
        context = {
            **variables(self.common),
            **variables(self.context),
            "asset": self.common.assets.__getitem__,
            "chart_svg": lambda chart: charts.label_svg(svgs[chart.key], chart.id, chart.title, chart.description),
        }
        try:
            return self.env.get_template(self.template).render(context)
        except jinja2.TemplateError as error:
            raise ContentError([template_problem(error, self.project)]) from None


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


def css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces
    hex-escaped, so no title can end the string or the rule."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in text) + '"'


def running_header_css(config: Config, quarter: Quarter) -> str:
    """The print stylesheet of one quarter's copy: its title heads every printed page."""
    parts = [config.title, config.organization, quarter.title] if config.organization else [config.title, quarter.title]
    return (
        "/* Made by bscgen for this quarter: the running header of printed pages.\n"
        "   Its look is in style.css (@page). */\n"
        f"@page {{ @top-left {{ content: {css_string(' · '.join(parts))}; }} }}\n"
    )


