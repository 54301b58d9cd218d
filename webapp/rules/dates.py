"""Calendar arithmetic that never raises: answers may hold any valid ISO date, even 9999-12-31."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_days(day: date, days: int) -> date:
    """`day` + `days`, saturating at the ends of the calendar instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """`day` + calendar months; a day past the end of the target month falls on its last day
    (2024-02-29 + 24 months = 2026-02-28). Not cached: its dates are the person's."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    last = _MONTH_DAYS[month] + (month == 1 and calendar.isleap(year))
    return date(year, month + 1, min(day.day, last))
