"""The messages of one language (SPEC 18): the catalog bscgen ships for it, with
the project's own `locales/<language>.po` merged over it.

Catalogs are gettext .po files read at run time (babel.messages.pofile), not
compiled .mo files: the wheel ships exactly the files contributors edit, and no
build step can leave a stale binary behind. English is the source language: its
messages are the msgids themselves.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from bscgen.language import LANGUAGES  # noqa: F401  (shipped, each complete: the languages bscgen accepts, SPEC 18)
from bscgen.problems import Problems, Source

SOURCE_LANGUAGE = "en"
LOCALES = Path(__file__).parent / "locales"  # <lang>/LC_MESSAGES/messages.po, and messages.pot
OVERRIDES = "locales"  # the project's folder of <language>.po files


def shipped_catalog(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def override_path(root: Path, language: str) -> Path:
    return root / OVERRIDES / f"{language}.po"


def check_override(root: Path, language: str, problems: Problems) -> None:
    """A project's override of `language`'s messages: malformed is an error, a message
    bscgen does not have is a warning, each at its line."""
    path = override_path(root, language)
    if not path.is_file():
        return
    shown = path.relative_to(root).as_posix()
    text = path.read_bytes()
    bad = _unreadable_line(text)
    if bad is not None:
        problems.error(Source(shown, bad), 'this is not a gettext catalog: a line must be a comment, a keyword '
                       '(msgid, msgid_plural, msgstr, msgstr[N], msgctxt) with a "quoted string", or a "quoted string"')
        return
    try:
        override = read_po(BytesIO(text), locale=language, abort_invalid=True)
    except PoFileError as error:  # Babel counts lines from 0
        problems.error(Source(shown, error.lineno + 1), f"this is not a gettext catalog: {error.args[0].split(' on ')[0]}")
        return
    known = _template()
    for message in override:
        if message.id and message.id not in known:
            problems.warning(Source(shown, message.lineno),
                             f'bscgen has no message "{_singular(message.id)}"; it is never shown')


def translations(root: Path, language: str) -> gettext.NullTranslations:
    """The messages pages of `language` are written in: the shipped catalog with the
    project's override merged over it (checked by check_override)."""
    path = override_path(root, language)
    override = path.read_bytes() if path.is_file() else b""
    if language == SOURCE_LANGUAGE and not override:
        return gettext.NullTranslations()
    return _translations(language, override)


@lru_cache(maxsize=16)
def _translations(language: str, override: bytes) -> gettext.GNUTranslations:
    catalog = _shipped(language)
    if override:
        chosen = {m.id: m for m in catalog if m.id}
        chosen.update((m.id, m) for m in read_po(BytesIO(override), locale=language) if m.id and _translated(m.string))
        catalog = Catalog(locale=language)  # its plural forms are CLDR's for the language
        for message in chosen.values():
            catalog[message.id] = message
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def messages(catalog: Catalog) -> dict[str, object]:
    """A catalog's messages by id (the singular of a plural), the header left out."""
    return {_singular(m.id): m.string for m in catalog if m.id}


@lru_cache(maxsize=16)
def _shipped(language: str) -> Catalog:
    path = shipped_catalog(language)
    if not path.is_file():  # English, or a language without a catalog yet: the msgids themselves
        return Catalog(locale=language)
    return _read(path, language)


@lru_cache(maxsize=1)
def _template() -> set[str]:
    with open(LOCALES / "messages.pot", "rb") as file:
        return {m.id for m in read_po(file) if m.id}


def _read(path: Path, language: str) -> Catalog:
    with open(path, "rb") as file:
        return read_po(file, locale=language, abort_invalid=True)


# Babel reads an unterminated string as if it were closed: such lines are found first.
_PO_LINE = re.compile(r'\s*(#.*|((msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+)?"([^"\\]|\\.)*"\s*)?')


def _unreadable_line(text: bytes) -> int | None:
    """The number of the first line that is no part of a .po file's grammar, or None."""
    for number, line in enumerate(text.decode("utf-8", "replace").splitlines(), start=1):
        if not _PO_LINE.fullmatch(line):
            return number
    return None


def _singular(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)
