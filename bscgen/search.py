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
import hashlib
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass
from html import escape
from pathlib import Path

from bscgen.markup import render_markdown
from bscgen.model import Document, Scorecard
from bscgen.periods import Quarter
from bscgen.render import commentary_of, texts_of

CATALOGUE = "pagefind"
COMMENTARY = "pagefind-commentary"
BUNDLES = (CATALOGUE, COMMENTARY)


@dataclass(frozen=True)
class SearchPage:
    """What the search knows of one page: its URL in a quarter's copy, a title and HTML."""

    url: str  # relative to the copy, e.g. "objectives/C1/index.html"
    title: str
    html: str

    def document(self) -> str:
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"></head>'
            f"<body><h1>{escape(self.title)}</h1>\n{self.html}</body></html>"
        )


def _text(document: Document | None) -> str:
    return str(render_markdown(document.body)) if document and document.body.strip() else ""


def _facts(*pairs: tuple[str, object]) -> str:
    return "".join(f"<p>{escape(name)}: {escape(str(value))}</p>" for name, value in pairs if value)


def catalogue(scorecard: Scorecard) -> list[SearchPage]:
    """The pages every quarter has, by what does not change from quarter to quarter."""
    config = scorecard.config
    titles = {p.id: p.title for p in config.perspectives}
    pages = [SearchPage("index.html", config.title, _facts(("Organization", config.organization)) + _text(scorecard.home))]
    for perspective in config.perspectives:
        pages.append(SearchPage(
            f"perspectives/{perspective.id}/index.html", perspective.title,
            _text(scorecard.perspective_pages.get(perspective.id)),
        ))
    objectives = {o.id: o for o in scorecard.objectives}
    for o in scorecard.objectives:
        kpi_names = ", ".join(k.name for k in scorecard.kpis_of(o.id))
        pages.append(SearchPage(
            f"objectives/{o.id}/index.html", f"{o.id} {o.title}",
            _facts(("Perspective", titles.get(o.perspective)), ("Owner", o.owner), ("KPIs", kpi_names))
            + _text(scorecard.objective_texts.get(o.id)),
        ))
    for k in scorecard.kpis:
        objective = objectives.get(k.objective)
        pages.append(SearchPage(
            f"kpis/{k.id}/index.html", k.name,
            _facts(("Id", k.id), ("Objective", objective and f"{objective.id} {objective.title}"),
                   ("Unit", k.unit), ("Source", k.data_source))
            + (str(render_markdown(k.description)) if k.description else ""),
        ))
    initiatives = "".join(
        f"<h2>{escape(i.title)}</h2>" + _facts(("Id", i.id), ("Owner", i.owner)) + _text(scorecard.initiative_texts.get(i.id))
        for i in sorted(scorecard.initiatives, key=lambda i: i.id)
    )
    pages.append(SearchPage("initiatives/index.html", "Initiatives", initiatives))
    return pages


def commentary(scorecard: Scorecard, quarter: Quarter) -> list[SearchPage]:
    """One quarter's commentary, on the pages that show it."""
    found = commentary_of(texts_of(scorecard, quarter))
    pages = []
    if None in found:
        pages.append(SearchPage("index.html", f"Executive summary, {quarter.title}", _text(found[None])))
    for o in scorecard.objectives:
        if o.id in found:
            pages.append(SearchPage(
                f"objectives/{o.id}/index.html", f"{o.id} {o.title}: commentary, {quarter.title}", _text(found[o.id])))
    return pages


def bundle_key(salt: str, pages: list[SearchPage]) -> str:
    """Equal pages give an equal bundle, which can then be built once and reused."""
    return hashlib.sha256(json.dumps([salt, *map(astuple, pages)]).encode()).hexdigest()


def build_bundles(bundles: dict[Path, list[SearchPage]]) -> None:
    """Write a Pagefind bundle into each folder, from its pages."""
    if not bundles:
        return
    work = _index(list(bundles.items()))
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    # The caller runs an event loop in this thread (a test driving a browser,
    # say): asyncio.run() refuses to nest, so index from a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


async def _index(bundles: list[tuple[Path, list[SearchPage]]]) -> None:
    # Pagefind indexes on one core: one service per core, each taking its share.
    services = max(1, min(len(bundles), os.cpu_count() or 1))
    await asyncio.gather(*(_index_with_one_service(bundles[i::services]) for i in range(services)))


async def _index_with_one_service(bundles: list[tuple[Path, list[SearchPage]]]) -> None:
    from pagefind.service import PagefindService

    async with PagefindService() as service:
        for target, pages in bundles:
            with tempfile.TemporaryDirectory(prefix="bscgen-search-") as folder:
                for page in pages:
                    path = Path(folder, page.url)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(page.document(), encoding="utf-8")
                index = await service.create_index({"keep_index_url": True})
                await index.add_directory(str(Path(folder).resolve()))
                await index.write_files(output_path=str(target.resolve()))
                await index.delete_index()
