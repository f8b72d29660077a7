"""Site search with Pagefind: one index per copy of a quarter, so a search
finds the objectives, KPIs, initiatives and commentary of the quarter being
viewed. The index is static files; search works offline on an intranet."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# The pages worth finding; pages that only repeat them (briefing book,
# strategy map, quarters) are left out.
PAGES = "{index.html,perspectives/*/index.html,objectives/*/index.html,kpis/*/index.html,initiatives/index.html}"
BUNDLE = "pagefind"


def index_copies(staging: Path, folders: list[str]) -> None:
    """Write a Pagefind bundle into each copy's folder ("" is the site root)."""
    if not folders:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_index(staging, folders))
        return
    # The caller runs an event loop in this thread (a test driving a browser,
    # say): asyncio.run() refuses to nest, so index from a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _index(staging, folders)).result()


async def _index(staging: Path, folders: list[str]) -> None:
    # Pagefind indexes on one core: one service per core, each taking its share of the copies.
    services = max(1, min(len(folders), os.cpu_count() or 1))
    await asyncio.gather(*(_index_with_one_service(staging, folders[i::services]) for i in range(services)))


async def _index_with_one_service(staging: Path, folders: list[str]) -> None:
    from pagefind.service import PagefindService

    async with PagefindService() as service:
        for folder in folders:
            site = (staging / folder).resolve()
            index = await service.create_index({"keep_index_url": True})
            await index.add_directory(str(site), glob=PAGES)
            await index.write_files(output_path=str(site / BUNDLE))
            await index.delete_index()
