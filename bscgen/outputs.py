"""Output records: what rendering hands to the writer, one per file of the site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from bscgen.texts import TextRef

# A producer makes a file's bytes, given the SVGs of the charts it shows (by key).
Producer = Callable[[Mapping[str, str]], "bytes | str"]


@dataclass(frozen=True)
class Output:
    """One file: where it goes, what its key is made of, what it shows, how to make it.

    `made_of` is everything the file's bytes depend on besides the build's salt
    (a page: its template and context; a plain file: its bytes), so the writer
    can tell an unchanged file without making it.
    """

    path: str  # in the site, e.g. "2026-Q3/objectives/F1/index.html"
    made_of: Any
    produce: Producer
    charts: tuple[Any, ...] = ()  # charts.Chart: drawn before `produce` runs
    texts: tuple[TextRef, ...] = ()  # the Markdown texts it shows
    is_page: bool = False  # an HTML page (counted as a page), rather than a file beside the pages

    @classmethod
    def file(cls, path: str, content: bytes | str) -> Output:
        """A file whose bytes are known already."""
        data = content.encode() if isinstance(content, str) else content
        return cls(path, data, lambda _svgs: data)
