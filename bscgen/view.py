"""The audience's view (SPEC 17): a pure function from the validated scorecard
to the scorecard one audience may see.

It runs once per scorecard, after validation and before anything is
computed, so everything downstream (scores, pages, charts, search, the
board pack, the review, lineage) only ever sees what the view kept: a
hidden item cannot leak because nothing after this point has it. Hiding an
item hides everything under it, and links to it are dropped.
"""

from __future__ import annotations

from dataclasses import replace

from bscgen.alignment import child_actuals
from bscgen.model import Child, Event, KpiLink, Objective, Scorecard


def visible(visible_to: tuple[str, ...], audience: str | None) -> bool:
    """An item without `visible_to` is visible to every audience."""
    return audience is None or not visible_to or audience in visible_to


def view_for(scorecard: Scorecard, audience: str | None, built: dict[str, Child] | None = None) -> Scorecard:
    """The scorecard as `audience` sees it (None: everything). `built`: the children built
    with it, as the same audience sees them, by id; their values replace the full ones."""
    if audience is None:
        return scorecard
    config = scorecard.config
    links = tuple(link for link in config.scorecards if visible(link.visible_to, audience))
    shown = {link.id for link in links}
    children = tuple((built or {}).get(c.id, c) for c in scorecard.children if c.id in shown)
    goals = tuple(g for g in config.goals if visible(g.visible_to, audience))
    objectives = [o for o in scorecard.objectives if visible(o.visible_to, audience)]
    kept = {o.id for o in objectives}
    by_child = {c.id: c for c in children}
    kpis = tuple(k for k in scorecard.kpis
                 if visible(k.visible_to, audience) and k.objective in kept and _reads_shown(k.link, by_child))
    objectives = tuple(_links_kept(o, kept, {g.id for g in goals}, by_child) for o in objectives)
    initiatives = tuple(
        replace(i, objectives=tuple(oid for oid in i.objectives if oid in kept))
        for i in scorecard.initiatives if visible(i.visible_to, audience) and any(oid in kept for oid in i.objectives)
    )
    own = {k.id for k in kpis if k.link is None}
    config = replace(config, scorecards=links, goals=goals)
    actuals = tuple(a for a in scorecard.actuals if a.kpi in own)
    actuals += tuple(a for k in kpis if k.link is not None for a in child_actuals(config, k, by_child[k.link.scorecard]))
    commentary = {
        (quarter, oid): document for (quarter, oid), document in scorecard.commentary.items()
        if (oid is None or oid in kept) and visible(document.visible_to, audience)
    }
    initiative_ids = {i.id for i in initiatives}
    events = tuple(_scope_kept(e, {k.id for k in kpis}, kept, initiative_ids) for e in scorecard.events
                   if visible(e.visible_to, audience))
    viewed = replace(
        scorecard, config=config, objectives=objectives, kpis=kpis, initiatives=initiatives, actuals=actuals,
        initiative_actuals=tuple(a for a in scorecard.initiative_actuals if a.initiative in initiative_ids),
        objective_texts={oid: d for oid, d in scorecard.objective_texts.items() if oid in kept},
        initiative_texts={iid: d for iid, d in scorecard.initiative_texts.items() if iid in initiative_ids},
        commentary=commentary, children=children, audience=audience,
        events=tuple(e for e in events if e is not None),
    )
    return replace(viewed, partial=_leaves_out(scorecard, viewed))


def _reads_shown(link: KpiLink | None, children: dict[str, Child]) -> bool:
    """A `from` KPI stays while the child, and the item it reads there, are in the view."""
    if link is None:
        return True
    child = children.get(link.scorecard)
    if child is None:
        return False
    known = {"perspective": child.perspectives, "objective": child.objectives, "kpi": child.kpis}.get(link.kind)
    return known is None or link.item in known


def _links_kept(objective: Objective, kept: set[str], goals: set[str], children: dict[str, Child]) -> Objective:
    """An objective's links, to what the view keeps only."""
    return replace(
        objective,
        supports=tuple(oid for oid in objective.supports if oid in kept),
        serves=tuple(gid for gid in objective.serves if gid in goals),
        cascade=tuple(ref for ref in objective.cascade
                      if ref.scorecard in children and ref.objective in children[ref.scorecard].objectives),
    )


def _scope_kept(event: Event, kpis: set[str], objectives: set[str], initiatives: set[str]) -> Event | None:
    """An event with its scope cut to what the view keeps; None when all of its
    scope is hidden (perspectives cannot be hidden, so they always stay)."""
    if event.scorecard_wide:
        return replace(event, initiative=event.initiative if event.initiative in initiatives else None)
    kept = replace(
        event, kpis=tuple(k for k in event.kpis if k in kpis),
        objectives=tuple(o for o in event.objectives if o in objectives),
        initiative=event.initiative if event.initiative in initiatives else None,
    )
    return None if kept.scorecard_wide else kept


def _leaves_out(full: Scorecard, viewed: Scorecard) -> bool:
    """Whether the view leaves anything out, here or in a child built with it
    (its home page says so, once)."""
    return _sizes(full) != _sizes(viewed) or any(child.partial for child in viewed.children)


def _sizes(scorecard: Scorecard) -> tuple[int, ...]:
    return (len(scorecard.objectives), len(scorecard.kpis), len(scorecard.initiatives), len(scorecard.commentary),
            len(scorecard.config.goals), len(scorecard.children), len(scorecard.events))
