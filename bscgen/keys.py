"""Cache keys: every digest the build cache compares, made in this one module.

A key names what an output is made of. Equal keys promise equal bytes, so
the writer may link a file from the previous site instead of making it again.
Every key is salted with bscgen's own code, the versions of the libraries
that shape output, and the theme's files: a new version or an edited
template invalidates what it touches.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

_PACKAGE = Path(__file__).resolve().parent
# Libraries whose version changes what bscgen writes
_SHAPING_LIBRARIES = ("markdown", "nh3", "altair", "vl-convert-python", "pagefind", "babel")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def json_key(value: Any) -> str:
    """The key of a JSON-able value, independent of dict order."""
    return sha256(json.dumps(value, sort_keys=True, separators=(",", ":")))


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return ""


@lru_cache(maxsize=None)
def code_digest() -> str:
    """bscgen's own source and the versions of the libraries that shape output."""
    parts = [sha256(path.read_bytes()) for path in sorted(_PACKAGE.glob("*.py"))]
    parts += [sha256(path.read_bytes()) for path in sorted((_PACKAGE / "locales").rglob("*.po"))]  # the messages
    parts += [_version(name) for name in _SHAPING_LIBRARIES]
    return sha256("\n".join(parts))


def tree_digest(folders: list[Path]) -> str:
    """Every file below the folders (a theme's templates and static files, the data)."""
    parts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(folder).as_posix()}:{sha256(path.read_bytes())}")
    return sha256("\n".join(parts))


def build_salt(theme_dirs: list[Path]) -> str:
    """What every key of a build is salted with: the code and the theme."""
    return sha256(code_digest() + tree_digest(theme_dirs))


@lru_cache(maxsize=None)
def chart_salt() -> str:
    """What every chart's drawing depends on besides its data: the chart code and its libraries."""
    parts = [(_PACKAGE / "charts.py").read_bytes().hex()] + [_version(d) for d in ("altair", "vl-convert-python")]
    return sha256("".join(parts))


def chart_key(*made_of: Any) -> str:
    """Charts with the same key draw the same SVG."""
    return json_key([chart_salt(), *made_of])


class Digest:
    """Content digests of the values pages are made from.

    Each object is digested once (by identity), so the many pages sharing one
    quarter's results cost little. The memo keeps what it digested alive: use
    one Digest per batch of short-lived values, sharing a longer-lived one.
    `own_keys` gives types that know a digest of themselves (a chart: its key).
    `by_value` names small immutable records that pages make anew but that are
    equal across copies (a KPI's lineage): they are digested once per build, by value.
    """

    def __init__(
        self, shared: Digest | None = None, own_keys: dict[type, Callable[[Any], str]] | None = None,
        long_lived: Any = None, by_value: tuple[type, ...] = (),
    ) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}
        self._long_lived = long_lived  # digested with the first batch: a no-op build needs none
        # digests of long-lived values (a build's results), looked up but not added to
        self._shared = shared._memo if shared else {}
        self._own_keys = own_keys if own_keys is not None else (shared._own_keys if shared else {})
        self._by_value_types = shared._by_value_types if shared else by_value
        self._by_value: dict[Any, str] = shared._by_value if shared else {}

    def batch(self) -> Digest:
        """A digest for short-lived values that looks up this one's memo."""
        if self._long_lived is not None:
            self(self._long_lived)
            self._long_lived = None
        return Digest(shared=self)

    def __call__(self, value: Any) -> str:
        kind = type(value)
        if value is None or kind in (bool, int, float):
            return repr(value)
        if isinstance(value, str):  # Markup and str enums included
            return repr(str(value)) if len(value) < 80 else "#" + sha256(value)
        if isinstance(value, bytes):
            return "#" + sha256(value)
        if kind in self._by_value_types:
            digest = self._by_value.get(value)
            if digest is None:
                digest = self._by_value[value] = "#" + sha256(self._parts(value))
            return digest
        key = id(value)
        memo = self._memo.get(key) or self._shared.get(key)
        if memo is not None:
            return memo[1]
        digest = "#" + sha256(self._parts(value))
        self._memo[key] = (value, digest)  # keeps value alive so its id stays unique
        return digest

    def _join(self, items) -> str:
        # length-prefixed, so no two different structures read the same
        return "".join(f"{len(part)}:{part}" for part in items)

    def _parts(self, value: Any) -> str:
        if isinstance(value, dict):
            return "d" + self._join(f"{self(k)}={self(v)}" for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return "l" + self._join(self(item) for item in value)
        if isinstance(value, (set, frozenset)):
            return "f" + self._join(sorted(self(item) for item in value))
        if isinstance(value, date):
            return "t" + value.isoformat()
        own = self._own_keys.get(type(value))
        if own is not None:
            return "k" + own(value)
        if dataclasses.is_dataclass(value):
            names = _field_names(type(value))
            return f"c{type(value).__qualname__}" + self._join(self(getattr(value, name)) for name in names)
        if callable(value):
            return "callable"  # helpers such as asset(); what they return is keyed elsewhere
        raise TypeError(f"cannot digest a {type(value).__name__}")


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def output_key(salt: str, path: str, made_of_digest: str) -> str:
    """The key of one output file: where it goes and what it is made of."""
    return sha256(f"{salt}\n{path}\n{made_of_digest}")


def copy_key(salt: str, folder: str, model_digest: str, quarter: Any, with_commentary: bool) -> str:
    """The key of one copy of a quarter: everything its pages are made of but the Markdown texts."""
    return sha256(f"{salt}\n{folder}\n{quarter}\n{model_digest}\n{with_commentary}")


def model_digest(digest: Digest, scorecard: Any, template: bytes | None) -> str:
    """What every copy of a site is made of besides its quarter's results and its
    Markdown texts (keyed per text by text_key): the definitions, and the deck's template."""
    return digest([
        scorecard.config, scorecard.objectives, scorecard.kpis, scorecard.initiatives, scorecard.audience,
        scorecard.partial, template,
    ])


def quarter_digest(digest: Digest, model: str, results: Any, quarters: Any, around: Any, children: Any,
                   upto: Any) -> str:
    """What one copy of a quarter shows besides its texts: the model, the results of
    every quarter up to it (the actuals enter only through them, so data after the
    quarter changes nothing), the quarters it lists with their pages, what the review
    compares with (`around`), and its children's results up to the same quarter."""
    return digest([model, results, quarters, around, _children(children, upto)])


def _children(children: Any, upto: Any) -> list:
    """What a parent's pages show of its children: their results up to a quarter, not their files."""
    return [
        [c.link, c.title, c.calendar, {q: r for q, r in c.quarters.items() if q <= upto}, c.objectives,
         c.perspectives, c.kpis, c.built, c.partial, _children(c.children, upto)]
        for c in children
    ]


def text_key(body: str) -> str:
    return sha256(body)


def bundle_key(salt: str, pages: list[Any]) -> str:
    """A search bundle's key: equal pages give an equal bundle, built once and reused."""
    return json_key([salt, *map(dataclasses.astuple, pages)])
