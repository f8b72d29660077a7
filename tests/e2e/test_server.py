"""The test server applies netlify.toml's headers as Netlify matches them."""

from __future__ import annotations

import pytest

from tests.e2e.server import headers_for, load_rules, pattern_regex


@pytest.mark.parametrize(
    "pattern, matches, misses",
    [
        ("/*", ["/", "/index.html", "/2025-Q2/kpis/x/index.html"], []),
        ("/static/*", ["/static", "/static/", "/static/style.1234567890.css", "/static/a/b"],
         ["/2025-Q2/static/style.css", "/staticx/a", "/index.html"]),
        ("/:quarter/static/*", ["/2025-Q2/static/switcher.abc.js", "/anything/static/"],
         ["/static/style.css", "/a/b/static/x", "/2025-Q2/other/x"]),
        ("/versions.json", ["/versions.json"], ["/versions.json/x", "/2025-Q2/versions.json", "/versions.jsonx"]),
    ],
)
def test_netlify_patterns(pattern, matches, misses):
    regex = pattern_regex(pattern)
    for path in matches:
        assert regex.fullmatch(path), (pattern, path)
    for path in misses:
        assert not regex.fullmatch(path), (pattern, path)


def test_headers_of_netlify_toml():
    rules = load_rules()  # every pattern of the real netlify.toml is understood
    page = headers_for("/2025-Q2/objectives/C1/index.html", rules)
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "Cache-Control" not in page
    for asset in ("/static/style.0123456789.css", "/2025-Q2/static/switcher.0123456789.js"):
        headers = headers_for(asset, rules)
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["Content-Security-Policy"] == page["Content-Security-Policy"]
    assert headers_for("/versions.json", rules)["Cache-Control"] == "no-cache"
