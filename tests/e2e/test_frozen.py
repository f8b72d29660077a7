"""A quarter frozen long ago still reaches the quarters published after it.

The scenario: 2024-Q4 was frozen when 2025-Q1 was the latest quarter (its
pages list 2024-Q3 .. 2025-Q1 only). The example is then built in full with
that frozen folder in archive/2024-Q4/, so site/2024-Q4/ is the old copy,
verbatim. In the browser its switcher must offer the quarters from
versions.json (up to 2026-Q3), keep the past-quarter banner, and go to a
page that exists in the chosen quarter (or that quarter's home).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.server import serve
from tests.e2e.support import FROZEN, MISSING, navigate

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or, in CI, fails) with the reason
    expect = None


@pytest.fixture(scope="module")
def frozen_site(background_sites):
    """Built in the background (see conftest.py) by support.prepare_frozen."""
    return background_sites.result("frozen_site")


@pytest.fixture(scope="module")
def frozen_url(frozen_site):
    with serve(frozen_site) as url:
        yield url


def test_frozen_page_was_built_knowing_only_its_own_time(frozen_site):
    html = (frozen_site / FROZEN / "index.html").read_text(encoding="utf-8")
    # a quarter's copy lists the quarters up to its own (later ones come from versions.json)
    assert re.findall(r'data-quarter="(\d{4}-Q\d)"', html.split("<select", 1)[1].split("</select>", 1)[0]) == [
        "2024-Q4", "2024-Q3",
    ]
    assert "(latest)" not in html
    versions = json.loads((frozen_site / "versions.json").read_text())
    assert versions[0]["version"] == "2026-Q3" and len(versions) == 9


def test_frozen_switcher_offers_later_quarters(open_page, frozen_url, frozen_site):
    versions = json.loads((frozen_site / "versions.json").read_text())
    watched = open_page(frozen_url)
    watched.goto(f"{FROZEN}/index.html")
    page = watched.page
    options = page.locator("#quarter-select option")
    expect(options).to_have_count(len(versions))
    assert options.evaluate_all("os => os.map(o => o.dataset.quarter)") == [v["version"] for v in versions]
    labels = options.all_text_contents()
    assert [label for label in labels if "(latest)" in label] == ["2026 Q3 (latest)"], labels
    assert page.locator("#quarter-select").evaluate("s => s.options[s.selectedIndex].dataset.quarter") == FROZEN

    banner = page.locator("#old-quarter-banner")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text("You are viewing 2024 Q4")
    expect(banner.get_by_role("link")).to_have_attribute("href", re.compile(r"(\.\./)+index\.html$"))

    latest = page.locator('#quarter-select option[data-quarter="2026-Q3"]').get_attribute("value")
    navigate(watched, lambda: page.locator("#quarter-select").select_option(value=latest))
    assert page.url == frozen_url + "2026-Q3/index.html"
    expect(page.locator(".quarter-label strong")).to_have_text("2026 Q3")
    expect(page.locator("#old-quarter-banner")).to_contain_text("You are viewing 2026 Q3 as published")
    watched.assert_clean()


def test_frozen_switcher_falls_back_to_the_quarters_home(open_page, frozen_url):
    """A page the chosen quarter does not have: the HEAD check sends the reader to its home."""
    watched = open_page(frozen_url)
    watched.goto(f"{FROZEN}/objectives/C1/index.html")
    page = watched.page

    later = page.locator('#quarter-select option[data-quarter="2026-Q1"]')
    expect(later).to_have_attribute("data-checked", "no")
    navigate(watched, lambda: page.locator("#quarter-select").select_option(value=later.get_attribute("value")))
    assert page.url == frozen_url + "2026-Q1/objectives/C1/index.html"  # exists: the same page

    watched.goto(f"{FROZEN}/objectives/C1/index.html")
    missing = page.locator('#quarter-select option[data-quarter="2026-Q2"]').get_attribute("value")
    navigate(watched, lambda: page.locator("#quarter-select").select_option(value=missing))
    assert page.url == frozen_url + "2026-Q2/index.html"
    # the HEAD probe's 404 is the expected way to find out; nothing else may fail
    watched.allow_not_found(MISSING)
    watched.assert_clean()


def test_frozen_quarter_without_javascript(open_page, frozen_url):
    watched = open_page(frozen_url, java_script_enabled=False)
    watched.goto(f"{FROZEN}/index.html", switcher=False)
    page = watched.page
    expect(page.locator("#quarter-switcher")).to_be_hidden()
    expect(page.locator("#old-quarter-banner")).to_be_visible()
    watched.navigate(lambda: page.get_by_role("link", name="All quarters").click(), switcher=False)
    # a quarter's copy lists the quarters up to its own, and links the site's full list
    expect(page.locator("ul.quarters li")).to_have_count(2)
    expect(page.get_by_role("link", name="the site's list of quarters")).to_be_visible()
    watched.assert_clean()
