"""The board pack (SPEC 14): briefing.pdf and briefing.pptx in every quarter copy.

Both are output records like pages: the writer makes them only when what
they show changed, and `bscgen archive` freezes them with the quarter. The
PDF is the briefing page printed (pdf.py); the deck is built from the
quarter's results (deck.py). Each needs an extra, which config.py checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from bscgen import urls
from bscgen.contexts import Dashboard
from bscgen.language import Language
from bscgen.model import Config
from bscgen.outputs import Output

@dataclass(frozen=True)
class _Pdf:
    """Prints the briefing page, given the SVGs of its charts."""

    briefing: Output
    files: Mapping[str, bytes]  # the copy's static files by path in the copy
    config: Config
    quarter: Any

    def __call__(self, svgs: Mapping[str, str]) -> bytes:
        from bscgen.pdf import html_to_pdf

        html = self.briefing.produce(svgs)
        return html_to_pdf(html, urls.BRIEFING, self.files, self.config, self.quarter)


@dataclass(frozen=True)
class _Deck:
    """Makes the deck from the dashboard (the quarter's results, strategy map, movements
    and KPIs needing attention), in the site's language."""

    config: Config
    language: Language
    dashboard: Dashboard
    summary: str | None
    template: bytes | None

    def __call__(self, svgs: Mapping[str, str]) -> bytes:
        from bscgen.deck import briefing_deck

        return briefing_deck(self.config, self.language, self.dashboard, self.summary, self.template)


def export_outputs(config: Config, language: Language, folder: str, quarter: Any, dashboard: Dashboard,
                   summary: str | None, briefing: Output, files: Mapping[str, bytes],
                   template: bytes | None) -> list[Output]:
    """The board pack files of one copy (those bscgen.yaml asks for). The deck's key is what
    it shows: the settings (language and locale among them; the messages salt every key),
    the dashboard, which holds the quarter's results (portfolio and events too), the
    summary and the template."""
    outputs = []
    if "pdf" in config.exports:
        outputs.append(Output(urls.inside(folder, urls.BRIEFING_PDF), ("pdf", config.paper, briefing.made_of),
                              _Pdf(briefing, files, config, quarter), briefing.charts, briefing.texts))
    if "pptx" in config.exports:
        outputs.append(Output(urls.inside(folder, urls.BRIEFING_PPTX), ("pptx", config, dashboard, summary, template),
                              _Deck(config, language, dashboard, summary, template), (), briefing.texts))
    return outputs
