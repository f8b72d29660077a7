from hypothesis import given, settings
from hypothesis import strategies as st

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


def quarter(counts: dict[str, int], links=(), titles=None):
    perspectives = []
    supports = {}
    for source, target in links:
        supports.setdefault(source, []).append(target)
    for pid, count in counts.items():
        objectives = tuple(objective(f"{pid}{i}", pid, supports.get(f"{pid}{i}", ())) for i in range(count))
        title = (titles or {}).get(pid, pid.title())
        perspectives.append(PerspectiveResult(Perspective(pid, title), 50.0, "red", None, objectives))
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
    (x1, y1), (x2, y2) = arrow.points[0], arrow.points[-1]
    assert y1 == source.y and source.x < x1 < source.x + BOX_W  # leaves the top of the lower box
    assert target.y + BOX_H < y2 <= target.y + BOX_H + 4  # stops just below the upper box
    assert target.x < x2 < target.x + BOX_W


def _crosses(segment, box) -> bool:
    """Whether an axis-parallel segment runs through the inside of a box."""
    (ax, ay), (bx, by) = segment
    left, right, top, bottom = box.x + 1, box.x + BOX_W - 1, box.y + 1, box.y + BOX_H - 1
    if ax == bx:
        return left < ax < right and min(ay, by) < bottom and max(ay, by) > top
    return top < ay < bottom and min(ax, bx) < right and max(ax, bx) > left


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 12), min_size=1, max_size=4),
    pairs=st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=30),
    title_sizes=st.lists(st.integers(1, 150), min_size=4, max_size=4),
)
def test_no_arrow_passes_behind_a_box(counts, pairs, title_sizes):
    names = ["financial", "customer", "internal", "learning"]
    ids = [f"{names[p]}{i}" for p, count in enumerate(counts) for i in range(count)]
    links = {(ids[a % len(ids)], ids[b % len(ids)]) for a, b in pairs if a % len(ids) != b % len(ids)}
    titles = {name: "Perspective title "[:size] * (1 + size // 18) for name, size in zip(names, title_sizes)}
    result = layout(quarter(dict(zip(names, counts)), links=sorted(links), titles=titles))
    assert len(result.arrows) == len(links)
    for arrow in result.arrows:
        points = arrow.points
        for segment in zip(points, points[1:]):
            (ax, ay), (bx, by) = segment
            assert ax == bx or ay == by, arrow  # horizontal and vertical runs only
            assert 0 <= min(ax, bx) and max(ax, bx) <= WIDTH and 0 <= min(ay, by) and max(ay, by) <= result.height
            assert not any(_crosses(segment, box) for box in result.boxes), (arrow, segment)


def test_a_band_title_wider_than_the_map_leaves_arrows_a_way_through():
    result = layout(quarter(
        {"financial": 1, "customer": 5, "internal": 1}, links=[("internal0", "financial0")],
        titles={"customer": "A perspective title " * 8},
    ))
    (arrow,) = result.arrows
    assert arrow.points[0][1] > arrow.points[-1][1]  # from the bottom band up to the top one


def test_title_lines_wrap_and_ellipsis():
    assert title_lines("Short") == ("Short",)
    lines = title_lines("A very long objective title that will never fit into two lines of a box at all")
    assert len(lines) == 2 and lines[-1].endswith("…")
