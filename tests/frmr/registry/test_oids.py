from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, connections

from frmr.registry.models import OidCounter
from frmr.registry.services.oids import person_oid_allocate, person_oid_allocate_block
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_allocation_is_sequential_per_year() -> None:
    assert person_oid_allocate(year=2031) == "2031.0000001"
    assert person_oid_allocate_block(count=3, year=2031) == ["2031.0000002", "2031.0000003", "2031.0000004"]
    assert person_oid_allocate(year=2032) == "2032.0000001"
    assert re.fullmatch(r"\d{4}\.\d{7}", person_oid_allocate())
    with pytest.raises(ValueError):
        person_oid_allocate_block(count=0)


@pytest.mark.django_db
def test_new_year_counter_starts_after_imported_oids() -> None:
    PersonFactory(oid="2033.0055647")
    assert person_oid_allocate(year=2033) == "2033.0055648"


@pytest.mark.django_db
def test_overflow_is_refused() -> None:
    OidCounter.objects.create(year=2034, last_number=9_999_999)
    with pytest.raises(OverflowError):
        person_oid_allocate(year=2034)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_are_distinct() -> None:
    assert connection.vendor == "postgresql"
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def work() -> None:
        try:
            start.wait()
            for _ in range(10):
                oids = person_oid_allocate_block(count=2, year=2040)
                with lock:
                    results.extend(oids)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 120 and len(set(results)) == 120
    assert sorted(results) == [f"2040.{n:07d}" for n in range(1, 121)]
