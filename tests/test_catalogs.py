"""The message catalogs (SPEC 18): complete, up to date with the sources, and used.

A catalog fails here when it lacks a message, has a fuzzy or empty one, keeps one
the sources no longer have, or drops a placeholder; messages.pot fails when
re-extracting the templates and code (babel.cfg) gives other messages.
"""

from __future__ import annotations

import re
from contextlib import chdir
from html import unescape
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from bscgen import catalogs
from bscgen.language import LANGUAGES as ACCEPTED
from bscgen.problems import Problems
from tests.helpers import REPO, build, copy_fixture

TRANSLATED = [language for language in catalogs.LANGUAGES if language != catalogs.SOURCE_LANGUAGE]


def read(path: Path, language: str | None = None):
    with open(path, "rb") as file:
        return read_po(file, locale=language)


def ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def template():
    return read(catalogs.LOCALES / "messages.pot")


def test_the_template_is_up_to_date_with_the_sources(tmp_path, template):
    extracted = tmp_path / "messages.pot"
    with chdir(REPO):
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "N_", "--no-location",
                                    "--sort-output", "-o", str(extracted), "."])
    fresh = read(extracted)
    missing, stale = ids(fresh) - ids(template), ids(template) - ids(fresh)
    assert not missing and not stale, (
        f"messages.pot is out of date: new {sorted(map(str, missing))}, gone {sorted(map(str, stale))}; "
        "run the pybabel extract command in babel.cfg")


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_shipped_catalog_translates_every_message_and_no_other(language, template):
    catalog = read(catalogs.shipped_catalog(language), language)
    assert ids(catalog) == ids(template), (
        f"missing {sorted(map(str, ids(template) - ids(catalog)))}, unknown {sorted(map(str, ids(catalog) - ids(template)))}")
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"{language}: empty {message.id!r}"
    # Babel's checks: the same python-format placeholders as the message
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert not problems, problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_placeholder_and_tag_survives_translation(language):
    """A translation keeps the message's %(name)s placeholders and its HTML tags."""
    for message in read(catalogs.shipped_catalog(language), language):
        if not message.id:
            continue
        source = message.id[-1] if message.pluralizable else message.id
        for string in message.string if message.pluralizable else (message.string,):
            for pattern in (r"%\(\w+\)s", r"</?\w+[^>]*>"):
                assert set(re.findall(pattern, string)) <= set(re.findall(pattern, source)) and (
                    set(re.findall(pattern, source)) - {"%(count)s"} <= set(re.findall(pattern, string))), (
                    language, message.id, string)


def test_english_is_the_messages_themselves(tmp_path):
    english = catalogs.translations(tmp_path, "en")
    assert english.gettext("Needs attention") == "Needs attention"
    assert english.ngettext("%(count)s objective", "%(count)s objectives", 2) == "%(count)s objectives"


def test_german_plural_forms():
    german = catalogs.translations(Path("/nonexistent"), "de")
    assert german.ngettext("%(count)s objective", "%(count)s objectives", 1) == "%(count)s Ziel"
    assert german.ngettext("%(count)s objective", "%(count)s objectives", 3) == "%(count)s Ziele"


def test_polish_has_three_plural_forms():
    """Polish: 1 cel, 3 cele (2-4, 22-24...), 5 celów (5-21, 25...)."""
    polish = catalogs.translations(Path("/nonexistent"), "pl")
    forms = [polish.ngettext("%(count)s objective", "%(count)s objectives", n) % {"count": n} for n in (1, 3, 5, 12, 22)]
    assert forms == ["1 cel", "3 cele", "5 celów", "12 celów", "22 cele"]
    assert polish.ngettext("and %(count)s more row", "and %(count)s more rows", 4) == "i jeszcze %(count)s wiersze"


OVERRIDE = '''\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Overview"
msgstr "Startseite"

msgid "Nothing bscgen says"
msgstr "Nichts"
'''


def test_a_project_overrides_one_message_and_keeps_the_rest(tmp_path):
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "de.po").write_text(OVERRIDE, encoding="utf-8")
    german = catalogs.translations(tmp_path, "de")
    assert german.gettext("Overview") == "Startseite"
    assert german.gettext("Needs attention") == "Handlungsbedarf"
    problems = Problems()
    catalogs.check_override(tmp_path, "de", problems)
    assert [str(p) for p in problems.sorted()] == [
        'locales/de.po:8: warning: bscgen has no message "Nothing bscgen says"; it is never shown']


def test_a_malformed_override_is_an_error_at_its_line(tmp_path):
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "de.po").write_text('msgid "Overview"\nmsgstr "Start\n', encoding="utf-8")
    problems = Problems()
    catalogs.check_override(tmp_path, "de", problems)
    [problem] = problems.sorted()
    assert str(problem).startswith("locales/de.po:2: error: this is not a gettext catalog"), str(problem)


def page_text(path: Path) -> str:
    """A page's words: its tags and scripts out, entities decoded, spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def phrases(template) -> list[str]:
    """The English UI phrases: every message's text outside its placeholders and tags, of two words or more."""
    found = set()
    for message in template:
        for text in (message.id if message.pluralizable else (message.id,)) if message.id else ():
            for part in re.split(r"%\(\w+\)s|<[^>]+>", text.replace("%%", "%")):
                part = part.strip(" ,.:;()—")
                if len(part.split()) >= 2:
                    found.add(part)
    return sorted(found)


@pytest.fixture(scope="module")
def small_sites(tmp_path_factory):
    """The small fixture built in English, German and Arabic (right to left)."""
    sites = {}
    for language in ("en", "de", "ar"):
        project = copy_fixture("small", tmp_path_factory.mktemp(language) / "project")
        config = project / "bscgen.yaml"
        config.write_text(config.read_text(encoding="utf-8") + f"language: {language}\n", encoding="utf-8")
        build(project)
        sites[language] = project / "site"
    return sites


# Words of the navigation every page has: "Overview" and "Strategy map" in the language.
NAVIGATION = {"de": ("Übersicht", "Strategiekarte"), "ar": ("نظرة عامة", "خريطة الاستراتيجية")}


@pytest.mark.parametrize("language", sorted(NAVIGATION))
@pytest.mark.parametrize("page", ["index.html", "objectives/F1/index.html", "kpis/cost/index.html", "perspectives/financial/index.html", "kpis/index.html", "changes/index.html", "data-status/index.html", "briefing/index.html", "strategy-map/index.html", "attention/index.html"])
def test_a_translated_build_has_no_english_chrome_left(small_sites, template, language, page):
    english, translated = page_text(small_sites["en"] / page), page_text(small_sites[language] / page)
    shown = [p for p in phrases(template) if p in english]
    assert len(shown) >= 3, f"too few catalog phrases on the English {page} to test: {shown}"
    left = [p for p in shown if p in translated]
    assert not left, f"English left on the {language} {page}: {left}"
    assert all(word in translated for word in NAVIGATION[language])


def test_an_arabic_page_runs_right_to_left(small_sites):
    html = (small_sites["ar"] / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html\b[^>]*\blang="ar"', html) and re.search(r'<html\b[^>]*\bdir="rtl"', html), html[:300]


def test_every_language_bscgen_accepts_is_shipped_complete():
    assert catalogs.LANGUAGES == ACCEPTED
    assert all(catalogs.shipped_catalog(code).is_file() for code in TRANSLATED)
