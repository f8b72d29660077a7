"""Where themes live: a project's themes/<name>/ first, then the built-in theme.

A project theme may override a single template or static file; anything it
does not have comes from the built-in default theme.
"""

from __future__ import annotations

from pathlib import Path

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
