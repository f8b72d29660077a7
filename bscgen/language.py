"""The reader's language and locale (SPEC 18): which shipped language, which CLDR
locale formats numbers, dates and money, and which way the text runs.

One `Language` is made per site from bscgen.yaml (or --language/--locale) and
handed to rendering; Babel parses the locale once here, never per number.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import list_currencies

# The languages whose every message bscgen ships (English first: the default).
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "ar")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """What rendering needs to write for one reader: the language of the messages,
    the Babel locale of the formats, the currency of budgets, the text direction."""

    code: str  # one of LANGUAGES; <html lang>
    locale: Locale  # CLDR formats (numbers, dates, quarter names)
    currency: str | None = None  # ISO 4217 code of initiative budgets and spend; None: plain numbers
    # The messages in this language (gettext/ngettext); English's are the messages themselves.
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations, compare=False)

    @property
    def direction(self) -> str:
        """"rtl" for Arabic, else "ltr": the `dir` of every page."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @property
    def tag(self) -> str:
        """The locale as a BCP 47 tag, e.g. "de-CH" (what browsers and Vega call it)."""
        return str(self.locale).replace("_", "-")

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


ENGLISH = Language(DEFAULT_LANGUAGE, Locale("en", "US"))


def language_error(code: str) -> str | None:
    """Why `code` is not a shipped language, or None."""
    if code in LANGUAGES:
        return None
    return f'bscgen has no language "{code}"; the languages are {", ".join(LANGUAGES)}'


def locale_error(name: str) -> str | None:
    """Why Babel cannot read `name` as a locale, or None."""
    try:
        parse_locale(name)
    except (ValueError, UnknownLocaleError):
        return (f'"{name}" is not a locale CLDR knows; write a language and a territory like de-DE, de-CH, '
                f'fr-CA or pt-PT')
    return None


def currency_error(code: str) -> str | None:
    """Why `code` is not an ISO 4217 currency code, or None."""
    if code in list_currencies():
        return None
    return f'"{code}" is not an ISO 4217 currency code; write one like EUR, USD, CHF, GBP or PLN'


@lru_cache(maxsize=None)
def parse_locale(name: str) -> Locale:
    """A locale from "de-CH" or "de_CH"; a bare language gets its likely territory (CLDR's likely subtags)."""
    name = name.strip().replace("-", "_")
    if "_" not in name:
        likely = get_global("likely_subtags").get(name.lower())
        if likely is not None:
            found = Locale.parse(likely)
            return Locale(found.language, found.territory)
    return Locale.parse(name)


def make_language(code: str, locale: str | None = None, currency: str | None = None) -> Language:
    """The Language of valid settings: `locale` None is the language's own (de -> de_DE, pt -> pt_BR)."""
    return Language(code, parse_locale(locale or code), currency)


def language_of(settings: Any) -> Language:
    """The Language of a site's settings (a Config, possibly with --language and --locale over
    bscgen.yaml's): anything with `language`, `locale` and `currency`."""
    return make_language(settings.language, settings.locale, settings.currency)
