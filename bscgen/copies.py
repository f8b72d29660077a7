"""One site's quarter copies: render each copy the plan builds into output
records and hand them to the writer, then the copies' search bundles.

Each copy (a quarter's folder, or the site root repeating the latest quarter)
is one batch: the build state says whether it is unchanged (linked whole from
the previous site), partly changed (some pages made again) or new.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bscgen import catalogs, keys, search, urls
from bscgen.archive import frozen_files, frozen_pages
from bscgen.compute import QuarterResult
from bscgen.datastatus import as_of_date
from bscgen.export import initiatives_csv, scorecard_csv, scorecard_json, versions_json
from bscgen.exports import export_outputs
from bscgen.gitlog import git_history
from bscgen.language import Language, language_of
from bscgen.model import Scorecard
from bscgen.outputs import Output
from bscgen.pages import DataStatus, QuarterSite, Results, ReviewInputs
from bscgen.periods import Quarter
from bscgen.plan import Copy, SitePlan
from bscgen.review import commits_shown
from bscgen.render import Placement, copy_outputs, environment, running_header_css
from bscgen.texts import SUMMARY, TextRef, has_commentary, texts_of
from bscgen.themes import Theme, fingerprint
from bscgen.writer import Writer

PRINT_CSS = "running-header.css"  # made per quarter, served like a theme's static file


@dataclass(frozen=True)
class SiteInputs:
    """Everything one site renders from."""

    root: Path
    scorecard: Scorecard
    plan: SitePlan
    history: list[QuarterResult]  # every quarter's results up to the plan's latest
    theme: Theme
    as_of: date = field(default_factory=as_of_date)  # the data status's date


@dataclass(frozen=True)
class _Shared:
    """What every copy of one site shares, made once per site."""

    env: object  # the Jinja2 environment
    language: Language  # the reader's: its messages (gettext), locale and direction
    history: list[Results]
    position: dict[Quarter, int]  # where each quarter's results are in `history`
    page_sets: dict[Quarter, frozenset[str]]  # the pages of each frozen quarter
    review: ReviewInputs
    model: str  # the digest of what every copy is made of besides its quarter's results and texts
    pptx_template: bytes | None
    digest: keys.Digest  # digests the values copies share (each quarter's results) once


def write_site(writer: Writer, inputs: SiteInputs, with_root: bool = True) -> None:
    """Every copy the plan builds (one at a time: memory holds one copy's pages and
    charts), their search bundles, and (with the root) the site's own files."""
    shared = _shared(inputs, writer.digest)  # the results are digested once, for copy and page keys alike
    copies, written, site = inputs.plan.copies(with_root), [], None
    for number, copy in enumerate(copies, start=1):
        made = _write_copy(writer, inputs, shared, copy, site)
        if made is not None:
            site = made
            written.append(copy)
        if writer.progress:
            writer.progress("quarters", number, len(copies))
    _write_search(writer, inputs.scorecard, written)
    if with_root:
        writer.write_files(site_outputs(inputs.plan))


def _shared(inputs: SiteInputs, digest: keys.Digest | None = None) -> _Shared:
    plan, config = inputs.plan, inputs.scorecard.config
    history = [Results.of(r) for r in inputs.history]
    page_sets = {q: frozen_pages(path) for q, path in plan.frozen.items()}
    git = git_history(inputs.root)
    review = ReviewInputs(frozen_records(plan.frozen), git.counted() if inputs.scorecard.partial else git)
    template = (inputs.root / config.pptx_template).read_bytes() if config.pptx_template and config.exports else None
    digest = digest or keys.Digest()
    model = keys.model_digest(digest, inputs.scorecard, template)
    language = replace(language_of(config), translations=catalogs.translations(inputs.root, config.language))
    return _Shared(environment(inputs.theme.dirs, language), language, history, {r.result.quarter: i for i, r in enumerate(history)},
                   page_sets, review, model, template, digest)


def _copy_digest(inputs: SiteInputs, shared: _Shared, copy: Copy, listed: tuple[Quarter, ...]) -> str:
    """What a copy is made of besides its texts: nothing of a quarter after its own."""
    results = [r.result for r in shared.history[: shared.position[copy.quarter] + 1]]
    frozen = {q: shared.page_sets[q] for q in listed if q in shared.page_sets}
    records = {q: r for q, r in shared.review.frozen.items() if q <= copy.quarter}
    commits = commits_shown(shared.review.git, copy.quarter, inputs.scorecard.config.calendar)
    around = [frozen, records, commits, shared.review.git.note, shared.review.git.counted_only]
    return keys.quarter_digest(shared.digest, shared.model, results, listed, around, inputs.scorecard.children,
                               copy.quarter)


def _write_copy(writer: Writer, inputs: SiteInputs, shared: _Shared, copy: Copy,
                site: QuarterSite | None) -> QuarterSite | None:
    """One copy: linked whole, or some or all of its pages made. Returns the
    quarter's pages when it made any (the root reuses the latest quarter's)."""
    scorecard = inputs.scorecard
    texts = texts_of(scorecard, copy.quarter)
    status = DataStatus.of(scorecard, inputs.as_of) if copy.folder == "" else None  # the root's alone
    listed = tuple(q for q in inputs.plan.quarters if not copy.folder or q <= copy.quarter)
    key = keys.copy_key(writer.state.salt, copy.folder, _copy_digest(inputs, shared, copy, listed),
                        (copy.quarter, status and status.as_of), has_commentary(texts))
    redo = writer.state.plan_copy(copy.folder, key, {ref: keys.text_key(d.body) for ref, d in texts.items()})
    if not redo.everything:
        writer.link_copy(copy.folder, except_pages=redo.pages, with_bundles=not redo.pages)
    if redo.nothing:
        return None
    if site is None or site.quarter != copy.quarter:  # the root repeats the latest quarter's folder
        site = QuarterSite(scorecard, shared.history[: shared.position[copy.quarter] + 1], shared.review, texts,
                           shared.language)
    static, assets = copy_static(inputs.theme, scorecard, copy.quarter)
    paths = site.paths()
    placement = Placement(copy.folder, listed, {q: shared.page_sets.get(q) or paths for q in listed},
                          child_copies(scorecard, copy))
    only = None if redo.everything else frozenset(p.removeprefix(copy.folder) for p in redo.pages)
    outputs = copy_outputs(shared.env, site, site.pages(only, status), placement, assets, inputs.root)
    outputs += [o for o in board_pack(scorecard, site, copy, outputs, static, assets, shared.pptx_template)
                if only is None or o.path in redo.pages]
    if redo.everything:
        writer.state.record_uses(copy.folder, {o.path: o.texts for o in outputs if o.texts})
        writer.write_files(copy_files(scorecard, site, copy, static, assets))
    writer.write_pages(outputs)
    return site


def board_pack_files(inputs: SiteInputs, drawer) -> dict[str, bytes]:
    """The latest quarter's board pack alone, made in memory (no page written, no
    cache): what `bench/` times and the board-pack tests read."""
    shared = _shared(inputs)
    scorecard, copy = inputs.scorecard, inputs.plan.copies(with_root=True)[-1]
    site = QuarterSite(scorecard, shared.history[: shared.position[copy.quarter] + 1], shared.review,
                       texts_of(scorecard, copy.quarter), shared.language)
    static, assets = copy_static(inputs.theme, scorecard, copy.quarter)
    listed = inputs.plan.quarters
    placement = Placement(copy.folder, listed, {q: site.paths() for q in listed}, child_copies(scorecard, copy))
    outputs = copy_outputs(shared.env, site, site.pages(frozenset({urls.BRIEFING})), placement, assets, inputs.root)
    pack = board_pack(scorecard, site, copy, outputs, static, assets, shared.pptx_template)
    svgs = drawer.draw({c.key: c.spec for output in pack for c in output.charts})
    return {output.path: output.produce(svgs) for output in pack}


def board_pack(scorecard: Scorecard, site: QuarterSite, copy: Copy, outputs: list[Output],
               static: dict[str, bytes], assets: dict[str, str], template: bytes | None) -> list[Output]:
    """The PDF and PowerPoint briefings of a copy (exports: in bscgen.yaml), made from its briefing page."""
    config = scorecard.config
    briefing = next((o for o in outputs if o.path == copy.folder + urls.BRIEFING), None)
    if not config.exports or briefing is None:
        return []
    summary = site.texts.get(TextRef(SUMMARY))
    files = {assets[name]: data for name, data in static.items()}
    return export_outputs(config, site.language, copy.folder, copy.quarter, site.data.dashboard,
                          summary.body if summary else None, briefing, files, template)


def frozen_records(frozen: dict[Quarter, Path]) -> dict[Quarter, dict]:
    """What each frozen quarter published (its scorecard.json), to find restated values."""
    records = {}
    for quarter, folder in frozen.items():
        try:
            records[quarter] = json.loads((folder / urls.SCORECARD_JSON).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a frozen quarter without a readable scorecard.json has nothing to compare
    return records


def child_copies(scorecard: Scorecard, copy: Copy) -> tuple[str, ...]:
    """The copies of the children built with a scorecard that one of its copies
    searches too: the same quarter's, or the child's root for the site root."""
    return tuple(
        urls.child_site(child.id) + (copy.folder if copy.folder and copy.quarter in child.quarters else "")
        for child in scorecard.children if child.built
    )


def copy_static(theme: Theme, scorecard: Scorecard, quarter: Quarter) -> tuple[dict[str, bytes], dict[str, str]]:
    """A copy's static files by name, and their fingerprinted paths: the theme's,
    and the quarter's print stylesheet."""
    print_css = {PRINT_CSS: running_header_css(scorecard.config, quarter).encode()}
    return {**theme.static, **print_css}, {**theme.assets, **fingerprint(print_css)}


def copy_files(scorecard: Scorecard, site: QuarterSite, copy: Copy, static: dict[str, bytes],
               assets: dict[str, str]) -> list[Output]:
    """The files of one copy besides its pages: scorecard.json and .csv, initiatives.csv, static files."""
    result = site.now.result
    return [
        Output.file(urls.inside(copy.folder, urls.SCORECARD_JSON), scorecard_json(scorecard.config, result, scorecard.audience)),
        Output.file(urls.inside(copy.folder, urls.SCORECARD_CSV), scorecard_csv(result)),
        Output.file(urls.inside(copy.folder, urls.INITIATIVES_CSV), initiatives_csv(result)),
        *(Output.file(urls.inside(copy.folder, assets[name]), data) for name, data in static.items()),
    ]


def site_outputs(plan: SitePlan) -> list[Output]:
    """The files of the site as a whole: versions.json and the frozen quarters."""
    outputs = [Output.file(urls.VERSIONS, versions_json(plan.quarters))]
    for quarter, path in plan.frozen.items():
        folder = urls.copy_folder(quarter)
        outputs += [Output.file(urls.inside(folder, name), content) for name, content in frozen_files(path).items()]
    return outputs


def _write_search(writer: Writer, scorecard: Scorecard, copies: list[Copy]) -> None:
    """The search bundles of the copies written anew: each distinct bundle is
    linked from the previous site if it had it, else indexed once in this build."""
    if not copies:
        return
    catalogue = search.catalogue(scorecard)
    wanted = {}  # bundle folder in the site -> its pages
    for copy in copies:
        wanted[urls.inside(copy.folder, search.CATALOGUE)] = catalogue
        commentary = search.commentary(scorecard, copy.quarter)
        if commentary:  # Pagefind writes no index at all for no pages
            wanted[urls.inside(copy.folder, search.COMMENTARY)] = commentary
    first: dict[str, str] = {}  # bundle key -> the folder it is indexed into
    made_here = []
    for folder, pages in wanted.items():
        key = keys.bundle_key(writer.state.salt, pages)
        if not writer.link_bundle(folder, key):
            made_here.append((folder, key, first.setdefault(key, folder)))
    search.build_bundles({writer.staging / folder: wanted[folder] for folder, _, source in made_here if folder == source},
                         writer.progress)
    for folder, key, source in made_here:
        writer.adopt_bundle(folder, key, None if folder == source else writer.staging / source)
