"""Reading charts' inline SVG in tests: a chart by id, the x of its marks and axis labels."""

from __future__ import annotations

import re


def chart_svg(html: str, chart_id: str) -> str:
    start = html.index(f'<figure class="chart" id="{chart_id}"')
    return html[html.index("<svg", start):html.index("</svg>", start)]


def _group(svg: str, css_class: str) -> str:
    match = re.search(rf'<g class="[^"]*\b{css_class}\b[^"]*"[^>]*?(/>|>(.*?)</g>)', svg, re.S)
    return (match.group(2) or "") if match else ""  # an empty layer's group closes itself


def _translate_x(element: str) -> float:
    return float(re.search(r'transform="translate\(([-\d.]+)', element).group(1))


def marks_x(svg: str, css_class: str) -> list[float]:
    """The x of each mark of a layer: a rule's line, or the centre of a rect's path ("M x,y h w ...")."""
    body = _group(svg, css_class)
    xs = []
    for element in re.findall(r"<(?:line|path)[^>]*>", body):
        rect = re.search(r'd="M([-\d.]+),[-\d.]+h([-\d.]+)', element)
        if rect:
            xs.append(float(rect.group(1)) + float(rect.group(2)) / 2)
        else:
            xs.append(_translate_x(element))
    return xs


def labels_at(svg: str) -> list[str]:
    """The texts of the event labels above the plot."""
    texts = []
    for css_class in ("event_labels_start_marks", "event_labels_end_marks"):
        texts += re.findall(r"<text[^>]*>([^<]*)</text>", _group(svg, css_class))
    return texts


def axis_label_x(svg: str, label: str) -> float:
    """The x of an x-axis label (the axis group is drawn at the plot's left edge, as the marks are)."""
    for group in re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, re.S):
        for element, text in re.findall(r'(<text[^>]*>)([^<]*)</text>', group):
            if text == label:
                return _translate_x(element)
    raise AssertionError(f"no axis label {label!r}")
