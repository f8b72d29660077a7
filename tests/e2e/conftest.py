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

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.server import serve
from tests.e2e.support import Background, in_ci, prepare_frozen, prepare_hostile, require_axe

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


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def unavailable(reason: str):
    """Skip (locally) or fail (in CI) when the browser cannot run."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser(example_site, background_sites):
    """One Chromium for the e2e tests, closed when they are done.

    Playwright's sync API keeps an asyncio loop running in this thread, and
    bscgen's build calls asyncio.run() (bscgen/search.py), which refuses to
    run inside a running loop. So: the shared example site (tests/conftest.py,
    built in-process) is built before the browser starts, e2e builds of other
    projects run in a subprocess (build_site), and the browser is
    package-scoped, so the in-process builds of the tests after tests/e2e
    work again.
    """
    reason = why_no_browser()
    if reason:
        unavailable(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


BACKGROUND = {"frozen_site": prepare_frozen, "hostile_site": prepare_hostile}


class Builds:
    """The other sites' builds: started early, each at most once."""

    def __init__(self, example_site: Path, tmp_path_factory):
        self.example_site = example_site
        self.tmp_path_factory = tmp_path_factory
        self.jobs: dict[str, Background] = {}

    def start(self, name: str) -> None:
        if name not in self.jobs:
            folder = self.tmp_path_factory.mktemp(name)
            args = (folder, self.example_site) if name == "frozen_site" else (folder,)
            self.jobs[name] = Background(f"build {name}", BACKGROUND[name], *args)

    def result(self, name: str) -> Path:
        self.start(name)  # (not started early: the browser cannot run here)
        return self.jobs[name].result()


@pytest.fixture(scope="package")
def background_sites(request, example_site, tmp_path_factory):
    """Start the builds of the other sites the selected tests need, at once
    (with the browser, before the first browser test).

    They run (in subprocesses, from threads) while the browser tests of the
    example site run; the tests that need them are moved to the end of
    tests/e2e (pytest_collection_modifyitems below). The example site is
    built first: the frozen build reuses its chart cache, and it must exist
    before the browser starts (see browser).
    """
    builds = Builds(example_site, tmp_path_factory)
    if not why_no_browser() or in_ci():  # else their browser tests are skipped: build only on demand
        wanted = {name for item in request.session.items for name in item.fixturenames}
        for name in BACKGROUND:
            if name in wanted:
                builds.start(name)
    yield builds
    for job in builds.jobs.values():
        job.thread.join()  # never leave a build running behind the session


def pytest_collection_modifyitems(session, config, items):
    """Run the e2e tests of the sites built in the background last, so the
    builds overlap with the others; everything else keeps its order."""
    here = Path(__file__).resolve().parent
    slots = [index for index, item in enumerate(items) if here in Path(item.path).resolve().parents]
    late = [bool(BACKGROUND.keys() & set(getattr(items[index], "fixturenames", ()))) for index in slots]
    ordered = [items[i] for i, is_late in zip(slots, late) if not is_late] + [items[i] for i, is_late in zip(slots, late) if is_late]
    for index, item in zip(slots, ordered):
        items[index] = item


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
    javascript: bool = True
    pending: set = field(default_factory=set)
    document: int = 0  # main-frame documents so far
    left_documents: set = field(default_factory=set)  # documents left on purpose
    request_document: dict = field(default_factory=dict)  # request -> its document

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
        response = None

        def load():
            nonlocal response
            response = self.page.goto(self.url(path))

        self.navigate(load, switcher=switcher, expect_navigation=False)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def navigate(self, action, *, switcher: bool = True, expect_navigation: bool = True) -> None:
        """Run an action that loads another page; wait for it (and, with
        switcher=True, for its quarter switcher's versions.json), then settle.

        Requests of the page being left that the browser cancels on leaving
        (a late favicon) are no failure: every navigation goes through here.
        """
        self.left_documents.add(self.document)
        with contextlib.ExitStack() as stack:
            if switcher:
                stack.enter_context(self.page.expect_response(lambda r: r.url.endswith("/versions.json"), timeout=10_000))
            if expect_navigation:
                stack.enter_context(self.page.expect_navigation())
            action()
        self.settle()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait for the load event and for every request the page made so far
        (a late favicon, the switcher's fetch) to finish, then let queued
        tasks (CSP violation events, fetch callbacks) run. So the next
        navigation never cancels a request of this page."""
        self.page.wait_for_load_state("load")
        deadline = time.monotonic() + timeout
        while self.pending and time.monotonic() < deadline:
            self.page.wait_for_timeout(10)  # (events are delivered meanwhile)
        assert not self.pending, f"requests still pending after {timeout} s: {[r.url for r in self.pending]}"
        self.page.wait_for_timeout(30)
        self.collect_csp()

    def collect_csp(self) -> None:
        if not self.javascript:
            return  # no listener without JavaScript; Chromium still logs violations to the console
        try:
            found = self.page.evaluate("() => window.__csp || []")
        except Exception:  # navigating: the binding has them anyway
            return
        for record in found:
            if record not in self.csp:
                self.csp.append(record)

    def allow_not_found(self, path: str = "", *, suffix: str = "") -> None:
        """Forget the 404s of requests expected to find nothing (e.g. a HEAD
        probe): of the site path `path`, or of every URL ending in `suffix`."""
        def expected(url: str) -> bool:
            return url == self.url(path) if path else url.endswith(suffix)

        self.bad_responses[:] = [r for r in self.bad_responses if not (r.startswith("404 ") and expected(r.rsplit(" ", 1)[1]))]
        self.console_errors[:] = [
            m for m in self.console_errors
            if not (" 404 " in m and m.endswith(")") and expected(m.rsplit("(", 1)[1][:-1]))
        ]

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
        watched = WatchedPage(page=page, context=context, base=base, javascript=options.get("java_script_enabled", True))
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

        def on_response(response):
            if response.status >= 400:
                watched.bad_responses.append(f"{response.status} {response.request.method} {response.url}")

        def on_request(request):
            watched.requests.append(request.url)
            watched.pending.add(request)
            watched.request_document[request] = watched.document

        def on_request_failed(request):
            watched.pending.discard(request)
            if request.failure == "net::ERR_ABORTED" and not request.is_navigation_request():
                # cancelled because the test left its page: the switcher's HEAD
                # probe (it navigates once it has the headers), a late favicon
                if watched.request_document.get(request) in watched.left_documents:
                    return
            watched.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

        def on_frame_navigated(frame):
            if frame == page.main_frame:
                watched.document += 1

        def attach(p):
            p.on("console", lambda m: watched.console_errors.append(f"{m.text} ({m.location.get('url', '')})") if m.type == "error" else None)
            p.on("pageerror", lambda e: watched.page_errors.append(f"{e} on {p.url}"))
            p.on("requestfailed", on_request_failed)
            p.on("response", on_response)
            p.on("request", on_request)
            p.on("requestfinished", lambda r: watched.pending.discard(r))
            p.on("dialog", on_dialog)
            if p is page:
                p.on("framenavigated", on_frame_navigated)

        attach(page)
        context.on("page", attach)  # popups and new tabs are watched too
        return watched

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:
            pass


@pytest.fixture
def axe_source() -> Path:
    """axe-core's script, for the tests that run it (skips locally, fails in CI, without it)."""
    return require_axe()
