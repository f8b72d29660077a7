import re
import time

import pytest

from bscgen.markup import MAX_NESTING, render_markdown, too_deep


def test_markdown_features():
    html = render_markdown("# Title\n\n|a|b|\n|-|-|\n|1|2|\n\n```sql\nselect 1;\n```\n\nText[^1]\n\n[^1]: A note.\n")
    assert '<h2 id="title">Title</h2>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<code class="language-sql">' in html
    assert 'id="fn:1"' in html and 'href="#fn:1"' in html


def test_attribute_lists_are_off():
    html = render_markdown('# Heading {: onclick="alert(1)" }')
    assert re.search(r"<h[1-6][^>]*\sonclick=", html) is None


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '[x](javascript:alert(1))',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<div onmouseover="alert(1)">x</div>',
        '<svg onload="alert(1)"></svg>',
        '<object data="x.swf"></object>',
        '<form action="https://evil.example"><input></form>',
    ],
)
def test_dangerous_markup_is_removed(payload):
    html = str(render_markdown(f"Before\n\n{payload}\n\nAfter"))
    lowered = html.lower()
    for bad in ("<script", "<style", "<iframe", "onerror", "onmouseover", "onload", "javascript:", "<object", "<form", "<svg"):
        assert bad not in lowered
    assert "After" in html


def test_images_from_other_hosts_are_dropped_but_local_ones_stay():
    html = str(render_markdown('![a](https://tracker.example/p.gif) ![b](//cdn.example/x.png) ![c](../img/chart.png)'))
    assert "tracker.example" not in html and "cdn.example" not in html
    assert 'src="../img/chart.png"' in html


def test_ordinary_links_survive():
    html = str(render_markdown("[ITIL](https://www.axelos.com) and [mail](mailto:cio@example.com)"))
    assert 'href="https://www.axelos.com"' in html and 'href="mailto:cio@example.com"' in html


def test_headings_nest_under_the_page_title():
    # Texts sit inside pages that have their own <h1>.
    html = render_markdown("# Purpose\n\n## Scope\n")
    assert '<h2 id="purpose">Purpose</h2>' in html and '<h3 id="scope">Scope</h3>' in html
    assert "<h1" not in html


# --- nesting (SPEC 16): python-markdown recurses, and is quadratic on some of it ----------

HOSTILE = {
    "quotes, one more per line": "".join(">" * i + " x\n" for i in range(1, 3001)),
    "a list, 2 spaces a level": "".join("  " * i + "- x\n" for i in range(3000)),
    "a list, 4 spaces a level": "".join("    " * i + "- x\n" for i in range(3000)),
    "list markers on one line": "- " * 3000 + "x",
    "quotes in lists in quotes": "".join("> " * i + "- x\n" for i in range(3000)),
    "emphasis": "*" * 3000 + "x" + "*" * 3000,
    "open brackets": "[" * 20000 + "x",
    "open images": "![a " * 20000,
    "brackets hidden behind a code span that never closes": "`" + "[" * 20000 + "``",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_deep_text_is_found_and_rendered_verbatim_at_once(text):
    assert too_deep(text) is not None
    started = time.perf_counter()
    html = render_markdown(text)
    assert time.perf_counter() - started < 2
    assert html.startswith("<pre>") and "<blockquote>" not in html


def test_too_deep_names_the_first_line_past_the_limit():
    text = "".join(">" * i + " x\n" for i in range(1, 100))
    assert too_deep(text) == MAX_NESTING + 1
    assert too_deep(text, limit=10) == 11
    assert too_deep("plain\n" * 1000) is None


def test_nesting_inside_fenced_code_does_not_count():
    fenced = "```\n" + ">" * 100 + "\n" + "[" * 100 + "\n```\n"
    assert too_deep(fenced) is None
    assert too_deep("```\n" + ">" * 100 + "\n") == 2  # not closed: not code for python-markdown either


def test_ordinary_nesting_still_renders():
    html = render_markdown("- a\n    - b\n        - c\n            - d\n                - e\n\n> > quoted")
    assert html.count("<ul>") == 5 and html.count("<blockquote>") == 2
