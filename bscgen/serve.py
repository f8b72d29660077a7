"""`bscgen serve`: build, serve on localhost, rebuild on change, reload the browser.

The site is built into a private temporary folder (the project's site/ is
left alone). Pages are served with a small reload script added; it listens
to server-sent events and reloads when a rebuild finishes. While the content
is invalid, every page is an error page listing the problems (as Lektor
does), and fixing them brings the site back.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

import jinja2
import watchfiles

from bscgen.buildstate import CACHE_DIR
from bscgen.problems import ContentError, Problem, Source, summarised
from bscgen.publish import DEFAULT_OUTPUT, is_staging
from bscgen.site import build

ASSETS = Path(__file__).resolve().parent / "devserver"
RELOAD_PATH = "/__bscgen/reload.js"
EVENTS_PATH = "/__bscgen/events"
HEARTBEAT_SECONDS = 10
STOP_SECONDS = 1.5  # what stopping may take, a build under way included (SPEC 22: within 2 s of Ctrl-C)
FORCE_SECONDS = 1.8  # after Ctrl-C, the process ends by then whatever still runs
POLL_SECONDS = 0.1  # how often the server looks whether it is asked to stop


class BuildCancelled(Exception):
    """The server is stopping: the build under way ends at its next step (its staging folder is removed)."""


class BuildState:
    """The outcome of the latest build, and a way to wait for the next one."""

    def __init__(self) -> None:
        self.version = 0
        self.problems: list[Problem] = []
        self.changed = threading.Condition()

    def finished(self, problems: list[Problem]) -> None:
        with self.changed:
            self.problems = problems
            self.version += 1
            self.changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout)
            return self.version


class DevServer:
    def __init__(
        self, root: Path, host: str = "127.0.0.1", port: int = 8000,
        log: Callable[[str], None] = print, build_options: dict | None = None,
    ):
        self.root = root
        self.log = log
        self.build_options = build_options or {}
        self.workdir = Path(tempfile.mkdtemp(prefix="bscgen-serve-"))
        self.out = self.workdir / DEFAULT_OUTPUT
        self.state = BuildState()
        self.stop_event = threading.Event()
        self.error_page = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(ASSETS)), autoescape=True
        ).get_template("error.html")
        handler = partial(_Handler, server_state=self)
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._threads: list[threading.Thread] = []
        self._building = threading.Lock()
        self._serving = False  # serve_forever started: only then can httpd.shutdown() return

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> None:
        with self._building:  # the first build and the watcher's never overlap
            self._rebuild()

    def _unless_stopping(self, stage: str, done: int, total: int) -> None:
        """The build's progress callback: the point where a build under way is cancelled."""
        if self.stop_event.is_set():
            raise BuildCancelled

    def _rebuild(self) -> None:
        try:
            report = build(self.root, self.out, progress=self._unless_stopping, **self.build_options)
            problems = []
            self.log(
                f"bscgen: rebuilt {report.quarter}: {report.pages_rendered} page(s) rendered, "
                f"{report.pages_reused} cached, {report.charts_drawn} chart(s) drawn"
            )
        except BuildCancelled:
            return
        except ContentError as error:
            problems = error.problems
            self.log(f"bscgen: the content has {sum(p.severity == 'error' for p in problems)} error(s):")
            for problem in summarised(problems):
                self.log(f"  {problem}")
        except Exception as error:  # noqa: BLE001 - keep serving; show what went wrong
            if self.stop_event.is_set():  # stopped while building: what broke then is no news
                return
            problems = [Problem(Source("bscgen"), "error", f"the build failed: {type(error).__name__}: {error}")]
            self.log(f"bscgen: the build failed: {error}")
        self.state.finished(problems)

    def _watch(self) -> None:
        root = self.root.resolve()
        # what builds write: the project's usual output (a `bscgen build` beside the
        # server), the server's own, and the cache
        outputs = [root / DEFAULT_OUTPUT, self.out.resolve()]
        ignored = set(outputs)

        def relevant(change: watchfiles.Change, path: str) -> bool:
            candidate = Path(path)
            # the build's own writes: outputs, and the caches of the project and of its children
            if CACHE_DIR in candidate.parts or any(candidate == f or f in candidate.parents for f in ignored):
                return False
            if any(is_staging(candidate, out) for out in outputs):
                return False
            return watchfiles.DefaultFilter()(change, path)

        for _ in watchfiles.watch(
            root, watch_filter=relevant, debounce=150, step=50,
            stop_event=self.stop_event, raise_interrupt=False,
        ):
            self.rebuild()

    def start(self) -> bool:
        """Watch, build once, then serve, in background threads. The watcher starts
        first, so an edit made as soon as the site is up is not missed. False if
        stopped during the first build."""
        self._start_thread(self._watch)
        self.rebuild()
        if self.stop_event.is_set():
            return False
        self._serving = True
        self._start_thread(partial(self.httpd.serve_forever, poll_interval=POLL_SECONDS))
        return True

    def interrupt(self, signum: int, frame) -> None:
        """The handler of Ctrl-C (SIGINT) and SIGTERM in the main thread. A build anywhere
        stops at its next step, and a watchdog ends the process FORCE_SECONDS later if a
        build still holds on: a library may swallow the KeyboardInterrupt (WeasyPrint's
        callbacks into Pango do) or wait on a child process."""
        if not self.stop_event.is_set():
            self.stop_event.set()
            threading.Thread(target=self._end_anyway, daemon=True).start()
        raise KeyboardInterrupt

    def _end_anyway(self) -> None:
        time.sleep(FORCE_SECONDS)
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.log("bscgen: stopped (a build under way was abandoned)")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def _start_thread(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop within STOP_SECONDS, also during a build: a build in the watcher's thread is
        cancelled at its next step; one in the caller's thread was already stopped by Ctrl-C."""
        deadline = time.monotonic() + STOP_SECONDS
        if self.stop_event.is_set():
            self.log("\nbscgen: stopped")  # after the ^C a terminal shows
        self.stop_event.set()
        with self.state.changed:
            self.state.changed.notify_all()
        if self._serving:  # before the first build finished, serve_forever never ran
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        shutil.rmtree(self.workdir, ignore_errors=True)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, server_state: DevServer, **kwargs):
        self.dev = server_state
        super().__init__(*args, directory=str(server_state.out), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # requests are not news while editing

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = urlsplit(self.path).path
        if path == RELOAD_PATH:
            return self._send(200, (ASSETS / "reload.js").read_bytes(), "text/javascript; charset=utf-8")
        if path == EVENTS_PATH:
            return self._events()
        if self.dev.state.problems and (path.endswith("/") or path.endswith(".html")):
            page = self.dev.error_page.render(
                problems=summarised(self.dev.state.problems),
                errors=sum(p.severity == "error" for p in self.dev.state.problems),
                warnings=sum(p.severity == "warning" for p in self.dev.state.problems),
                project=self.dev.root, version=self.dev.state.version,
            )
            return self._send(500, page.encode(), "text/html; charset=utf-8")
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            html = file.read_text(encoding="utf-8")
            script = f'<script src="{RELOAD_PATH}" data-version="{self.dev.state.version}"></script>'
            html = html.replace("</body>", script + "\n</body>", 1)
            return self._send(200, html.encode(), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: "reload" once the site differs from the page's build."""
        query = parse_qs(urlsplit(self.path).query)
        try:
            seen = int(query.get("since", ["0"])[0])
        except ValueError:
            seen = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            while not self.dev.stop_event.is_set():
                current = self.dev.state.wait_past(seen, timeout=HEARTBEAT_SECONDS)
                if current != seen:
                    self.wfile.write(b"data: reload\n\n")
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")  # a closed tab shows up as a write error
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
