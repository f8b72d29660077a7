"""Search in a browser: the box finds a known objective in the quarter being viewed."""

import re

import pytest
from playwright.sync_api import expect

PAST = "2025-Q2"


@pytest.mark.parametrize("path, prefix", [("index.html", "/"), (f"{PAST}/kpis/cloud-cost/index.html", f"/{PAST}/")])
def test_search_finds_a_known_objective_in_this_quarter(open_page, example_url, path, prefix):
    watched = open_page(example_url)
    watched.goto(path)
    page = watched.page
    search = page.locator("#search input")
    expect(search).to_be_visible()
    expect(search).to_have_attribute("aria-label", "Search this quarter")
    search.fill("reliable business services")
    first = page.locator(".pagefind-ui__result-link").first
    expect(first).to_have_text("C1 Deliver reliable business services", timeout=10_000)
    href = first.get_attribute("href")
    assert href == f"{prefix}objectives/C1/index.html", href
    first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"{prefix}objectives/C1/index.html")
    watched.assert_clean()


def test_search_box_explains_itself_when_opened_from_disk(browser, example_site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((example_site / "index.html").as_uri())
        expect(page.locator("#search-offline")).to_be_visible()
        expect(page.locator("#search")).to_be_hidden()
    finally:
        context.close()


def _results(page, term: str) -> dict[str, str]:
    page.locator("#search input").fill(term)
    message = page.locator(".pagefind-ui__message")
    expect(message).to_have_text(re.compile(rf"(\d+ results?|No results) for {term}"), timeout=10_000)
    found = re.match(r"(\d+) results?", message.inner_text())
    shown = min(int(found.group(1)), 5) if found else 0  # the UI shows five at first
    expect(page.locator(".pagefind-ui__result-link")).to_have_count(shown, timeout=10_000)
    return {a.inner_text(): a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()}


def test_search_finds_the_commentary_of_the_quarter_viewed(open_page, example_url):
    # Only 2026-Q2's commentary mentions the hyperscaler.
    watched = open_page(example_url)
    watched.goto("2026-Q2/index.html")
    results = _results(watched.page, "hyperscaler")
    assert results["L2 Retain and engage IT talent: commentary, 2026 Q2"] == "/2026-Q2/objectives/L2/index.html"
    watched.goto("index.html")
    assert not any("commentary" in title for title in _results(watched.page, "hyperscaler"))
    watched.goto("2025-Q2/index.html")  # a quarter without commentary searches the catalogue alone
    assert "C1 Deliver reliable business services" in _results(watched.page, "reliable")
    watched.assert_clean()


@pytest.mark.parametrize("path, child_copy", [("index.html", "scorecards/infra/"), (f"{PAST}/index.html", f"scorecards/infra/{PAST}/")])
def test_search_covers_the_child_scorecards_built_with_the_site(open_page, example_url, path, child_copy):
    watched = open_page(example_url)
    watched.goto(path)
    results = _results(watched.page, "platforms")
    assert results["I1 Keep the core platforms available"] == f"/{child_copy}objectives/I1/index.html"
    watched.assert_clean()
