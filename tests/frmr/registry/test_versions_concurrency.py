"""Two writers at once on PostgreSQL (issue 13, point 6): both loaded the same version of a person.

The second writer's transaction really waits on the first one's row lock (checked in pg_stat_activity)
before the first commits; it must then see the new version and be refused, so that the first writer's
change survives. Without versions, the second save restored the old phone.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from frmr.registry.models import Person
from frmr.registry.services import StaleVersionError, person_update
from frmr.registry.services.versions import read_state_token, state_token
from tests.factories import EmploymentCardFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FIELDS = ("phone", "birth_place")


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_two_operators_save_the_same_loaded_version_at_once(operator_a, org_a) -> None:
    person = PersonFactory(phone="+79120000001", birth_place="г. Чита")
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    version, loaded = read_state_token(state_token(person, FIELDS))

    first_written = threading.Event()
    second_pid: list[int] = []
    second_started = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                person_update(
                    actor=operator_a,
                    organization=org_a,
                    person=person,
                    data={"phone": "+79120000002", "birth_place": "г. Чита"},
                    expected_version=version,
                    loaded=loaded,
                )
                first_written.set()
                # Hold the row lock until the second writer is seen waiting for it.
                assert second_started.wait(10)
                deadline = time.monotonic() + 10
                while not _waits_on_a_lock(second_pid[0]):
                    assert time.monotonic() < deadline, "the second writer never waited for the lock"
                    time.sleep(0.02)
            outcome["first"] = "saved"
        except BaseException as exc:
            outcome["first"] = exc
        finally:
            connection.close()

    def second() -> None:
        try:
            assert first_written.wait(10)
            second_pid.append(_backend_pid())
            second_started.set()
            person_update(
                actor=operator_a,
                organization=org_a,
                person=person,
                data={"phone": "+79120000001", "birth_place": "г. Омск"},
                expected_version=version,
                loaded=loaded,
            )
            outcome["second"] = "saved"
        except BaseException as exc:
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome["first"] == "saved"
    refusal = outcome["second"]
    assert isinstance(refusal, StaleVersionError), refusal
    assert [(c.field, c.now, c.loaded) for c in refusal.changes] == [
        ("phone", "+79120000002", "+79120000001")
    ]
    saved = Person.objects.get(pk=person.pk)
    assert (saved.phone, saved.birth_place, saved.version) == ("+79120000002", "г. Чита", 2)


def test_many_writers_with_one_loaded_version_exactly_one_wins(operator_a, org_a) -> None:
    person = PersonFactory(phone="+79120000001")
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    count = 6
    barrier = threading.Barrier(count)
    results: list[Any] = []

    def write(index: int) -> None:
        try:
            barrier.wait()
            person_update(
                actor=operator_a,
                organization=org_a,
                person=person,
                data={"phone": f"+7912000001{index}"},
                expected_version=1,
            )
            results.append(index)
        except StaleVersionError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [r for r in results if isinstance(r, int)]
    assert len(results) == count and len(winners) == 1
    saved = Person.objects.get(pk=person.pk)
    assert (saved.phone, saved.version) == (f"+7912000001{winners[0]}", 2)
