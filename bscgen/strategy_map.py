"""The strategy map's layout: perspectives as bands, objectives as boxes,
`supports` links as arrows. The SVG itself is the theme's strategy_map.svg."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from bscgen.compute import QuarterResult
from bscgen.formatting import format_score

WIDTH = 960
BOX_W, BOX_H = 168, 74
GAP = 18
BAND_HEADER = 28
PER_ROW = (WIDTH - GAP) // (BOX_W + GAP)
TITLE_CHARS = 25  # characters per line that fit a box at the theme's font size
ARROW_GAP = 3  # keeps the arrowhead clear of the box border


@dataclass(frozen=True)
class MapBox:
    id: str
    title: str
    lines: tuple[str, ...]
    score: str
    status: str
    x: float
    y: float
    width: float = BOX_W
    height: float = BOX_H

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


@dataclass(frozen=True)
class MapBand:
    id: str
    title: str
    y: float
    height: float


@dataclass(frozen=True)
class MapArrow:
    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class StrategyMap:
    width: float
    height: float
    bands: tuple[MapBand, ...]
    boxes: tuple[MapBox, ...]
    arrows: tuple[MapArrow, ...]


def title_lines(title: str, width: int = TITLE_CHARS, most: int = 2) -> tuple[str, ...]:
    lines = textwrap.wrap(title, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return tuple(lines)


def layout(result: QuarterResult) -> StrategyMap:
    bands, boxes = [], {}
    y = 0.0
    for perspective in result.perspectives:
        objectives = perspective.objectives
        rows = max(1, math.ceil(len(objectives) / PER_ROW))
        height = BAND_HEADER + rows * (BOX_H + GAP) + GAP / 2
        bands.append(MapBand(perspective.perspective.id, perspective.perspective.title, y, height))
        for index, objective in enumerate(objectives):
            row, column = divmod(index, PER_ROW)
            in_row = min(PER_ROW, len(objectives) - row * PER_ROW)
            left = (WIDTH - in_row * BOX_W - (in_row - 1) * GAP) / 2  # centre each row
            boxes[objective.objective.id] = MapBox(
                id=objective.objective.id,
                title=objective.objective.title,
                lines=title_lines(objective.objective.title),
                score=format_score(objective.score),
                status=objective.status,
                x=left + column * (BOX_W + GAP),
                y=y + BAND_HEADER + row * (BOX_H + GAP),
            )
        y += height
    arrows = tuple(
        _arrow(boxes[o.objective.id], boxes[target])
        for p in result.perspectives
        for o in p.objectives
        for target in o.objective.supports
        if target in boxes
    )
    return StrategyMap(WIDTH, y, tuple(bands), tuple(boxes.values()), arrows)


def _edge_point(box: MapBox, towards: tuple[float, float], gap: float) -> tuple[float, float]:
    """Where the line from the box's centre towards a point leaves the box."""
    cx, cy = box.centre
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (box.width / 2) / abs(dx) if dx else math.inf,
        (box.height / 2) / abs(dy) if dy else math.inf,
    )
    length = math.hypot(dx, dy)
    scale += gap / length
    return round(cx + dx * scale, 1), round(cy + dy * scale, 1)


def _arrow(source: MapBox, target: MapBox) -> MapArrow:
    start = _edge_point(source, target.centre, 0)
    end = _edge_point(target, source.centre, ARROW_GAP)
    return MapArrow(source.id, target.id, *start, *end)
