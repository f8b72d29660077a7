"""The briefing book as a PDF: the briefing page printed by WeasyPrint.

Nothing is fetched: the page's stylesheets come from the copy's own static
files, handed over in memory, and any other URL is refused. Charts stay
vectors (inline SVG). The PDF is tagged (PDF/UA-1) and deterministic: its
metadata come from the scorecard and the quarter, not from the clock.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping
from urllib.parse import urlsplit

from bscgen.model import Config

SITE = "https://site.invalid/"  # a base URL no request may leave for: every URL is answered from memory
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def html_to_pdf(html: str, page_path: str, files: Mapping[str, bytes], config: Config, quarter: Any) -> bytes:
    """A page of a copy as PDF; `files` are the copy's static files by path in the copy."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # a refused URL is not news

    paper = weasyprint.CSS(string=f"@page {{ size: {PAGE_SIZES[config.paper]}; }}")
    document = weasyprint.HTML(string=html, base_url=SITE + page_path, url_fetcher=_fetcher(files), media_type="print").render(
        stylesheets=[paper])
    metadata = document.metadata
    metadata.title = f"{config.title}: briefing book, {quarter.title}"
    metadata.authors = [config.organization] if config.organization else []
    metadata.description = quarter.title  # the PDF's subject
    metadata.created = metadata.modified = None
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _fetcher(files: Mapping[str, bytes]):
    """A WeasyPrint URL fetcher answering from the copy's own files and refusing everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFiles(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path.removeprefix("/")
            if not url.startswith(SITE) or path not in files:
                raise ValueError(f"{url} is not a file of the site")
            kind = {"css": "text/css", "svg": "image/svg+xml"}.get(path.rsplit(".", 1)[-1], "application/octet-stream")
            return URLFetcherResponse(url, body=files[path], headers={"Content-Type": kind})

    return SiteFiles()
