"""Charts: long labels wrap onto two lines in the drawn SVG instead of being cut."""

import re

from bscgen.charts import ChartDrawer, score_bars
from bscgen.formatting import wrap_lines


def test_wrap_lines_keeps_two_lines_and_marks_a_cut():
    assert wrap_lines("Short", 20) == ("Short",)
    assert wrap_lines("Deliver projects that meet business expectations", 30) == (
        "Deliver projects that meet", "business expectations")
    lines = wrap_lines("word " * 40, 20)
    assert len(lines) == 2 and lines[-1].endswith("…")


def test_a_long_bar_label_is_drawn_on_two_lines():
    chart = score_bars("chart-x", "Scores", [
        ("C3 Deliver projects that meet business expectations", 56.0, "red"),
        ("C1 Short", 90.0, "green"),
    ], 100)
    with ChartDrawer(workers=1) as drawer:
        svg = drawer.draw({chart.key: chart.spec})[chart.key]
    texts = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg) + re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "C3 Deliver projects that meet" in texts and "business expectations" in texts
    assert "C1 Short" in texts
    assert not any("…" in text for text in texts)
