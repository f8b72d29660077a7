"""A scorecard with script payloads in every text field, in a real browser.

tests/test_safety.py checks the HTML text; this runs it: every page of the
hostile site is opened (served with production's CSP) and nothing may
execute. A dialog would mean a payload ran (alert/confirm/prompt); a
payload that made it into the page as markup would also show as a page
error, a CSP violation (a blocked inline script or handler), or a script,
frame or handler in the live DOM.
"""

from __future__ import annotations

import pytest

from tests.e2e.server import serve


@pytest.fixture(scope="module")
def hostile_site(background_sites):
    """Built in the background (see conftest.py) by support.prepare_hostile."""
    return background_sites.result("hostile_site")


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with serve(hostile_site) as url:
        yield url


def test_no_payload_runs_on_any_page(open_page, hostile_site, hostile_url):
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    assert len(pages) >= 10
    watched = open_page(hostile_url)
    visited = []
    for path in pages:
        watched.goto(path)
        visited.append(path)
        page = watched.page
        # open every collapsed data table and the like: a payload in them must stay text too
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        # nothing scriptable in the live DOM either (what the parser and the scripts made):
        # no handler attribute, no javascript: URL, no inline or foreign script, no frame
        found = page.evaluate(
            """() => {
              const bad = [];
              for (const el of document.querySelectorAll('*')) {
                for (const attr of el.attributes) {
                  const value = attr.value.replace(/[\\s\\u0000]/g, '').toLowerCase();
                  if (attr.name.startsWith('on')) bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
                  // (Pagefind UI's own search form has action="javascript:void(0);")
                  if (value.startsWith('javascript:') && !/^javascript:void\\(0\\);?$/.test(value))
                    bad.push(`${el.tagName} ${attr.name}=${attr.value}`);
                }
                if (el.tagName === 'SCRIPT' && !(el.src && new URL(el.src).origin === location.origin))
                  bad.push(el.outerHTML.slice(0, 120));
                if (['IFRAME', 'OBJECT', 'EMBED', 'FRAME'].includes(el.tagName)) bad.push(el.outerHTML.slice(0, 120));
              }
              return bad;
            }"""
        )
        assert found == [], f"{path}: {found}"
    watched.page.wait_for_timeout(100)  # a late onerror/onload would still be caught
    assert watched.dialogs == [], watched.dialogs
    # The sanitiser keeps the payload's <img src=x> (a local image is allowed)
    # without its onerror: the browser asks the server for "x" and gets a 404.
    watched.allow_not_found(suffix="/x")
    watched.assert_clean(f"hostile site ({len(visited)} pages)")
    assert len(visited) == len(pages)
