"""The portfolio page (SPEC 19) in a browser, on a desktop and on a phone: axe-core
finds no serious or critical violation, the timeline is drawn with readable text
and its quarter line, and the wide table scrolls inside its own box, not the page."""

from __future__ import annotations

import pytest

from tests.e2e.support import at
from tests.e2e.test_accessibility import FAIL_ON, describe, run_axe
from tests.e2e.test_pages import DESKTOP, MOBILE, READABLE_PX, SMALLEST_SVG_TEXT

MEASURE = """() => {
  const box = document.querySelector('.table-scroll');
  const timeline = document.querySelector('#chart-portfolio-timeline svg').getBoundingClientRect();
  return {
    page_overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    box_scrolls: box.scrollWidth > box.clientWidth,
    box_inside: box.getBoundingClientRect().right <= document.documentElement.clientWidth + 0.5,
    table_rows: box.querySelectorAll('tbody tr').length,
    totals: box.querySelector('tfoot th').textContent.trim(),
    timeline_width: timeline.width, timeline_height: timeline.height,
  };
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_the_portfolio_page_in_a_browser(open_page, example_url, axe_source, screenshots, viewport):
    watched = open_page(example_url, bypass_csp=True, **viewport)
    watched.goto(at("initiatives"))
    page = watched.page
    found = page.evaluate(MEASURE)
    phone = viewport is MOBILE
    assert found["page_overflow"] <= 0, found
    assert found["box_inside"], found
    assert found["box_scrolls"] is phone, found  # twelve columns fit a desktop, not a phone
    assert found["table_rows"] == 6 and found["totals"] == "Total"
    assert found["timeline_width"] > 300 and found["timeline_height"] > 150, found
    smallest = page.evaluate(SMALLEST_SVG_TEXT)
    assert smallest is None or smallest[0] >= READABLE_PX, smallest
    violations = [v for v in run_axe(page) if v["impact"] in FAIL_ON]
    assert not violations, describe(violations)
    page.screenshot(path=str(screenshots / f"portfolio-{'390' if phone else '1280'}.png"), full_page=True)
    watched.assert_clean()
