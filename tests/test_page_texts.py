"""Pages name the Markdown texts they show, so an edited text rebuilds exactly
those pages (the cache trusts these names)."""

import dataclasses

import pytest

from bscgen.keys import Digest
from bscgen.compute import compute_history, latest_quarter
from bscgen.tree import load_scorecard as load_project
from bscgen.texts import TextRef
from bscgen.pages import QuarterSite, Results
from tests.helpers import REPO


def _edited(scorecard, ref: TextRef, quarter):
    """The scorecard with one Markdown text (see texts.texts_of) changed, and nothing else."""
    def edit(texts: dict, key) -> dict:
        return {k: dataclasses.replace(d, body=d.body + "\n\nEdited.\n") if k == key else d for k, d in texts.items()}

    kind, item = ref.kind, ref.id
    if kind == "home":
        return dataclasses.replace(scorecard, home=edit({"": scorecard.home}, "")[""])
    if kind in ("summary", "commentary"):
        return dataclasses.replace(scorecard, commentary=edit(scorecard.commentary, (quarter, item)))
    field = {"perspective": "perspective_pages", "objective": "objective_texts", "initiative": "initiative_texts"}[kind]
    return dataclasses.replace(scorecard, **{field: edit(getattr(scorecard, field), item)})


@pytest.mark.parametrize("quarter", ["2026-Q3", "2026-Q2", "2025-Q2"])  # with and without commentary
def test_a_page_changes_with_the_texts_it_names_and_no_others(quarter):
    scorecard, _ = load_project(REPO)
    history = [Results.of(r) for r in compute_history(scorecard, latest_quarter(scorecard))]
    upto = history[: [str(r.result.quarter) for r in history].index(quarter) + 1]
    site = QuarterSite(scorecard, upto)
    pages = site.pages()
    before = {p.path: Digest()(p.context) for p in pages}
    assert len(site.texts) >= 20
    for ref in site.texts:
        after = QuarterSite(_edited(scorecard, ref, upto[-1].result.quarter), upto).pages()
        changed = {p.path for p in after if Digest()(p.context) != before[p.path]}
        named = {p.path for p in pages if ref in p.texts}
        assert changed == named and named, ref
