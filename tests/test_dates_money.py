"""The date and money helpers agree with the standard library and Babel on any input:
`add_months` with `calendar`, the parameters' snapshot with each parameter's own lookup,
`format_day` with Babel's month names, `format_money` with Babel's digit grouping."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from babel.dates import get_month_names
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.i18n import LANGUAGES, format_day, format_money
from webapp.rules import parameters
from webapp.rules.dates import add_months
from webapp.rules.parameters import PARAMETERS


@settings(derandomize=True, database=None, deadline=None, max_examples=500)
@given(st.dates(), st.integers(-30000, 30000) | st.sampled_from([0, 1, 12, 24, 36, -1]))
def test_add_months_is_calendar_arithmetic(day, months):
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        want = date.max
    elif year < date.min.year:
        want = date.min
    else:
        want = date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
    assert add_months(day, months) == want


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(st.dates() | st.sampled_from([d for p in PARAMETERS.values() for d in p.starts]))
def test_snapshot_is_each_parameter_in_force_that_day(day):
    before = day - timedelta(days=1) if day > date.min else day
    for on in (day, before):
        assert parameters.snapshot(on) == {name: p.at(on) for name, p in PARAMETERS.items()}


@settings(derandomize=True, database=None, deadline=None, max_examples=500)
@given(st.dates(), st.sampled_from(LANGUAGES))
def test_format_day_writes_the_month_as_babel_names_it(day, lang):
    month = get_month_names("wide", locale="fr_CA" if lang == "fr" else "en_CA")[day.month]
    want = (f"{'1er' if day.day == 1 else day.day}\u00a0{month}\u00a0{day.year}" if lang == "fr"
            else f"{month} {day.day}, {day.year}")
    assert format_day(day, lang) == want


@settings(derandomize=True, database=None, deadline=None, max_examples=200)
@given(st.integers(0, 10**7), st.sampled_from(LANGUAGES))
def test_format_money_groups_digits_as_babel_does(amount, lang):
    n = format_decimal(amount, locale="fr_CA" if lang == "fr" else "en_CA")
    assert format_money(amount, lang) == (f"{n}\u00a0$" if lang == "fr" else f"${n}")
