import re

import pytest

from bscgen.markup import render_markdown


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
