"""Nothing moves once a page has loaded: Cumulative Layout Shift < 0.02 on every
page type, on a desktop and a phone (Lighthouse's CLS, measured with a
PerformanceObserver of layout-shift entries)."""

import pytest

from tests.e2e.support import PAGES

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
MOBILE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1}
LIMIT = 0.02

# Installed before any page script: sums every shift not caused by input.
OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_no_layout_shift_on_any_page_type(open_page, example_url, viewport):
    watched = open_page(example_url, **viewport)
    watched.page.context.add_init_script(OBSERVER)
    shifts = {}
    for kind, path in PAGES.items():
        watched.goto(path)
        watched.page.wait_for_selector("#search input", state="attached")  # Pagefind's box is in
        watched.page.wait_for_timeout(500)  # and whatever it moves has moved
        shifts[kind] = watched.page.evaluate("window.__cls")
    moved = {kind: round(value, 4) for kind, value in shifts.items() if value >= LIMIT}
    assert not moved, f"layout shift of {LIMIT} or more: {moved}"
    watched.assert_clean()
