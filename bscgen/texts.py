"""The Markdown texts a quarter's pages can show, each named by a TextRef.

Pages name the texts they show, so an edited text rebuilds only those pages
(and search indexes the same texts).
"""

from __future__ import annotations

from dataclasses import dataclass

from bscgen.model import Document, Scorecard
from bscgen.periods import Quarter

HOME, SUMMARY, PERSPECTIVE, OBJECTIVE, INITIATIVE, COMMENTARY = (
    "home", "summary", "perspective", "objective", "initiative", "commentary")


@dataclass(frozen=True, order=True)
class TextRef:
    """One Markdown text: its kind and, for texts of a record, the record's id."""

    kind: str
    id: str | None = None

    def __str__(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"


def texts_of(scorecard: Scorecard, quarter: Quarter) -> dict[TextRef, Document]:
    """Every text one quarter's pages can show."""
    texts = {TextRef(HOME): scorecard.home, TextRef(SUMMARY): scorecard.commentary.get((quarter, None))}
    texts.update((TextRef(PERSPECTIVE, i), d) for i, d in scorecard.perspective_pages.items())
    texts.update((TextRef(OBJECTIVE, i), d) for i, d in scorecard.objective_texts.items())
    texts.update((TextRef(INITIATIVE, i), d) for i, d in scorecard.initiative_texts.items())
    texts.update((TextRef(COMMENTARY, i), d) for (q, i), d in scorecard.commentary.items() if q == quarter and i is not None)
    return {ref: document for ref, document in texts.items() if document is not None}


def commentary_of(texts: dict[TextRef, Document]) -> dict[str | None, Document]:
    """A quarter's commentary that has words, by objective id (None: the executive summary)."""
    return {
        ref.id: document for ref, document in texts.items()
        if ref.kind in (SUMMARY, COMMENTARY) and document.body.strip()
    }


def has_commentary(texts: dict[TextRef, Document]) -> bool:
    """Whether a quarter has commentary (and so a commentary search index)."""
    return bool(commentary_of(texts))
