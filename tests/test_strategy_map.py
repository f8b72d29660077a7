from bscgen.compute import ObjectiveResult, PerspectiveResult, QuarterResult
from bscgen.model import Objective, Perspective
from bscgen.periods import Quarter
from bscgen.problems import Source
from bscgen.strategy_map import BOX_H, BOX_W, PER_ROW, WIDTH, layout, title_lines


def objective(oid, perspective, supports=()):
    src = Source("x.md", 1)
    return ObjectiveResult(
        Objective(oid, f"Objective {oid} with a reasonably long title to wrap", perspective, src,
                  supports=tuple(supports)),
        50.0, "red", None, (),
    )


def quarter(counts: dict[str, int], links=()):
    perspectives = []
    supports = {}
    for source, target in links:
        supports.setdefault(source, []).append(target)
    for pid, count in counts.items():
        objectives = tuple(objective(f"{pid}{i}", pid, supports.get(f"{pid}{i}", ())) for i in range(count))
        perspectives.append(PerspectiveResult(Perspective(pid, pid.title()), 50.0, "red", None, objectives))
    return QuarterResult(Quarter(2026, 1), (Quarter(2026, 1),), 50.0, "red", None, tuple(perspectives))


def test_bands_follow_perspective_order_top_to_bottom():
    result = layout(quarter({"financial": 3, "customer": 2, "internal": 4, "learning": 1}))
    assert [b.id for b in result.bands] == ["financial", "customer", "internal", "learning"]
    assert all(a.y + a.height == b.y for a, b in zip(result.bands, result.bands[1:]))


def test_thirty_objectives_wrap_into_rows_inside_the_band_and_canvas():
    result = layout(quarter({"internal": 30}))
    band = result.bands[0]
    rows = {box.y for box in result.boxes}
    assert len(rows) == -(-30 // PER_ROW)
    for box in result.boxes:
        assert 0 <= box.x and box.x + BOX_W <= WIDTH
        assert band.y <= box.y and box.y + BOX_H <= band.y + band.height
    positions = [(b.x, b.y) for b in result.boxes]
    assert len(set(positions)) == 30  # no overlaps


def test_arrows_run_from_supporter_edge_to_supported_edge():
    result = layout(quarter({"financial": 1, "customer": 1}, links=[("customer0", "financial0")]))
    (arrow,) = result.arrows
    boxes = {b.id: b for b in result.boxes}
    source, target = boxes["customer0"], boxes["financial0"]
    assert arrow.y1 == source.y  # leaves the top of the lower box
    assert target.y + BOX_H < arrow.y2 <= target.y + BOX_H + 4  # stops just below the upper box


def test_title_lines_wrap_and_ellipsis():
    assert title_lines("Short") == ("Short",)
    lines = title_lines("A very long objective title that will never fit into two lines of a box at all")
    assert len(lines) == 2 and lines[-1].endswith("…")
