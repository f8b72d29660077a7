"""problems.py: how problems are listed for a person."""

from bscgen.problems import Problem, Problems, Source, summarised


def test_after_20_of_one_kind_in_one_file_one_line_says_how_many_more():
    problems = Problems()
    for line in range(2, 502):
        problems.error(Source("data/bad.csv", line), f"row {line} is bad", kind="bad rows")
    problems.error(Source("data/bad.csv", 600), "another mistake")
    problems.error(Source("data/other.csv", 2), "one more", kind="bad rows")
    listing = summarised(problems.sorted())
    assert [str(p) for p in listing[19:]] == [
        "data/bad.csv:21: error: row 21 is bad",
        "data/bad.csv:600: error: another mistake",  # a problem of no kind is always shown
        "data/bad.csv: error: ... and 480 more bad rows",  # after the file's last line shown
        "data/other.csv:2: error: one more",  # counted per file
    ]


def test_kinds_and_severities_are_counted_apart():
    listing = [Problem(Source("a.csv", n), "error", "x", "xs") for n in range(25)]
    listing += [Problem(Source("a.csv", n), "warning", "y", "ys") for n in range(21)]
    assert [p.message for p in summarised(listing) if p.source.line is None] == ["... and 5 more xs", "... and 1 more ys"]


def test_a_short_listing_is_unchanged():
    listing = [Problem(Source("a.csv", n), "error", "x", "xs") for n in range(20)]
    assert summarised(listing) == listing
