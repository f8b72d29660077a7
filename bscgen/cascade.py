"""A scorecard's links into the children built or published with it, and back
up to its parent, as of one quarter: the cascade tree, the cascade links of
its objectives, and the parent objectives a child objective feeds."""

from __future__ import annotations

import re
from functools import cached_property

from bscgen import urls
from bscgen.compute import ObjectiveResult, QuarterResult
from bscgen.contexts import CascadeLink, ScorecardNode
from bscgen.model import Child, Scorecard, Status
from bscgen.periods import Quarter


class Cascade:
    def __init__(self, scorecard: Scorecard, result: QuarterResult):
        self.scorecard = scorecard
        self.result = result
        self.quarter = result.quarter
        self.children = {c.id: c for c in scorecard.children}

    @cached_property
    def tree(self) -> ScorecardNode:
        """This scorecard, its children and theirs."""
        result = self.result
        return ScorecardNode("", self.scorecard.config.title, result.score, result.status, result.previous_score,
                             urls.HOME, False, tuple(_node(child, self.quarter, "") for child in self.scorecard.children))

    def links(self, objective: ObjectiveResult) -> list[CascadeLink]:
        """The child objectives an objective lists under `cascade:`, each with its link."""
        found = []
        for ref in objective.objective.cascade:
            child = self.children[ref.scorecard]
            href, external = _child_href(child, self.quarter, urls.objective(ref.objective), "")
            found.append(CascadeLink(objective, ref.scorecard, ref.objective, child.objectives.get(ref.objective, ""),
                                     href, external))
        return found

    def contributes_to(self, oid: str) -> list[tuple[str, str]]:
        """(title, href from the site root) of the parent objectives this child objective feeds."""
        parent = self.scorecard.config.parent
        if parent is None:
            return []
        # the parent has every quarter from its first to the child's latest (a child is built up to the parent's)
        page = (lambda p: urls.inside(urls.copy_folder(self.quarter), p) if self.quarter >= parent.first else urls.HOME)
        return [(f"{pid} {title}", parent.href + page(urls.objective(pid))) for pid, title in parent.objectives.get(oid, ())]


def _child_href(child: Child, quarter: Quarter, page: str, prefix: str) -> tuple[str | None, bool]:
    """(href, absolute?) of a page of a child scorecard in a quarter: into its sub-site
    (from the site root, `prefix` being the way to its parent's sub-site) or its url."""
    target = urls.as_of(quarter, child.quarters, page)
    if child.built:
        return f"{prefix}{urls.child_site(child.id)}{target}", False
    if child.link.url:
        base = child.link.url if child.link.url.endswith("/") else child.link.url + "/"
        return base + target, bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/", base))
    return None, False


def _node(child: Child, quarter: Quarter, prefix: str) -> ScorecardNode:
    """A child and its own children (of a built child) as of a quarter."""
    results = child.quarters.get(quarter)
    before = child.quarters.get(quarter.previous)
    href, external = _child_href(child, quarter, urls.HOME, prefix)
    inner = f"{prefix}{urls.child_site(child.id)}"
    return ScorecardNode(
        child.id, child.title, results.score if results else None, results.status if results else Status.NONE,
        before.score if before else None, href, external,
        tuple(_node(grandchild, quarter, inner) for grandchild in child.children),
    )
