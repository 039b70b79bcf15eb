from __future__ import annotations

import datetime

from frmr.accreditation.calendar import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_year_totals_match_the_official_calendars() -> None:
    def working(year: int) -> int:
        day, count = D(year, 1, 1), 0
        while day.year == year:
            count += is_working_day(day)
            day += datetime.timedelta(days=1)
        return count

    assert working(2025) == 247
    assert working(2026) == 247


def test_transfers() -> None:
    assert is_working_day(D(2025, 11, 1))  # a working Saturday
    assert not is_working_day(D(2025, 11, 3))
    assert not is_working_day(D(2026, 1, 9))  # moved from 3 January
    assert not is_working_day(D(2026, 3, 9))  # 8 March fell on a Sunday
    assert not is_working_day(D(2026, 12, 31))
    # A year not in the file: statutory holidays only.
    assert not is_working_day(D(2030, 6, 12)) and is_working_day(D(2030, 6, 11))


def test_add_working_days_skips_weekends_and_holidays() -> None:
    # Submitted on Tuesday 30 December 2025: 31 Dec and 1–11 Jan are off, so day 1 is 12 January.
    assert add_working_days(D(2025, 12, 30), 1) == D(2026, 1, 12)
    assert add_working_days(D(2025, 12, 30), 20) == D(2026, 2, 6)
    # Friday 6 March 2026: the 9th is off.
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 10)
    assert add_working_days(D(2026, 3, 6), 0) == D(2026, 3, 6)


def test_working_days_between_counts_both_ways() -> None:
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 10)) == 1
    assert working_days_between(D(2026, 3, 10), D(2026, 3, 6)) == -1
    assert working_days_between(D(2026, 2, 2), D(2026, 2, 2)) == 0
    start = D(2026, 4, 1)
    assert working_days_between(start, add_working_days(start, 15)) == 15


def test_the_2027_decree_moves_a_saturday() -> None:
    # Постановление Правительства РФ on the 2027 days off: Saturday 20 February is worked, Monday 22
    # February is off; 2 and 3 January move to 5 November and 31 December.
    assert is_working_day(D(2027, 2, 20))
    assert not is_working_day(D(2027, 2, 22))
    assert not is_working_day(D(2027, 11, 5)) and not is_working_day(D(2027, 12, 31))
    assert not is_working_day(D(2027, 5, 10))  # 9 May fell on a Sunday
