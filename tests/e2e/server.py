"""A local static server that sends the headers netlify.toml gives the site.

The browser tests serve built sites through it, so the Content-Security-Policy
and the other headers are enforced exactly as in production.

Netlify's matching is implemented for the forms netlify.toml uses:

- ``/*``                  every path
- ``/static/*``           ``/static`` and every path below it
- ``/:quarter/static/*``  ``:name`` matches exactly one path segment
- ``/versions.json``      that exact path

Every matching ``[[headers]]`` entry adds its values; a header set by several
matching entries is sent once, its values joined with ", " (as Netlify does).
"""

from __future__ import annotations

import re
import threading
import tomllib
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]
NETLIFY_TOML = REPO / "netlify.toml"


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A Netlify path pattern as a regular expression over the URL path."""
    if not pattern.startswith("/"):
        raise ValueError(f"a Netlify path pattern starts with '/': {pattern!r}")
    splat = pattern.endswith("/*")
    body = pattern[:-2] if splat else pattern
    parts = []
    for segment in body.split("/")[1:]:
        if segment.startswith(":") and len(segment) > 1:
            parts.append("/[^/]+")
        elif "*" in segment:
            raise ValueError(f"'*' is only supported as the last segment: {pattern!r}")
        else:
            parts.append("/" + re.escape(segment))
    regex = "".join(parts)
    if splat:
        regex += "(?:/.*)?"
    return re.compile(regex or "/")


def load_rules(toml_path: Path = NETLIFY_TOML) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    config = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    rules = []
    for entry in config.get("headers", []):
        values = {str(name): str(value) for name, value in entry.get("values", {}).items()}
        rules.append((pattern_regex(entry["for"]), values))
    return rules


def headers_for(path: str, rules) -> dict[str, str]:
    """The headers Netlify would add to a response for this URL path."""
    found: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for regex, values in rules:
        if regex.fullmatch(path):
            for name, value in values.items():
                key = name.lower()
                names.setdefault(key, name)
                found.setdefault(key, []).append(value)
    return {names[key]: ", ".join(values) for key, values in found.items()}


class NetlifyHandler(SimpleHTTPRequestHandler):
    """Serves files like SimpleHTTPRequestHandler, plus netlify.toml's headers."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a real host
    rules: list = []
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".csv": "text/csv; charset=utf-8",
        ".svg": "image/svg+xml",
    }

    def end_headers(self) -> None:
        path = unquote(urlsplit(self.path).path)
        for name, value in headers_for(path, self.rules).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the tests report what matters


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up shutdown

    def handle_error(self, request, client_address) -> None:
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser closed a connection: normal
        super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path, toml_path: Path = NETLIFY_TOML) -> Iterator[str]:
    """Serve folder on 127.0.0.1 (a free port); yields the base URL, ending in '/'."""
    handler = type("Handler", (NetlifyHandler,), {"rules": load_rules(toml_path)})
    server = QuietServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name=f"e2e-server-{folder.name}", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
