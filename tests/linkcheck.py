"""A link checker for built sites: every internal link and asset resolves,
and nothing is loaded from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that make the browser fetch something by itself.
LOADING = {("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("image", "href")}
LINKING = {("a", "href"), ("area", "href")}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if name == "style":
                self.styles.append(value)
            if (tag, name) in LOADING | LINKING or (name in ("href", "xlink:href") and tag in ("a", "image", "use")):
                self.urls.append((tag, name, value))

    handle_startendtag = handle_starttag


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def check_site(site: Path) -> list[str]:
    """Every broken internal link or external load, as 'page: problem'."""
    problems = []
    pages = sorted(site.rglob("*.html"))
    parsed = {page: parse(page) for page in pages}
    for page, collector in parsed.items():
        where = page.relative_to(site).as_posix()
        for tag, attribute, url in collector.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                if (tag, attribute) in LINKING and parts.scheme in ("http", "https", "mailto"):
                    continue  # a link a person may follow, not a load
                problems.append(f"{where}: <{tag} {attribute}> loads from another host: {url}")
                continue
            if url.startswith("/"):
                problems.append(f"{where}: absolute link {url} breaks under another base path")
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                problems.append(f"{where}: link {url} points at a folder; it does not open from disk")
                continue
            if not target.is_file():
                problems.append(f"{where}: broken link {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: link {url} names a missing anchor")
        for style in collector.styles:
            if re.search(r"url\(\s*['\"]?(https?:)?//", style):
                problems.append(f"{where}: inline style loads from another host")
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        if re.search(r"(url\(\s*['\"]?(https?:)?//)|@import", text):
            problems.append(f"{css.relative_to(site)}: stylesheet loads from another host")
    return problems
