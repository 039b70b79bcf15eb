"""Register OIDs of persons: `<year>.<7 digits>`, unique, handed out in order.

Why a counter row per year and not a PostgreSQL sequence:
* a sequence is not transactional, so a rolled-back person creation would burn a number, and a new
  year would need DDL (a new sequence) at the turn of the year; a row is created by an ordinary insert;
* the same code runs on SQLite (`make run`), where there are no sequences;
* concurrency: on PostgreSQL `select_for_update` locks the year's row until the transaction ends, so two
  allocations never read the same `last_number`; SQLite takes the database write lock at BEGIN
  (settings use transaction_mode IMMEDIATE), which serializes allocations just as well.
The price is that concurrent person creations in one year queue on one row for the rest of their
transaction; bulk loads take a whole block in one step (`person_oid_allocate_block`) to keep that short.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from frmr.registry.models import OidCounter, Person

OID_NUMBER_MAX = 9_999_999


def _first_free_number(year: int) -> int:
    # Persons imported with OIDs issued elsewhere (the federal register) may already use this year's
    # numbers: start the new counter after the highest of them.
    prefix = f"{year}."
    highest = Person.objects.filter(oid__startswith=prefix).aggregate(top=Max("oid"))["top"]
    return int(highest[len(prefix) :]) if highest else 0


def person_oid_allocate_block(*, count: int, year: int | None = None) -> list[str]:
    """`count` consecutive unused OIDs of `year` (default: the current year)."""
    if count < 1:
        raise ValueError("count must be positive")
    year = year or timezone.localdate().year
    if not 1000 <= year <= 9999:
        raise ValueError("year must have four digits")
    with transaction.atomic():
        counter = OidCounter.objects.select_for_update().filter(year=year).first()
        if counter is None:
            # ignore_conflicts makes the creation of the year's row race-free (INSERT … ON CONFLICT):
            # whoever loses the race simply locks the row the winner made.
            OidCounter.objects.bulk_create(
                [OidCounter(year=year, last_number=_first_free_number(year))], ignore_conflicts=True
            )
            counter = OidCounter.objects.select_for_update().get(year=year)
        first = counter.last_number + 1
        last = counter.last_number + count
        if last > OID_NUMBER_MAX:
            raise OverflowError(f"register OIDs of {year} are exhausted")
        counter.last_number = last
        counter.save(update_fields=["last_number"])
    return [f"{year}.{number:07d}" for number in range(first, last + 1)]


def person_oid_allocate(*, year: int | None = None) -> str:
    return person_oid_allocate_block(count=1, year=year)[0]
