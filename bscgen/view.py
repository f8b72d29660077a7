"""The audience's view (SPEC 17): a pure function from the validated scorecard
to the scorecard one audience may see."""

from __future__ import annotations

from bscgen.model import Scorecard


def view_for(scorecard: Scorecard, audience: str | None) -> Scorecard:
    """The scorecard as `audience` sees it (None: everything)."""
    return scorecard
