"""The strategy map's layout: perspectives as bands, objectives as boxes,
`supports` links as arrows. The SVG itself is the theme's strategy_map.svg."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from babel import Locale

from bscgen.compute import QuarterResult
from bscgen.formatting import EN_US, format_score, wrap_lines

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
    """A supports link drawn as a polyline of horizontal and vertical segments."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)


@dataclass(frozen=True)
class StrategyMap:
    width: float
    height: float
    bands: tuple[MapBand, ...]
    boxes: tuple[MapBox, ...]
    arrows: tuple[MapArrow, ...]


def title_lines(title: str, width: int = TITLE_CHARS, most: int = 2) -> tuple[str, ...]:
    return wrap_lines(title, width, most)


def layout(result: QuarterResult, locale: Locale = EN_US) -> StrategyMap:
    bands, boxes, rows = [], {}, []
    y = 0.0
    for perspective in result.perspectives:
        objectives = perspective.objectives
        count = max(1, math.ceil(len(objectives) / PER_ROW))
        height = BAND_HEADER + count * (BOX_H + GAP) + 2 * GAP  # room below for arrow lanes
        band = MapBand(perspective.perspective.id, perspective.perspective.title, y, height)
        bands.append(band)
        band_rows = [_Row(band, first=r == 0, top=y + BAND_HEADER + r * (BOX_H + GAP)) for r in range(count)]
        rows += band_rows
        for index, objective in enumerate(objectives):
            row, column = divmod(index, PER_ROW)
            in_row = min(PER_ROW, len(objectives) - row * PER_ROW)
            left = (WIDTH - in_row * BOX_W - (in_row - 1) * GAP) / 2  # centre each row
            box = MapBox(
                id=objective.objective.id,
                title=objective.objective.title,
                lines=title_lines(objective.objective.title),
                score=format_score(objective.score, locale),
                status=objective.status,
                x=left + column * (BOX_W + GAP),
                y=band_rows[row].top,
            )
            boxes[box.id] = box
            band_rows[row].boxes.append(box)
        y += height
    links = [
        (boxes[o.objective.id], boxes[target])
        for p in result.perspectives
        for o in p.objectives
        for target in o.objective.supports
        if target in boxes
    ]
    return StrategyMap(WIDTH, y, tuple(bands), tuple(boxes.values()), _route(rows, links))


# --- arrows ----------------------------------------------------------------------
# Arrows run in the channels between rows of boxes and cross a row only through
# a gap between its boxes, so no arrow passes behind a box. Each arrow leaves
# its box from its own point on the edge and runs in its own lane of a channel.

PAD = 6  # space kept between an arrow and a box it passes
LANE = 8  # preferred space between arrows side by side
TITLE_CHAR_W = 8.5  # width of a band title's character at the theme's font size


@dataclass
class _Row:
    band: MapBand
    first: bool  # the band's first row: its title is above it
    top: float
    boxes: list[MapBox] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return self.top + BOX_H

    def free(self) -> list[tuple[float, float]]:
        """x intervals an arrow can cross this row through."""
        # The band title sits above the first row, at the left: keep clear of it if there is room.
        title_end = 10 + len(self.band.title) * TITLE_CHAR_W + PAD
        return (self._free_from(title_end) if self.first else []) or self._free_from(PAD)

    def _free_from(self, left: float) -> list[tuple[float, float]]:
        intervals, start = [], left
        for box in self.boxes:
            if box.x - PAD > start:
                intervals.append((start, box.x - PAD))
            start = max(start, box.x + box.width + PAD)
        if WIDTH - PAD > start:
            intervals.append((start, WIDTH - PAD))
        return intervals


def _channel_span(rows: list[_Row], channel: int) -> tuple[float, float]:
    """The y range lanes may use in channel k, the space above row k (k = len(rows): below the last)."""
    if channel == 0:
        return rows[0].top - 12, rows[0].top - 4
    above = rows[channel - 1].bottom + 4
    if channel == len(rows):
        return above, above + 8
    below = rows[channel]
    # between bands, stay clear of the lower band's title
    return above, (below.band.y - 2) if below.first else below.top - 4


def _route(rows: list[_Row], links: list[tuple[MapBox, MapBox]]) -> tuple[MapArrow, ...]:
    row_of = {box.id: i for i, row in enumerate(rows) for box in row.boxes}
    # 1. Where each arrow attaches: its own point on the box's top or bottom edge.
    sides: dict[tuple[str, str], list[tuple[float, int]]] = {}
    plans = []
    for number, (source, target) in enumerate(links):
        rs, rt = row_of[source.id], row_of[target.id]
        # up to a row above, down to a row below; within a row, over the top
        leaves = "top" if rt <= rs else "bottom"
        enters = "bottom" if rt < rs else "top"
        sides.setdefault((source.id, leaves), []).append((target.centre[0], number))
        sides.setdefault((target.id, enters), []).append((source.centre[0], number))
        plans.append((source, target, rs, rt, leaves, enters))
    port: dict[tuple[str, str, int], float] = {}
    boxes = {box.id: box for row in rows for box in row.boxes}
    for (box_id, side), attached in sides.items():
        box = boxes[box_id]
        for position, (_, number) in enumerate(sorted(attached)):
            port[box_id, side, number] = round(box.x + 14 + (box.width - 28) * (position + 1) / (len(attached) + 1), 1)

    # 2. The xs each arrow runs at, and the channels it crosses them in.
    crossings: dict[tuple[int, float], int] = {}
    routes = []  # (source, target, start, end, [(channel, x from, x to)], end side)
    for number, (source, target, rs, rt, leaves, enters) in enumerate(plans):
        x = port[source.id, leaves, number]
        x_end = port[target.id, enters, number]
        if rt < rs:  # channels above the rows passed, up to the one below the target's row
            channels, passes = list(range(rs, rt, -1)), list(range(rs - 1, rt, -1))
        elif rt > rs:
            channels, passes = list(range(rs + 1, rt + 1)), list(range(rs + 1, rt))
        else:
            channels, passes = [rs], []
        segments = []
        for channel, row in zip(channels, passes + [None]):
            nxt = x_end if row is None else _crossing(rows[row], x_end, crossings, row)
            segments.append((channel, x, nxt))
            x = nxt
        start_y = source.y if leaves == "top" else source.y + source.height
        end_y = target.y + target.height + ARROW_GAP if enters == "bottom" else target.y - ARROW_GAP
        routes.append((source, target, (port[source.id, leaves, number], start_y), (x_end, end_y), segments))

    lane_y = _lanes(rows, [segments for *_, segments in routes])
    arrows = []
    for number, (source, target, start, end, segments) in enumerate(routes):
        points = [start]
        for index, (_, x1, x2) in enumerate(segments):
            y = lane_y[number, index]
            points += [(x1, y), (x2, y)]
        points.append(end)
        arrows.append(MapArrow(source.id, target.id, _simplified(points)))
    return tuple(arrows)


def _lanes(rows: list[_Row], routes: list[list[tuple[int, float, float]]]) -> dict[tuple[int, int], float]:
    """The y of each horizontal run, by (arrow, run): a lane per arrow in each
    channel, shared only by runs that do not overlap, so side-by-side arrows stay apart."""
    lanes: dict[int, list[tuple[float, float, int, int]]] = {}
    for number, segments in enumerate(routes):
        for index, (channel, x1, x2) in enumerate(segments):
            lanes.setdefault(channel, []).append((min(x1, x2), max(x1, x2), number, index))
    lane_y: dict[tuple[int, int], float] = {}
    for channel, spans in lanes.items():
        ends: list[float] = []  # per lane, where its last run ends
        chosen = []
        for low, high, number, index in sorted(spans):
            lane = next((i for i, end in enumerate(ends) if end + LANE < low), None)
            if lane is None:
                lane, ends = len(ends), ends + [high]
            ends[lane] = high
            chosen.append((lane, number, index))
        top, bottom = _channel_span(rows, channel)
        spacing = min(LANE, (bottom - top) / (len(ends) + 1))
        middle = (top + bottom) / 2
        for lane, number, index in chosen:
            lane_y[number, index] = round(middle + (lane - (len(ends) - 1) / 2) * spacing, 1)
    return lane_y


def _crossing(row: _Row, wanted: float, used: dict[tuple[int, float], int], row_index: int) -> float:
    """Where an arrow crosses a row: in the free interval nearest the x it heads for,
    a little apart from arrows already crossing there."""
    best = min(row.free(), key=lambda iv: 0 if iv[0] <= wanted <= iv[1] else min(abs(iv[0] - wanted), abs(iv[1] - wanted)))
    low, high = best
    x = min(max(wanted, low), high)
    count = used.get((row_index, low), 0)
    used[row_index, low] = count + 1
    offset = (count + 1) // 2 * LANE * (1 if count % 2 else -1)
    return round(min(max(x + offset, low), high), 1)


def _simplified(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Drop repeated points and points in the middle of a straight run."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (ax == bx == point[0]) or (ay == by == point[1]):
                kept[-1] = point
                continue
        kept.append(point)
    return tuple(kept)
