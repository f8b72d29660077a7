"""Browser tests: built sites served with netlify.toml's headers, in Chromium.

Needs Debian's Chromium (/usr/bin/chromium) and the Python `playwright`
package (never `playwright install`: the browser is the system's). Without
them the browser tests are skipped with the reason, unless the environment
variable CI is set: then they fail, so CI cannot pass without running them.

Every test gets a fresh browser context and page (``open_page``) that
records what must never happen on the published site: console errors,
uncaught exceptions, failed requests, HTTP errors, requests to any other
host than the test server, Content-Security-Policy violations and dialogs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.server import serve

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# Listens for CSP violations in every document, before any page script runs.
# Each is kept in window.__csp (read after load) and also reported to the
# test at once through the __reportCsp binding (survives navigations).
CSP_LISTENER = """
(() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const record = {
      directive: event.violatedDirective || event.effectiveDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
      page: location.href,
    };
    window.__csp.push(record);
    if (typeof window.__reportCsp === "function") window.__reportCsp(record).catch(() => {});
  }, true);
})();
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str):
    """Skip (locally) or fail (in CI) when the browser cannot run."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package 'playwright' is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def example_url(example_site):
    """The example site (tests/conftest.py builds it once, --strict), served."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@dataclass
class WatchedPage:
    """A page with everything that went wrong on it, as lists of strings."""

    page: object
    context: object
    base: str
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    bad_responses: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    csp: list = field(default_factory=list)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def goto(self, path: str, *, switcher: bool = True):
        """Open a page of the served site and wait until it has settled.

        With switcher=True, also wait for the quarter switcher's versions.json
        request, so its outcome is part of the checks.
        """
        if switcher:
            with self.page.expect_response(lambda r: r.url.endswith("/versions.json"), timeout=10_000):
                response = self.page.goto(self.url(path))
        else:
            response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.settle()
        return response

    def settle(self) -> None:
        """Let queued tasks (CSP violation events, fetch callbacks) run."""
        self.page.wait_for_load_state("load")
        self.page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 20))")
        self.collect_csp()

    def collect_csp(self) -> None:
        try:
            found = self.page.evaluate("() => window.__csp || []")
        except Exception:  # navigating: the binding has them anyway
            return
        for record in found:
            if record not in self.csp:
                self.csp.append(record)

    def allow_not_found(self, path: str) -> None:
        """Forget the 404 of a request expected to find nothing (e.g. a HEAD probe)."""
        url = self.url(path)
        self.bad_responses[:] = [r for r in self.bad_responses if not (r.startswith("404 ") and r.endswith(" " + url))]
        self.console_errors[:] = [m for m in self.console_errors if not (" 404 " in m and m.endswith(f"({url})"))]

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin + "/")]

    def problems(self) -> list[str]:
        self.collect_csp()
        csp_console = [m for m in self.console_errors if "content security policy" in m.lower()]
        found = (
            [f"console error: {m}" for m in self.console_errors if m not in csp_console]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"request failed: {r}" for r in self.failed_requests]
            + [f"HTTP error: {r}" for r in self.bad_responses]
            + [f"request to another host: {u}" for u in self.foreign_requests()]
            + [f"CSP violation: {v}" for v in self.csp]
            + [f"CSP violation (console): {m}" for m in csp_console]
            + [f"dialog opened: {d}" for d in self.dialogs]
        )
        return found

    def assert_clean(self, where: str = "") -> None:
        problems = self.problems()
        assert not problems, f"{where or self.page.url}:\n  " + "\n  ".join(problems)


@pytest.fixture
def open_page(browser):
    """open_page(base_url, **context_options) -> a WatchedPage in a fresh context."""
    contexts = []

    def make(base: str, **options) -> WatchedPage:
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        watched = WatchedPage(page=page, context=context, base=base)
        origin = watched.origin

        # Nothing may leave the machine: anything not for the test server is
        # aborted (and reported through "request" and "requestfailed").
        context.route(lambda url: not url.startswith(origin + "/"), lambda route: route.abort("blockedbyclient"))
        context.expose_binding("__reportCsp", lambda source, record: watched.csp.append(record) if record not in watched.csp else None)
        context.add_init_script(CSP_LISTENER)

        def on_dialog(dialog):
            watched.dialogs.append(f"{dialog.type}: {dialog.message!r} on {dialog.page.url if dialog.page else '?'}")
            try:
                dialog.dismiss()
            except Exception:
                pass

        answered = set()  # requests that got their response headers

        def on_response(response):
            answered.add(response.request)
            if response.status >= 400:
                watched.bad_responses.append(f"{response.status} {response.request.method} {response.url}")

        def on_request_failed(request):
            # The switcher's HEAD probe resolves on the headers, then navigates:
            # leaving the page cancels the finished probe. That is no failure.
            if request.method == "HEAD" and request in answered and request.failure == "net::ERR_ABORTED":
                return
            watched.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

        def attach(p):
            p.on("console", lambda m: watched.console_errors.append(f"{m.text} ({m.location.get('url', '')})") if m.type == "error" else None)
            p.on("pageerror", lambda e: watched.page_errors.append(f"{e} on {p.url}"))
            p.on("requestfailed", on_request_failed)
            p.on("response", on_response)
            p.on("request", lambda r: watched.requests.append(r.url))
            p.on("dialog", on_dialog)

        attach(page)
        context.on("page", attach)  # popups and new tabs are watched too
        return watched

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:
            pass
