"""A restricted audience view in a real browser (SPEC 17): the example's staff
view, served with production's headers, passes the same gates as the full
site: status in words, no console errors, and axe-core finds no serious or
critical violation."""

from __future__ import annotations

import pytest

from bscgen import site
from tests.e2e.server import serve
from tests.e2e.test_accessibility import FAIL_ON, KNOWN, check_status_words, describe, require_axe, run_axe

PAGES = ("index.html", "objectives/L2/index.html", "changes/index.html", "strategy-map/index.html",
         "initiatives/index.html")


@pytest.fixture(scope="module")
def staff_site(example_site):
    """The example's staff view, latest quarter only (charts from the example build's cache)."""
    root = example_site.parent
    out = root.parent / "site-staff"
    site.build(root, out, audience="staff", latest_only=True)
    return out


@pytest.fixture(scope="module")
def staff_url(staff_site):
    with serve(staff_site) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_the_staff_view_passes_the_browser_and_axe_gates(open_page, staff_url, path):
    require_axe()
    watched = open_page(staff_url, bypass_csp=True)
    watched.goto(path)
    kind = "home" if path == "index.html" else path.split("/")[0].rstrip("s")
    check_status_words(watched.page, path, kind)
    serious = [v for v in run_axe(watched.page, KNOWN) if v["impact"] in FAIL_ON]
    assert not serious, f"{path}:\n  {describe(serious)}"
    watched.assert_clean(path)
    text = watched.page.inner_text("body")
    assert "Keep IT spending" not in text and "Staff turnover" not in text
    if path == "index.html":
        assert "computed without the items reserved for other audiences" in text
