"""Translation outside a request: the CLI, the API and the PDF render `Text` with this module.

Flask-Babel serves the same compiled catalogues (translations/<lang>/LC_MESSAGES/messages.mo) to
the templates, so a message reads the same on every channel.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import get_month_names
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from .rules.text import Text

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
NBSP = "\u00a0"
# Between the items of a list of sources: French puts a non-breaking space before a semicolon.
LIST_SEPARATOR = {"en": "; ", "fr": NBSP + "; "}


def _shipped(name: str) -> Path:
    """A top-level folder of the checkout (translations, static), which an installed package
    carries inside itself."""
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    return here.parent / name


def translations_dir() -> Path:
    """The folder of the compiled catalogues (translations/<lang>/LC_MESSAGES/messages.mo)."""
    return _shipped("translations")


def static_dir() -> Path:
    """The folder of the static files (CSS, images) the web pages link to."""
    return _shipped("static")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> NullTranslations:
    """The translations of `lang` ("en" or "fr"): English is the msgids themselves (a
    NullTranslations); another language reads its .mo file, once per process. Raises OSError
    when a language other than English has no compiled catalogue."""
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(translations_dir()), [lang], domain="messages")


def normalise_language(lang: str | None) -> str:
    """One of LANGUAGES from any language tag ("fr-CA" -> "fr"); English when none fits."""
    lang = (lang or "").strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def _month_names(locale: str) -> dict[int, str]:
    """{month number: its name} in `locale` (fr_CA or en_CA), from the CLDR data."""
    return dict(get_month_names("wide", locale=locale))


def format_day(day: date, lang: str) -> str:
    """A date written out: January 16, 2025 in English; 16 janvier 2025 in French (1er janvier
    2025 on the first of a month), with non-breaking spaces so that it never splits across two
    lines."""
    month = _month_names("fr_CA" if lang == "fr" else "en_CA")[day.month]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day}{NBSP}{month}{NBSP}{day.year}"
    return f"{month} {day.day}, {day.year}"


def format_number(n: int, lang: str) -> str:
    """An integer with the language's digit grouping: 7,350 in English, 7 350 in French (a
    narrow no-break space, from the CLDR data). Below 1,000 there is nothing to group, and both
    languages write the digits as they are."""
    if 0 <= n < 1000:
        return str(n)
    return format_decimal(n, locale="fr_CA" if lang == "fr" else "en_CA")


def format_money(amount: int, lang: str) -> str:
    """An amount in whole Canadian dollars: $155 in English, 155 $ (non-breaking space) in
    French."""
    n = format_number(amount, lang)
    return f"{n}{NBSP}$" if lang == "fr" else f"${n}"


def _param(value: object, lang: str) -> object:
    """A message parameter as `lang` writes it: a date written out, a `Text` translated, an
    integer (days, months, a cap) with its digit grouping; anything else as it is."""
    if isinstance(value, Text):
        return localize(value, lang)
    if isinstance(value, date):
        return format_day(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return value


def localize(text: Text, lang: str) -> str:
    """`text` in `lang`: its msgid looked up in `catalogue(lang)`, and its %(name)s
    placeholders filled with its parameters written the way that language writes them
    (`_param`). Raises KeyError if the translation names a parameter the text does not have."""
    s = catalogue(lang).gettext(text.msgid)
    if text.params:
        return s % {k: _param(v, lang) for k, v in text.params.items()}
    return s
