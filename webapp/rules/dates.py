"""Calendar arithmetic that never raises: answers may hold any valid ISO date, even 9999-12-31."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache


def add_days(day: date, days: int) -> date:
    """`day` + `days`, saturating at the ends of the calendar instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@lru_cache(maxsize=16384)
def add_months(day: date, months: int) -> date:
    """`day` + calendar months; a day past the end of the target month falls on its last day
    (2024-02-29 + 24 months = 2026-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
