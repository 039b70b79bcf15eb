"""Working days of the Russian production calendar, for the deadlines of the centre and the commission.

The calendar is the `holidays` package's Russia (docs/decisions/0004-working-day-calendar.md): the
public holidays of ТК РФ ст. 112, a holiday on a weekend moved to the next working day, and the
transfers of each year's government decree — weekdays declared days off and Saturdays declared working
(2025-11-01). A new year's decree arrives with an update of the pinned package version.
"""

from __future__ import annotations

import datetime
from functools import cache, lru_cache

import holidays

# Years populated when the calendar is built, so that concurrent requests do not fill it in at once;
# a date outside them is still answered (the package adds its year on first use).
_FIRST_YEAR = 2020
_YEARS_AHEAD = 3


@cache
def _russia() -> holidays.HolidayBase:
    last = datetime.date.today().year + _YEARS_AHEAD
    return holidays.country_holidays("RU", years=range(_FIRST_YEAR, last + 1))


@lru_cache(maxsize=8192)
def is_working_day(day: datetime.date) -> bool:
    return bool(_russia().is_working_day(day))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date of the `days`-th working day after `start` (the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`.

    With `start` = today and `end` = a deadline this is the number of working days left; 0 means the
    deadline is today, a negative number the working days it is overdue.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign == 1 else (end, start)
    count = 0
    day = low
    while day < high:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count
