"""Languages and locales (SPEC 18): the formats come from CLDR through Babel, the
settings and flags choose them, and the site says which language it is in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.numbers import format_decimal

from bscgen import site
from bscgen.formatting import (
    format_amount, format_day, format_money, format_percent, format_quarter, format_score, format_trend, format_value,
)
from bscgen.language import LANGUAGES, make_language, parse_locale
from bscgen.model import Kpi
from bscgen.periods import Quarter
from bscgen.problems import Source
from tests.helpers import copy_fixture

NNBSP = "\u202f"  # CLDR's group separator in fr: a narrow no-break space
NBSP = "\xa0"


def kpi(unit: str | None, decimals: int = 1) -> Kpi:
    return Kpi("k", "K", "F1", Source("data/kpis.yaml", 1), target=1, baseline=0, unit=unit, decimals=decimals)


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "316,500.2"), ("de", "316.500,2"), ("fr", f"316{NNBSP}500,2"), ("de-CH", "316'500.2"),
    ("pl", f"316{NBSP}500,2"), ("ar", "316,500.2"),
])
def test_kpi_values_follow_the_locale(locale: str, expected: str):
    assert format_value(316500.2, kpi(None), parse_locale(locale)) == expected
    assert expected == format_decimal(316500.2, "#,##0.0", locale=parse_locale(locale))


def test_decimals_units_and_ranges():
    de = parse_locale("de")
    assert format_value(4.125, kpi("%", 2), de) == "4,12%"  # "%" keeps no space and the locale's decimal sign
    assert format_value((3.7, 4.5), kpi("h", 1), de) == "3,7 to 4,5 h"
    assert format_value(-0.01, kpi(None, 1), de) == "0,0"  # no sign on a rounded zero
    assert format_value(None, kpi(None), de) == "–"


def test_money_in_the_locales_currency_pattern():
    assert format_value(316500, kpi("EUR", 0), parse_locale("de")) == f"316.500{NBSP}€"
    assert format_value(316500, kpi("EUR", 0), parse_locale("en")) == "€316,500"
    assert format_value(4550.5, kpi("CHF", 2), parse_locale("de-CH")) == f"CHF{NBSP}4'550.50"
    assert format_amount(1234.5, "USD", 1, parse_locale("fr")) == f"1{NNBSP}234,5{NBSP}$US"
    # budgets: `currency:` makes them money; without it they are plain whole numbers
    assert format_money(1250000, "EUR", parse_locale("de")) == f"1.250.000{NBSP}€"
    assert format_money(1250000, None, parse_locale("de")) == "1.250.000"
    assert format_money(1250000) == "1,250,000"


def test_scores_trends_and_percent():
    de = parse_locale("de")
    assert format_score(81.25, de) == "81,2"
    assert format_trend(84.4, 81.2, de) == "▲ +3,2"
    assert format_trend(81.2, 84.4, de) == "▼ -3,2"
    assert format_trend(81.2, 81.2, de) == "→ 0,0"
    assert format_percent(45, de) == f"45{NBSP}%"
    assert format_percent(45) == "45%"


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Q3 2026"), ("de", "Q3 2026"), ("fr", "T3 2026"), ("nl", "K3 2026"), ("pl", "III kw. 2026"),
    ("pt", "T3 de 2026"), ("es", "T3 2026"),
])
def test_quarter_labels_from_cldr(locale: str, expected: str):
    assert format_quarter(Quarter(2026, 3), parse_locale(locale)) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "Sep 30, 2026"), ("de", "30.09.2026"), ("fr", "30 sept. 2026"), ("pl", "30 wrz 2026"),
])
def test_dates_in_the_medium_format(locale: str, expected: str):
    assert format_day(date(2026, 9, 30), parse_locale(locale)) == expected


def test_each_language_has_its_own_locale_and_direction():
    assert [str(make_language(code).locale) for code in LANGUAGES] == [
        "en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL", "ar_EG"]
    assert make_language("ar").direction == "rtl"
    assert {make_language(code).direction for code in LANGUAGES if code != "ar"} == {"ltr"}
    assert make_language("de", "de-CH", "CHF").tag == "de-CH"


# --- a small site in German and in Arabic ---------------------------------------------------


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    return copy_fixture("small", tmp_path_factory.mktemp("language") / "p")


@pytest.fixture(scope="module")
def german(small_project: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("de") / "site"
    site.build(small_project, out, latest_only=True, language="de")
    return out


def test_a_german_site(german: Path):
    home = (german / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in home
    page = (german / "kpis" / "cost" / "index.html").read_text(encoding="utf-8")
    assert f"4.550{NBSP}€" in page and f"4.400{NBSP}€" in page  # actual and target, as CLDR's de writes money
    assert "€4,550" not in page
    ticks = re.findall(r"<text[^>]*>([^<]*)</text>", page)  # the chart's axis labels
    assert "4.400" in ticks and "5.200" in ticks and "4,400" not in ticks


def test_an_arabic_site_runs_right_to_left_with_charts_left_to_right(small_project: Path, tmp_path: Path):
    site.build(small_project, tmp_path / "site", latest_only=True, language="ar", use_cache=False)
    page = (tmp_path / "site" / "kpis" / "cost" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<figure class="chart" id="chart-cost" dir="ltr">' in page


def test_the_language_is_part_of_every_key(small_project: Path, tmp_path: Path):
    """The same input builds the same bytes; another language or locale rebuilds every page."""
    out = tmp_path / "site"
    first = site.build(small_project, out, latest_only=True)
    again = site.build(small_project, out, latest_only=True)
    assert again.pages_rendered == 0 and again.pages_reused == first.pages_rendered + first.pages_reused
    english = (out / "index.html").read_bytes()
    swiss = site.build(small_project, out, latest_only=True, language="de", locale="de-CH")
    assert swiss.pages_reused == 0
    assert "4&#39;550" in (out / "kpis" / "cost" / "index.html").read_text(encoding="utf-8")
    back = site.build(small_project, out, latest_only=True)
    assert back.pages_reused == 0 and (out / "index.html").read_bytes() == english
