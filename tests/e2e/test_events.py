"""Events on charts (SPEC 20) in a browser, on a desktop and on a phone: the labels
above a chart never overlap each other and stay on the chart, a numbered chart
shows its key, the event list is readable, and axe-core finds no serious or
critical violation on a KPI page with events."""

from __future__ import annotations

import pytest

from tests.e2e.test_accessibility import FAIL_ON, describe, run_axe
from tests.e2e.test_pages import DESKTOP, MOBILE, READABLE_PX, SMALLEST_SVG_TEXT

LABELS = """(selector) => {
  const svg = document.querySelector(selector + ' svg');
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('.event_labels_start_marks text, .event_labels_end_marks text')]
    .map(t => { const r = t.getBoundingClientRect(); return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push([a.text, b.text]);
    }
  const outside = boxes.filter(b => b.left < frame.left - 0.5 || b.right > frame.right + 0.5 || b.top < frame.top - 0.5);
  return {labels: boxes.map(b => b.text), overlaps, outside,
          rules: svg.querySelectorAll('.event_days_marks line').length,
          key: [...document.querySelectorAll(selector + ' .event-key li')].map(li => li.textContent),
          events: document.querySelectorAll('.event-list > li').length,
          page_overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""

PAGES = [
    # (page, chart, labels drawn, numbered key entries)
    ("kpis/tier1-availability/index.html", "#chart-tier1-availability", ["Data centre outage"], 0),
    ("kpis/first-contact-resolution/index.html", "#chart-first-contact-resolution", ["1", "2"], 2),
    ("perspectives/customer/index.html", "#chart-customer-trend", None, 0),
]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_event_labels_never_overlap_and_pages_with_events_pass_axe(open_page, example_url, axe_source, screenshots,
                                                                    viewport):
    watched = open_page(example_url, bypass_csp=True, **viewport)
    phone = viewport is MOBILE
    for path, chart, labels, keyed in PAGES:
        watched.goto(path)
        page = watched.page
        found = page.evaluate(LABELS, chart)
        assert not found["overlaps"] and not found["outside"], found
        assert found["labels"], found
        if labels is not None:
            assert sorted(found["labels"]) == labels, found
        assert len(found["key"]) == keyed and found["events"] >= 1, found
        assert found["page_overflow"] <= 0, found  # a chart scrolls in its own box on a phone
        smallest = page.evaluate(SMALLEST_SVG_TEXT)
        assert smallest is None or smallest[0] >= READABLE_PX, smallest
        if path.startswith("kpis/first"):
            violations = [v for v in run_axe(page) if v["impact"] in FAIL_ON]
            assert not violations, describe(violations)
            page.screenshot(path=str(screenshots / f"events-{'390' if phone else '1280'}.png"), full_page=True)
    watched.assert_clean()
