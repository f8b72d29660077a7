"""The year-end projection in a real browser: the KPI chart draws the dashed
projected line and the shaded interval band, on screen and in print, inside
the one chart of the KPI (SPEC 13)."""

from __future__ import annotations

import json

import pytest

from tests.e2e.support import assert_drawn

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or, in CI, fails) with the reason
    expect = None

KPI = "csat"  # on track in the example's latest quarter, but projected to miss
BAND = f"figure#chart-{KPI} svg g.projection_band_marks path"
LINE = f"figure#chart-{KPI} svg g.projection_line_marks path"


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_kpi_chart_draws_the_projection(open_page, example_url, example_site, media):
    data = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    (kpi,) = [k for p in data["perspectives"] for o in p["objectives"] for k in o["kpis"] if k["id"] == KPI]
    assert kpi["projection"] is not None
    watched = open_page(example_url, viewport={"width": 1280, "height": 800})
    watched.goto(f"kpis/{KPI}/index.html")
    page = watched.page
    page.emulate_media(media=media)
    expect(page.locator("figure.chart")).to_have_count(1)  # no second chart for the projection
    assert_drawn(page, BAND)
    assert_drawn(page, LINE)
    assert page.locator(BAND).first.evaluate("e => parseFloat(getComputedStyle(e).fillOpacity)") > 0
    assert page.locator(LINE).first.get_attribute("stroke-dasharray")
    # the axis reaches the projected quarter, and the chart's text alternative says it
    quarter = kpi["projection"]["period"].replace("-", " ")
    expect(page.locator(f"figure#chart-{KPI} svg g.role-axis-label text").last).to_have_text(quarter)
    expect(page.locator(f"figure#chart-{KPI} svg desc")).to_contain_text(f"Projected for {quarter}")
    expect(page.locator("p.projection")).to_contain_text(f"Projected for {quarter}:")
    watched.assert_clean()
