"""netlify.toml deploys the site as is, with a policy the site works under."""

import re
import tomllib

from tests.helpers import REPO


def netlify():
    return tomllib.loads((REPO / "netlify.toml").read_text())


def headers_for(path: str) -> dict[str, str]:
    return next(h["values"] for h in netlify()["headers"] if h["for"] == path)


def test_build_and_publish():
    config = netlify()["build"]
    assert config["publish"] == "site"
    assert "pip install ." in config["command"] and "bscgen build" in config["command"]


def test_security_headers():
    values = headers_for("/*")
    policy = dict(part.strip().split(" ", 1) for part in values["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    scripts = policy["script-src"].split()
    # Pagefind's search runs WebAssembly: 'wasm-unsafe-eval' allows that and nothing else
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert set(scripts) <= {"'self'", "'wasm-unsafe-eval'"}
    assert "unsafe-inline" not in policy["style-src"]
    assert values["X-Content-Type-Options"] == "nosniff"
    assert values["X-Frame-Options"] == "DENY"
    assert values["Referrer-Policy"]


def test_fingerprinted_assets_are_cached_for_long():
    for path in ("/static/*", "/:quarter/static/*"):
        assert "immutable" in headers_for(path)["Cache-Control"]


def test_pages_need_nothing_the_policy_forbids(example_site):
    for page in example_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert re.search(r"<script(?![^>]*\ssrc=)", html) is None, f"inline script in {page}"
        assert "<style" not in html, f"inline stylesheet in {page}"
        assert re.search(r'\sstyle="', html) is None, f"style attribute in {page}"
        assert re.search(r"\son[a-z]+=", html) is None, f"event handler in {page}"
        assert "javascript:" not in html
    for asset in list(example_site.glob("static/*")):
        assert re.fullmatch(r"[\w-]+\.[0-9a-f]{10}\.\w+", asset.name), asset.name
