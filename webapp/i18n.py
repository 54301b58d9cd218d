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

from .rules.text import Money, Text

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
    return _shipped("translations")


def static_dir() -> Path:
    return _shipped("static")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(translations_dir()), [lang], domain="messages")


def normalise_language(lang: str | None) -> str:
    lang = (lang or "").strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


_MONTHS: dict[str, dict[int, str]] = {}  # lang -> {month number: name}, the same for everyone


def _months(lang: str) -> dict[int, str]:
    months = _MONTHS.get(lang)
    if months is None:
        months = dict(get_month_names("wide", locale="fr_CA" if lang == "fr" else "en_CA"))
        if lang in LANGUAGES:
            _MONTHS[lang] = months
    return months


def format_day(day: date, lang: str) -> str:
    """January 16, 2025 / 16 janvier 2025 (1er janvier 2025; non-breaking spaces in French).
    Not cached: the dates are the person's answers."""
    month = (_MONTHS.get(lang) or _months(lang))[day.month]
    if lang == "fr":
        # Non-breaking spaces: a French date is never split across two lines.
        return f"{'1er' if day.day == 1 else day.day}{NBSP}{month}{NBSP}{day.year}"
    return f"{month} {day.day}, {day.year}"


@lru_cache(maxsize=1024)
def format_number(n: int, lang: str) -> str:
    return format_decimal(n, locale="fr_CA" if lang == "fr" else "en_CA")


def format_money(amount: int, lang: str) -> str:
    """$155 in English, 155 $ (non-breaking space) in French."""
    n = format_number(amount, lang)
    return f"{n}{NBSP}$" if lang == "fr" else f"${n}"


def _param(value: object, lang: str) -> object:
    if type(value) is date:  # most parameters are dates
        return format_day(value, lang)
    if isinstance(value, Text):
        return localize(value, lang)
    if isinstance(value, date):
        return format_day(value, lang)
    if isinstance(value, Money):
        return format_money(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, lang)
    return value


def _all_messages() -> set[str]:
    """Every msgid of the catalogues (French lists them all; English is the msgids)."""
    out: set[str] = set()
    for lang in LANGUAGES:
        out.update(m for m in getattr(catalogue(lang), "_catalog", ()) if isinstance(m, str) and m)
    return out


_TRANSLATED: dict[str, dict[str, str]] = {}  # lang (one of LANGUAGES) -> {msgid: translation}


def _translated(lang: str) -> dict[str, str]:
    """{msgid: its translation} for every message of the catalogues, translated once per
    process (the same for everyone); empty for a language that is not one of LANGUAGES."""
    table = _TRANSLATED.get(lang)
    if table is None:
        if lang not in LANGUAGES:
            return {}
        gettext = catalogue(lang).gettext
        table = _TRANSLATED[lang] = {m: gettext(m) for m in _all_messages()}
    return table


def localize(text: Text, lang: str) -> str:
    """`text` in `lang`, its parameters formatted the way that language writes them. The
    translation is `catalogue(lang).gettext(text.msgid)`, read from the table built once."""
    s = (_TRANSLATED.get(lang) or _translated(lang)).get(text.msgid)
    if s is None:
        s = catalogue(lang).gettext(text.msgid)
    if text.params:
        return s % {k: _param(v, lang) for k, v in text.params.items()}
    return s
