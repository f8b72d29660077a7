"""Accessibility of every page type: status words, chart names, axe-core.

Each page type, at the root and in a past quarter, is opened once and
checked for: status never told by colour alone, every chart and the map
named for screen readers, and (axe-core) no serious or critical violation.

axe-core comes from npm (CI: `npm install --no-save --no-audit --no-fund
axe-core@4` in the repository root, which leaves node_modules/axe-core/
axe.min.js); AXE_CORE_JS may point at another copy. Without it, the page
tests still make their own checks and then skip (with the reason) instead
of running axe; when CI is set they fail instead.

axe is injected with page.add_script_tag(path=...), which adds an *inline*
script: the site's Content-Security-Policy (script-src 'self') would block
it. So the axe tests use a context with bypass_csp=True; the CSP itself is
tested in test_pages.py.
"""

from __future__ import annotations

import pytest

from tests.e2e.support import PAGES, PAST, ROOT_ONLY, at, require_axe

FAIL_ON = ("serious", "critical")
STATUS_LABELS = ("On track", "At risk", "Off track", "No data")
ALL_PAGES = [(kind, quarter) for kind in PAGES for quarter in ("", PAST) if not (quarter and kind in ROOT_ONLY)]
IDS = [f"{kind}-{quarter or 'latest'}" for kind, quarter in ALL_PAGES]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:4]]
        more = f" (+{len(v['nodes']) - 4} more)" if len(v["nodes"]) > 4 else ""
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes){more}\n      " + "\n      ".join(targets))
    return "\n  ".join(lines)


def run_axe(page, known: dict[str, str] | None = None, rules: list[str] | None = None) -> list[dict]:
    """axe.run() on the open page; its violations as plain data.

    known: rule id -> CSS selector of nodes with a known, reported problem
    (each has its own xfail test below); those nodes are left out.
    rules: run only these rules.
    """
    page.add_script_tag(path=str(require_axe()))
    return page.evaluate(
        """async ([known, rules]) => {
          const options = {resultTypes: ['violations'], elementRef: true};
          if (rules) options.runOnly = {type: 'rule', values: rules};
          const result = await axe.run(document, options);
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes
              .filter(n => !(known[v.id] && n.element && n.element.matches(known[v.id])))
              .map(n => ({target: n.target, html: n.html.slice(0, 120)})),
          })).filter(v => v.nodes.length);
        }""",
        [known or {}, rules],
    )


# Problems found and reported, outside the tests' reach, to leave out of the
# general axe runs while they are open (rule id -> selector). None are open:
# the strategy map is role=group, and the search input has an aria-label.
KNOWN: dict[str, str] = {}


STATUS_TEXTS = """els => els.map(el => {
  // the text a reader sees and a screen reader reads: not the aria-hidden icon
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('[aria-hidden="true"], .visually-hidden')) text += node.textContent;
  }
  return {text: text.replace(/\\s+/g, ' ').trim(), html: el.outerHTML.slice(0, 160)};
})"""

SVG_NAMES = """svgs => svgs.map(svg => ({
  where: svg.closest('figure').id || svg.closest('figure').className,
  chart: svg.closest('figure').classList.contains('chart'),
  role: svg.getAttribute('role'),
  refs: (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean).map(id => {
    const el = document.getElementById(id);
    return {id, tag: el && el.tagName.toLowerCase(), text: el ? el.textContent.trim() : null};
  }),
}))"""


def check_status_words(page, path: str, kind: str) -> None:
    """Every .status says On track / At risk / Off track / No data in words
    (besides its colour and its aria-hidden icon)."""
    statuses = page.locator(".status").evaluate_all(STATUS_TEXTS)
    for item in statuses:
        assert item["text"] in STATUS_LABELS, f"{path}: a status without its label: {item['html']}"
    if kind in ("home", "perspective", "objective", "kpi", "briefing"):
        assert statuses, f"{path}: no .status at all"


def check_svg_names(page, path: str, kind: str) -> None:
    """Every chart svg has role=img and aria-labelledby naming its <title>
    and <desc>, both with text; the strategy map is named the same way."""
    svgs = page.locator("figure.chart > svg, figure.strategy-map > svg").evaluate_all(SVG_NAMES)
    for svg in svgs:
        where = f"{path} {svg['where']}"
        if svg["chart"]:
            assert svg["role"] == "img", f"{where}: role={svg['role']!r}"
        else:  # the map holds links: it may (and should) drop role=img, but keep its name
            assert svg["role"] not in ("presentation", "none"), f"{where}: role={svg['role']!r}"
        tags = sorted(ref["tag"] or f"missing #{ref['id']}" for ref in svg["refs"])
        assert tags == ["desc", "title"], f"{where}: aria-labelledby should name its <title> and <desc>: {svg['refs']}"
        for ref in svg["refs"]:
            assert ref["text"], f"{where}: #{ref['id']} is empty"
    expected = {"perspective": 2, "objective": 2, "kpi": 1, "briefing": 8, "home": 1, "strategy-map": 1}
    assert len(svgs) >= expected.get(kind, 0), f"{path}: {len(svgs)} named charts or maps"


@pytest.mark.parametrize("kind, quarter", ALL_PAGES, ids=IDS)
def test_page_is_accessible(open_page, example_url, kind, quarter):
    """Status words, chart names, then axe: nothing serious or critical.

    One visit per page for all three. The context bypasses the CSP so axe
    can be injected (see the module docstring).
    """
    watched = open_page(example_url, bypass_csp=True, viewport={"width": 1280, "height": 800})
    path = at(kind, quarter)
    watched.goto(path)
    check_status_words(watched.page, path, kind)
    check_svg_names(watched.page, path, kind)

    results = run_axe(watched.page, KNOWN)  # skips here without axe-core (after the checks above)
    serious = [v for v in results if v["impact"] in FAIL_ON]
    others = [v for v in results if v["impact"] not in FAIL_ON]
    if others:  # reported (pytest -rP shows them), not failed
        print(f"\n{path}: axe, minor/moderate:\n  {describe(others)}")
    assert not serious, f"{path}: axe found serious or critical problems:\n  {describe(serious)}"
    watched.assert_clean(path)


@pytest.mark.parametrize("path", ["strategy-map/index.html", "index.html"])
def test_axe_strategy_map_links_are_reachable(open_page, example_url, axe_source, path):
    watched = open_page(example_url, bypass_csp=True)
    watched.goto(path)
    results = run_axe(watched.page, rules=["nested-interactive"])
    assert not results, describe(results)


def test_axe_search_input_has_a_label(open_page, example_url, axe_source):
    watched = open_page(example_url, bypass_csp=True)
    watched.goto("index.html")
    results = run_axe(watched.page, rules=["label-title-only"])
    assert not results, describe(results)
