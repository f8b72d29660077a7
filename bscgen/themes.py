"""Where themes live: a project's themes/<name>/ first, then the built-in theme.

A project theme may override a single template or static file; anything it
does not have comes from the built-in default theme.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bscgen.urls import STATIC

_PACKAGE = Path(__file__).resolve().parent


def builtin_theme() -> Path:
    # Installed wheels carry the theme inside the package; a source checkout
    # has it at the repository root.
    for candidate in (_PACKAGE / "themes" / "default", _PACKAGE.parent / "themes" / "default"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in theme is missing from this installation of bscgen")


def theme_dirs(root: Path, name: str) -> list[Path]:
    """Folders to look in for a template or static file, most specific first."""
    dirs = [root / "themes" / name]
    builtin = builtin_theme()
    if builtin not in (d.resolve() for d in dirs if d.is_dir()):
        dirs.append(builtin)
    return [d for d in dirs if d.is_dir()]


def theme_exists(root: Path, name: str) -> bool:
    return name == "default" or (root / "themes" / name).is_dir()


def static_files(dirs: list[Path]) -> dict[str, bytes]:
    """Theme static files by name; a project theme's file wins over the built-in one."""
    files: dict[str, bytes] = {}
    for theme in reversed(dirs):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            if path.is_file():
                files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files


def fingerprint(static: dict[str, bytes]) -> dict[str, str]:
    """static name -> path with a content hash, so assets can be cached for ever."""
    names = {}
    for name, content in static.items():
        path = PurePosixPath(name)
        digest = hashlib.sha256(content).hexdigest()[:10]
        names[name] = f"{STATIC}{path.with_name(f'{path.stem}.{digest}{path.suffix}')}"
    return names


@dataclass(frozen=True)
class Theme:
    """A project's theme: where its templates are, and its static files."""

    dirs: list[Path]  # most specific first
    static: dict[str, bytes]  # by name
    assets: dict[str, str]  # static name -> fingerprinted path in a copy

    @classmethod
    def load(cls, root: Path, name: str) -> Theme:
        dirs = theme_dirs(root, name)
        static = static_files(dirs)
        return cls(dirs, static, fingerprint(static))
