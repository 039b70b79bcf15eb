"""Working days of the Russian production calendar, for the deadlines of the centre and the commission.

The calendar is a data file (data/holidays.json) so that a new year's decree is a data change, not a
code change. A year missing from the file falls back to the fixed holidays of ТК РФ ст. 112.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "holidays.json"

# ТК РФ ст. 112: (month, day) of the non-working public holidays.
_STATUTORY = [(1, d) for d in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]


@cache
def _calendar() -> tuple[frozenset[datetime.date], frozenset[datetime.date], frozenset[int]]:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    years: set[int] = set()
    for year, entry in raw["years"].items():
        years.add(int(year))
        holidays.update(datetime.date.fromisoformat(day) for day in entry["holidays"])
        workdays.update(datetime.date.fromisoformat(day) for day in entry["workdays"])
    return frozenset(holidays), frozenset(workdays), frozenset(years)


def covered_years() -> frozenset[int]:
    return _calendar()[2]


def is_working_day(day: datetime.date) -> bool:
    holidays, workdays, years = _calendar()
    if day in workdays:
        return True
    if day.year in years:
        return day.weekday() < 5 and day not in holidays
    return day.weekday() < 5 and (day.month, day.day) not in _STATUTORY


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
