"""The example site in a real browser, served with production's headers.

Every page type, at the site root (the latest quarter) and in a past
quarter's folder, loads with no console error, no script error, no failed
request, nothing from another host and no Content-Security-Policy violation;
its charts and strategy map are drawn; the quarter switcher, the past-quarter
banner, the strategy map's links and the print stylesheet work.
"""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urljoin

import pytest

from tests.e2e.support import PAGES, PAST, ROOT_ONLY, at, assert_drawn, navigate, title

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or, in CI, fails) with the reason
    expect = None

WITH_CHARTS = {"perspective", "objective", "kpi", "briefing", "child-objective", "initiatives"}
WITH_MAP = {"home", "strategy-map"}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
MOBILE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}

# The smallest text in the page's charts and strategy map, in CSS px as drawn:
# its font size times the factor the svg is scaled by to fit the page.
SMALLEST_SVG_TEXT = """() => {
  let smallest = Infinity, where = null;
  for (const svg of document.querySelectorAll('figure.chart > svg, figure.strategy-map > svg')) {
    const box = svg.viewBox.baseVal;
    const natural = box && box.width ? box.width : svg.width.baseVal.value;
    const scale = svg.getBoundingClientRect().width / natural;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < smallest) { smallest = size; where = (svg.closest('figure').id || 'strategy map') + ': ' + text.textContent.trim().slice(0, 30); }
    }
  }
  return where ? [Math.round(smallest * 10) / 10, where] : null;
}"""
READABLE_PX = 9


@pytest.fixture(scope="module")
def versions(example_site) -> list[dict]:
    return json.loads((example_site / "versions.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def latest(versions) -> str:
    (entry,) = [v for v in versions if "latest" in v.get("aliases", [])]
    return entry["version"]


# --- every page type, latest and past quarter ---------------------------------


@pytest.mark.parametrize("quarter", ["", PAST], ids=["latest", PAST])
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_loads_cleanly(open_page, example_url, screenshots, latest, kind, quarter):
    if quarter and kind in ROOT_ONLY:
        pytest.skip(f"{kind} is at the site root only")
    watched = open_page(example_url, **DESKTOP)
    path = at(kind, quarter)
    watched.goto(path)
    page = watched.page

    expect(page.locator("#quarter-switcher")).to_be_visible()  # the script ran under the CSP
    expect(page.locator(".quarter-label strong")).to_have_text(title(quarter or latest))
    banner = page.locator("#old-quarter-banner")
    expect(banner).to_have_count(1 if quarter else 0)

    if kind in WITH_CHARTS:
        assert_drawn(page, "figure.chart svg")
    else:
        expect(page.locator("figure.chart svg")).to_have_count(0)
    if kind in WITH_MAP:
        assert_drawn(page, ".strategy-map svg")
        expect(page.locator(".strategy-map a.map-objective").first).to_be_visible()
    # the stylesheet applied (a CSP or MIME problem would leave it unstyled)
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") != "rgba(0, 0, 0, 0)"
    smallest = page.evaluate(SMALLEST_SVG_TEXT)  # readable at 1280 px
    assert smallest is None or smallest[0] >= READABLE_PX, f"{path}: svg text smaller than {READABLE_PX} px: {smallest}"
    if not quarter:  # for people to look at: tests/e2e/screenshots/
        page.screenshot(path=str(screenshots / f"{kind}-1280.png"), full_page=True)

    watched.assert_clean(path)


def test_headers_are_production_headers(example_url, example_site):
    """The test server really sends netlify.toml's policy (so the CSP checks mean something)."""
    with urllib.request.urlopen(example_url + "index.html") as response:
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers.get("Cache-Control") is None
    asset = next((example_site / PAST / "static").glob("switcher.*.js")).name
    with urllib.request.urlopen(f"{example_url}{PAST}/static/{asset}") as response:
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["Content-Security-Policy"] == csp
    with urllib.request.urlopen(example_url + "versions.json") as response:
        assert response.headers["Cache-Control"] == "no-cache"


def test_csp_violations_are_detected(open_page, example_url, example_site, tmp_path):
    """The watcher notices an inline script blocked by the policy (guards the guard)."""
    from tests.e2e.server import serve

    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang=en><title>t</title><p>x</p><script>document.title='ran'</script>"
    )
    with serve(tmp_path) as url:
        watched = open_page(url)
        watched.goto("index.html", switcher=False)
        assert watched.page.title() == "t"
        assert any(v.get("directive", "").startswith("script-src") for v in watched.csp), watched.problems()


# --- the quarter switcher ------------------------------------------------------


@pytest.mark.parametrize("base, objective", [("", "C1"), ("scorecards/infra/", "I1")], ids=["site", "child-sub-site"])
def test_switcher_moves_to_the_same_page_in_another_quarter_and_back(open_page, example_url, latest, base, objective):
    watched = open_page(example_url)
    watched.goto(f"{base}objectives/{objective}/index.html")
    page = watched.page
    expect(page.locator("#quarter-switcher")).to_be_visible()
    select = page.locator("#quarter-select")

    past = select.locator(f'option[data-quarter="{PAST}"]').get_attribute("value")
    navigate(watched, lambda: select.select_option(value=past))
    assert page.url.endswith(f"/{base}{PAST}/objectives/{objective}/index.html"), page.url
    expect(page.locator(".quarter-label strong")).to_have_text(title(PAST))
    expect(page.locator("h1")).to_contain_text(objective)
    expect(page.locator("#old-quarter-banner")).to_contain_text(f"You are viewing {title(PAST)}")

    newest = select.locator(f'option[data-quarter="{latest}"]').get_attribute("value")
    navigate(watched, lambda: select.select_option(value=newest))
    assert page.url.endswith(f"/{base}{latest}/objectives/{objective}/index.html"), page.url
    expect(page.locator(".quarter-label strong")).to_have_text(title(latest))
    # the latest quarter's own folder is a copy as published too (the site's home is the latest)
    expect(page.locator("#old-quarter-banner")).to_contain_text(f"You are viewing {title(latest)} as published")
    expect(select).to_have_value(newest)
    watched.assert_clean()


@pytest.mark.parametrize("path", ["objectives/C1/index.html", f"{PAST}/kpis/tier1-availability/index.html"])
def test_switcher_lists_every_quarter(open_page, example_url, versions, latest, path):
    watched = open_page(example_url)
    watched.goto(path)
    options = watched.page.locator("#quarter-select option")
    expect(options).to_have_count(len(versions))
    assert len(versions) == 9  # the example's quarters, 2024-Q3 .. 2026-Q3
    assert options.evaluate_all("os => os.map(o => o.dataset.quarter)") == [v["version"] for v in versions]
    current = PAST if path.startswith(PAST) else latest
    assert watched.page.locator("#quarter-select").evaluate("s => s.options[s.selectedIndex].dataset.quarter") == current
    labels = options.all_text_contents()
    assert [label for label in labels if "(latest)" in label] == [f"{title(latest)} (latest)"]
    watched.assert_clean()


def test_past_quarter_banner_links_to_the_latest(open_page, example_url, latest):
    watched = open_page(example_url)
    watched.goto(f"{PAST}/objectives/C1/index.html")
    page = watched.page
    banner = page.locator("#old-quarter-banner")
    expect(banner).to_have_count(1)  # the script keeps the built one, adds none
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"You are viewing {title(PAST)}")
    navigate(watched, lambda: banner.get_by_role("link", name="go to the latest quarter").click())
    assert page.url == example_url + "index.html"  # the site's home: always the latest quarter
    expect(page.locator(".quarter-label strong")).to_have_text(title(latest))
    expect(page.locator("#old-quarter-banner")).to_have_count(0)
    watched.assert_clean()


# --- strategy map ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, objective, expected",
    [
        ("index.html", "F1", "objectives/F1/index.html"),
        ("strategy-map/index.html", "C1", "objectives/C1/index.html"),
        (f"{PAST}/strategy-map/index.html", "L1", f"{PAST}/objectives/L1/index.html"),
    ],
)
def test_strategy_map_box_opens_its_objective(open_page, example_url, path, objective, expected):
    watched = open_page(example_url, **DESKTOP)
    watched.goto(path)
    page = watched.page
    box = page.locator(f'a.map-objective[href$="objectives/{objective}/index.html"]')
    expect(box).to_have_count(1)
    navigate(watched, lambda: box.click())
    assert page.url == example_url + expected
    expect(page.locator("h1")).to_contain_text(objective)
    watched.assert_clean()


def test_every_strategy_map_link_exists(open_page, example_url):
    watched = open_page(example_url)
    for path in ("index.html", "strategy-map/index.html", f"{PAST}/index.html"):
        watched.goto(path)
        hrefs = watched.page.locator("a.map-objective").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert len(hrefs) >= 10, path
        for href in hrefs:
            target = urljoin(watched.url(path), href)
            request = urllib.request.Request(target, method="HEAD")
            try:
                with urllib.request.urlopen(request) as response:
                    assert response.status == 200
            except HTTPError as error:  # pragma: no cover - the failure message
                pytest.fail(f"{path}: map link {href} -> {error.code}")
    watched.assert_clean()


# --- print ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["index.html", "briefing/index.html", f"{PAST}/briefing/index.html"])
def test_print_hides_navigation(open_page, example_url, path):
    watched = open_page(example_url, **DESKTOP)
    watched.goto(path)
    page = watched.page
    expect(page.locator(".site-nav")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    # the running header: an @page margin box whose text this quarter's print stylesheet sets
    rules = page.evaluate("""() => [...document.styleSheets]
        .filter(sheet => sheet.href && sheet.href.includes('running-header.'))
        .flatMap(sheet => [...sheet.cssRules].map(rule => rule.cssText))""")
    assert any(re.search(r"@top-left.*\d{4} Q\d", rule) for rule in rules), rules
    assert page.pdf(format="A4").startswith(b"%PDF")
    if "briefing" in path:
        assert_drawn(page, "figure.chart svg", minimum=4)
    else:
        assert_drawn(page, ".strategy-map svg")
    watched.assert_clean()


# --- without JavaScript ----------------------------------------------------------


def test_all_quarters_works_without_javascript(open_page, example_url, versions):
    watched = open_page(example_url, java_script_enabled=False)
    watched.goto(f"{PAST}/objectives/C1/index.html", switcher=False)
    page = watched.page
    expect(page.locator("#quarter-switcher")).to_be_hidden()
    expect(page.locator("#old-quarter-banner")).to_be_visible()  # built in, not added by the script
    link = page.get_by_role("link", name="All quarters")
    expect(link).to_be_visible()
    watched.navigate(link.click, switcher=False)
    assert page.url == example_url + f"{PAST}/quarters/index.html"
    # a past quarter's copy lists the quarters up to its own, and links the site's full list
    entries = page.locator("ul.quarters li")
    expect(entries).to_have_count(len([v for v in versions if v["version"] <= PAST]))
    assert entries.all_text_contents()[0].startswith(title(PAST))
    watched.navigate(page.get_by_role("link", name="the site's list of quarters").click, switcher=False)
    assert page.url == example_url + "quarters/index.html"
    expect(entries).to_have_count(len(versions))
    assert entries.all_text_contents()[0].startswith(title(versions[0]["version"]))  # the root: this quarter
    expect(page.locator("#quarter-switcher")).to_be_hidden()
    latest_link = page.locator("ul.quarters").get_by_role("link", name=title(versions[1]["version"]), exact=True)
    watched.navigate(latest_link.click, switcher=False)
    assert page.url == example_url + f"{versions[1]['version']}/index.html"
    watched.assert_clean()


# --- mobile (screenshots for people to look at: tests/e2e/screenshots/) ----------


@pytest.mark.parametrize("kind", list(PAGES))
def test_mobile(open_page, example_url, screenshots, kind):
    """At 390 px (a phone), the page loads cleanly; its screenshot is saved
    (the 1280 px ones are taken by test_page_loads_cleanly)."""
    watched = open_page(example_url, **MOBILE)
    watched.goto(PAGES[kind])
    watched.page.screenshot(path=str(screenshots / f"{kind}-390.png"), full_page=True)
    watched.assert_clean()


def visit_all_at_390(open_page, example_url, script: str) -> dict[str, object]:
    """Run a measuring script on every page type at 390 px; {kind: result}."""
    watched = open_page(example_url, **MOBILE)
    found = {}
    for kind, path in PAGES.items():
        watched.goto(path)
        found[kind] = watched.page.evaluate(script)
    watched.assert_clean()
    return found


def test_no_horizontal_scrolling_on_a_phone(open_page, example_url):
    widths = visit_all_at_390(
        open_page, example_url, "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wider = {kind: f"{extra} px too wide" for kind, extra in widths.items() if extra > 0}
    assert not wider, wider


def test_the_header_leaves_most_of_a_phone_screen_to_the_page(open_page, example_url):
    # The navigation scrolls sideways as a row of tabs instead of stacking up.
    heights = visit_all_at_390(
        open_page, example_url, "() => document.querySelector('header.site-header').getBoundingClientRect().height"
    )
    tall = {kind: f"{height:.0f} px" for kind, height in heights.items() if height > 844 / 4}
    assert not tall, f"header taller than a quarter of the screen: {tall}"




def test_chart_and_map_text_readable_on_a_phone(open_page, example_url):
    smallest = visit_all_at_390(open_page, example_url, SMALLEST_SVG_TEXT)
    tiny = {kind: found for kind, found in smallest.items() if found and found[0] < READABLE_PX}
    assert not tiny, f"svg text smaller than {READABLE_PX} px at 390 px wide: {tiny}"
