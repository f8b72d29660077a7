"""Where every file of the site lives: the one place that spells site paths.

Page paths are relative to a copy of a quarter (the site root or a quarter's
folder); templates reach the same functions as `urls`, so a link is written
`{{ root }}{{ urls.objective(o.objective.id) }}`. Like MkDocs' `page.url`, no
other module builds a path from strings.
"""

from __future__ import annotations

from bscgen.periods import QUARTER_RE, Quarter

# Pages of every copy of a quarter
HOME = "index.html"
STRATEGY_MAP = "strategy-map/index.html"
INITIATIVES = "initiatives/index.html"
QUARTERS = "quarters/index.html"
BRIEFING = "briefing/index.html"
ATTENTION = "attention/index.html"
DATA_STATUS = "data-status/index.html"  # at the site root only
CHANGES = "changes/index.html"
# the catalogues: the pages of the folders of the perspectives', objectives' and KPIs' pages
PERSPECTIVES = "perspectives/index.html"
OBJECTIVES = "objectives/index.html"
KPIS = "kpis/index.html"

# Other files of every copy
SCORECARD_JSON = "scorecard.json"
SCORECARD_CSV = "scorecard.csv"
INITIATIVES_CSV = "initiatives.csv"
BRIEFING_PDF = "briefing.pdf"  # the board pack (exports: in bscgen.yaml)
BRIEFING_PPTX = "briefing.pptx"
STATIC = "static/"
SEARCH_CATALOGUE = "pagefind"  # folders Pagefind writes (see search.py)
SEARCH_COMMENTARY = "pagefind-commentary"

# Files of the site as a whole, not of one copy
VERSIONS = "versions.json"
SITE_FILES = frozenset({VERSIONS})


def perspective(perspective_id: str) -> str:
    return f"perspectives/{perspective_id}/index.html"


def objective(objective_id: str) -> str:
    return f"objectives/{objective_id}/index.html"


def kpi(kpi_id: str) -> str:
    return f"kpis/{kpi_id}/index.html"


CHILDREN = "scorecards/"  # child scorecards built with the site, each a sub-site
SCORECARDS = CHILDREN + "index.html"  # the catalogue of the unit scorecards (at the site root only)
ALIGNMENT = "alignment/index.html"
CASCADE = "cascade/index.html"


def child_site(child_id: str) -> str:
    """A child scorecard's sub-site, from the parent's site root."""
    return f"{CHILDREN}{child_id}/"


def copy_folder(quarter: Quarter | None) -> str:
    """The folder of one copy of a quarter: "2026-Q3/", or "" for the site root."""
    return "" if quarter is None else f"{quarter}/"


def inside(folder: str, path: str) -> str:
    """A path inside a folder of the site (folders from here end in "/"; "" is the root)."""
    return folder + path


def as_of(quarter: Quarter, quarters: frozenset[Quarter] | dict, page: str) -> str:
    """A page as of a quarter, from a site's root: in that quarter's folder when the
    site has the quarter, else the site's home."""
    return inside(copy_folder(quarter), page) if quarter in quarters else HOME


def up_from(path: str) -> str:
    """The relative path from a file back to the folder its path is relative to."""
    return "../" * path.count("/")


def copy_of(site_path: str) -> str | None:
    """Which copy a site file belongs to: "2026-Q3/", "" (the root), or None (the whole
    site, child sub-sites included: they keep their own build state)."""
    if site_path in SITE_FILES or site_path.startswith(CHILDREN) and site_path != SCORECARDS:
        return None
    head, slash, _ = site_path.partition("/")
    return head + "/" if slash and QUARTER_RE.match(head) else ""
