"""Site search with Pagefind, offline like the rest of the site.

Each copy of a quarter carries two Pagefind bundles, which the search box
merges:

- `pagefind/`, the catalogue: the names and descriptions of the perspectives,
  objectives, KPIs and initiatives. It is the same in every quarter built from
  today's content, so it is indexed once per build and linked into each copy,
  and an edit re-indexes it once, not once per quarter;
- `pagefind-commentary/`: that quarter's commentary (executive summary and
  objective commentary), so a search finds what that quarter said.

Scores and statuses are not indexed: they change every quarter and each page
shows them anyway. Pagefind indexes small HTML files written from the model
(one per page), not the published pages, which would cost it twice as much
to parse.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from bscgen import urls
from bscgen.markup import render_markdown
from bscgen.model import Document, Scorecard
from bscgen.periods import Quarter
from bscgen.texts import commentary_of, texts_of

CATALOGUE = urls.SEARCH_CATALOGUE
COMMENTARY = urls.SEARCH_COMMENTARY


@dataclass(frozen=True)
class SearchSection:
    heading: str | None
    facts: tuple[tuple[str, str], ...]  # (name, value), shown as "name: value"
    body: Markup  # Markdown rendered to HTML


@dataclass(frozen=True)
class SearchPage:
    """What the search knows of one page: its URL in a quarter's copy, a title and its sections."""

    url: str  # relative to the copy, e.g. "objectives/C1/index.html"
    title: str
    sections: tuple[SearchSection, ...]
    language: str = "en"  # the site's <html lang>: Pagefind indexes per language, as its UI searches

    def document(self) -> str:
        return _template().render(page=self)


@lru_cache(maxsize=None)
def _template() -> jinja2.Template:
    folder = Path(__file__).resolve().parent / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True)
    return env.get_template("search-page.html")


def _text(document: Document | None) -> Markup:
    return render_markdown(document.body) if document and document.body.strip() else Markup("")


def _section(body: Markup, *facts: tuple[str, object], heading: str | None = None) -> SearchSection:
    return SearchSection(heading, tuple((name, str(value)) for name, value in facts if value), body)


def catalogue(scorecard: Scorecard) -> list[SearchPage]:
    """The pages every quarter has, by what does not change from quarter to quarter."""
    config = scorecard.config
    titles = {p.id: p.title for p in config.perspectives}
    pages = [SearchPage(urls.HOME, config.title, (_section(_text(scorecard.home), ("Organization", config.organization)),))]
    for perspective in config.perspectives:
        text = _text(scorecard.perspective_pages.get(perspective.id))
        pages.append(SearchPage(urls.perspective(perspective.id), perspective.title, (_section(text),)))
    objectives = {o.id: o for o in scorecard.objectives}
    for o in scorecard.objectives:
        kpi_names = ", ".join(k.name for k in scorecard.kpis_of(o.id))
        section = _section(_text(scorecard.objective_texts.get(o.id)),
                           ("Perspective", titles.get(o.perspective)), ("Owner", o.owner), ("KPIs", kpi_names))
        pages.append(SearchPage(urls.objective(o.id), f"{o.id} {o.title}", (section,)))
    for k in scorecard.kpis:
        objective = objectives.get(k.objective)
        section = _section(
            render_markdown(k.description) if k.description else Markup(""),
            ("Id", k.id), ("Objective", objective and f"{objective.id} {objective.title}"),
            ("Unit", k.unit), ("Source", k.data_source),
        )
        pages.append(SearchPage(urls.kpi(k.id), k.name, (section,)))
    initiatives = tuple(
        _section(_text(scorecard.initiative_texts.get(i.id)), ("Id", i.id), ("Owner", i.owner), heading=i.title)
        for i in sorted(scorecard.initiatives, key=lambda i: i.id)
    )
    pages.append(SearchPage(urls.INITIATIVES, "Initiatives", initiatives))
    return in_language(pages, config.language)


def in_language(pages: list[SearchPage], language: str) -> list[SearchPage]:
    return [replace(page, language=language) for page in pages]


def commentary(scorecard: Scorecard, quarter: Quarter) -> list[SearchPage]:
    """One quarter's commentary, on the pages that show it."""
    found = commentary_of(texts_of(scorecard, quarter))
    pages = []
    if None in found:
        pages.append(SearchPage(urls.HOME, f"Executive summary, {quarter.title}", (_section(_text(found[None])),)))
    for o in scorecard.objectives:
        if o.id in found:
            title = f"{o.id} {o.title}: commentary, {quarter.title}"
            pages.append(SearchPage(urls.objective(o.id), title, (_section(_text(found[o.id])),)))
    return in_language(pages, scorecard.config.language)


def build_bundles(bundles: dict[Path, list[SearchPage]], progress: Callable[[str, int, int], None] | None = None) -> None:
    """Write a Pagefind bundle into each folder, from its pages. `progress` hears of each
    bundle written; an exception it raises (a build cancelled) ends the indexing at the
    next bundle, and is raised here."""
    if not bundles:
        return
    steps = _Steps(len(bundles), progress)
    # Indexed in a thread of its own, so that neither an event loop running in the caller's
    # thread (a test driving a browser) nor Ctrl-C reaches asyncio: a cancelled Pagefind
    # service waits 5 s for its answers; stopped between bundles, it closes at once.
    with ThreadPoolExecutor(max_workers=1) as pool:
        indexing = pool.submit(asyncio.run, _index(list(bundles.items()), steps))
        try:
            indexing.result()
        except BaseException:
            steps.stop.set()
            raise
    if steps.failure is not None:
        raise steps.failure


class _Steps:
    """Whether indexing goes on to the next bundle; the progress of those done."""

    def __init__(self, total: int, progress: Callable[[str, int, int], None] | None):
        self.total, self.done, self.progress = total, 0, progress
        self.stop = threading.Event()
        self.failure: Exception | None = None

    def go_on(self) -> bool:
        return not self.stop.is_set()

    def finished_one(self) -> None:
        self.done += 1
        if self.progress is not None:
            try:
                self.progress("search", self.done, self.total)
            except Exception as error:  # noqa: BLE001 - raised again once the services are closed
                self.failure = error
                self.stop.set()


async def _index(bundles: list[tuple[Path, list[SearchPage]]], steps: _Steps) -> None:
    # Pagefind indexes on one core: one service per core, each taking its share.
    services = max(1, min(len(bundles), os.cpu_count() or 1))
    await asyncio.gather(*(_index_with_one_service(bundles[i::services], steps) for i in range(services)))


async def _index_with_one_service(bundles: list[tuple[Path, list[SearchPage]]], steps: _Steps) -> None:
    from pagefind.service import PagefindService

    async with PagefindService() as service:
        for target, pages in bundles:
            if not steps.go_on():
                return
            with tempfile.TemporaryDirectory(prefix="bscgen-search-") as folder:
                for page in pages:
                    path = Path(folder, page.url)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(page.document(), encoding="utf-8")
                index = await service.create_index({"keep_index_url": True})
                await index.add_directory(str(Path(folder).resolve()))
                await index.write_files(output_path=str(target.resolve()))
                await index.delete_index()
            steps.finished_one()
