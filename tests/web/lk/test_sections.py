from __future__ import annotations

import datetime
from types import SimpleNamespace

from web.lk.sections import accreditation_summary, additional_hours, months_after, years_before

TODAY = datetime.date(2026, 11, 27)


def test_date_arithmetic_handles_month_ends() -> None:
    assert years_before(datetime.date(2024, 2, 29), 5) == datetime.date(2019, 2, 28)
    assert months_after(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_after(TODAY, 12) == datetime.date(2027, 11, 27)


def test_hours_count_the_last_five_years_only() -> None:
    rows = [
        SimpleNamespace(hours=72, doc_date=datetime.date(2021, 11, 27)),  # exactly five years ago: counts
        SimpleNamespace(hours=36, doc_date=datetime.date(2021, 11, 26)),  # a day earlier: does not
        SimpleNamespace(hours=36, doc_date=datetime.date(2025, 5, 1)),
    ]
    summary = additional_hours(rows, today=TODAY)
    assert (summary.total, summary.enough, summary.missing) == (108, False, 36)
    rows.append(SimpleNamespace(hours=36, doc_date=TODAY))
    assert additional_hours(rows, today=TODAY).enough


def test_accreditation_summary_latest_per_specialty_and_warning() -> None:
    def record(specialty: int, end: datetime.date, passed: bool = True) -> SimpleNamespace:
        return SimpleNamespace(specialty_id=specialty, end_date=end, passed=passed)

    old = record(1, datetime.date(2022, 1, 1))
    soon = record(1, datetime.date(2027, 6, 1))
    far = record(2, datetime.date(2030, 1, 1))
    failed = record(3, datetime.date(2031, 1, 1), passed=False)
    summary = accreditation_summary([old, soon, far, failed], today=TODAY)
    assert [item.record for item in summary] == [soon, far]
    assert [item.expires_soon for item in summary] == [True, False]
    assert not any(item.expired for item in summary)
