"""What the cabinet shows of the personal file: the sections in order, and the figures derived from them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from frmr.accreditation.requirements import HOURS_PERIOD_YEARS, REQUIRED_HOURS
from frmr.registry.catalogue import BY_SLUG, CABINET_SECTIONS

# A valid accreditation that ends within this many months gets a warning and a link to apply.
EXPIRY_WARNING_MONTHS = 12


@dataclass(frozen=True)
class SectionLink:
    slug: str
    title: str
    hint: str
    count: int | None


@dataclass(frozen=True)
class HoursSummary:
    total: int
    required: int
    since: datetime.date

    @property
    def enough(self) -> bool:
        return self.total >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.total)


@dataclass(frozen=True)
class AccreditationSummary:
    record: Any
    expires_soon: bool
    expired: bool


def section_rows(person_file: Any, slug: str) -> list[Any]:
    return BY_SLUG[slug].rows(person_file)


def section_links(person_file: Any) -> list[SectionLink]:
    return [
        SectionLink(
            slug=section.slug or "",
            title=section.title,
            hint=section.hint,
            count=None if section.attribute is None else len(section.rows(person_file)),
        )
        for section in CABINET_SECTIONS
    ]


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def months_after(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def additional_hours(rows: list[Any], *, today: datetime.date) -> HoursSummary:
    """Hours of continuing education whose document is dated within the last five years (inclusive)."""
    since = years_before(today, HOURS_PERIOD_YEARS)
    total = sum(row.hours for row in rows if since <= row.doc_date <= today)
    return HoursSummary(total=total, required=REQUIRED_HOURS, since=since)


def accreditation_summary(rows: list[Any], *, today: datetime.date) -> list[AccreditationSummary]:
    """Passed accreditations, the latest per specialty, with the warning flag of the main page."""
    warn_until = months_after(today, EXPIRY_WARNING_MONTHS)
    latest: dict[Any, Any] = {}
    for record in rows:
        if not record.passed:
            continue
        current = latest.get(record.specialty_id)
        if current is None or record.end_date > current.end_date:
            latest[record.specialty_id] = record
    return [
        AccreditationSummary(
            record=record,
            expires_soon=today <= record.end_date <= warn_until,
            expired=record.end_date < today,
        )
        for record in sorted(latest.values(), key=lambda r: r.end_date)
    ]
