"""The site plan: which quarters a site has, and which of them are built
rather than copied from archive/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bscgen import urls
from bscgen.archive import ARCHIVE, archived_quarters, frozen_copy
from bscgen.compute import first_quarter, latest_quarter
from bscgen.model import Scorecard
from bscgen.periods import Quarter, quarter_range
from bscgen.problems import ContentError, Problems, Source


class PeriodChoiceError(Exception):
    """--period names a quarter the scorecard cannot be built for."""


@dataclass(frozen=True)
class Copy:
    """One copy of a quarter's pages: in its folder, or at the site root."""

    quarter: Quarter
    folder: str  # from urls.copy_folder


@dataclass(frozen=True)
class SitePlan:
    latest: Quarter
    quarters: tuple[Quarter, ...]  # every quarter of the site, newest first
    frozen: dict[Quarter, Path]  # quarters copied from archive/
    rendered: tuple[Quarter, ...]  # quarters built now, oldest first

    def copies(self, with_root: bool) -> list[Copy]:
        folders = [Copy(q, urls.copy_folder(q)) for q in self.rendered]
        return folders + ([Copy(self.latest, urls.copy_folder(None))] if with_root else [])


def plan_site(root: Path, scorecard: Scorecard, period: Quarter | None, latest_only: bool = False,
              missing_ok: bool = False) -> SitePlan:
    """`missing_ok`: a quarter frozen without the audience's copy counts as not frozen
    (`bscgen archive` making that copy), instead of being an error."""
    first = first_quarter(scorecard)
    latest = period or latest_quarter(scorecard)
    if latest < first:
        raise PeriodChoiceError(f"there are no actuals on or before {latest}; the first quarter with data is {first}")
    frozen = _frozen(root, scorecard.audience, latest, missing_ok)
    periods = quarter_range(first, latest)
    if latest_only:
        periods, frozen = [latest], {q: path for q, path in frozen.items() if q == latest}
    quarters = tuple(sorted(set(periods) | set(frozen), reverse=True))
    return SitePlan(latest, quarters, frozen, tuple(q for q in periods if q not in frozen))


def _frozen(root: Path, audience: str | None, latest: Quarter, missing_ok: bool) -> dict[Quarter, Path]:
    """The frozen quarters up to `latest`, each as the audience's copy; a quarter frozen
    without one for the audience is an error that says how to make it."""
    frozen, missing = {}, Problems()
    for quarter, folder in archived_quarters(root).items():
        if quarter > latest:
            continue
        copy = frozen_copy(folder, audience)
        if copy.is_dir():
            frozen[quarter] = copy
        elif not missing_ok:
            missing.error(Source(f"{ARCHIVE}/{quarter}"),
                          f'the frozen quarter {quarter} has no copy for the audience "{audience}"; make one '
                          f"with: bscgen archive {quarter} --audience {audience}")
    if missing.errors:
        raise ContentError(missing.sorted())
    return frozen


def child_plan(scorecard: Scorecard, root: Path, parent: SitePlan, missing_ok: bool = False) -> SitePlan:
    """A child built with its parent: its quarters up to the parent's latest."""
    return plan_site(root, scorecard, min(parent.latest, latest_quarter(scorecard)), missing_ok=missing_ok)
