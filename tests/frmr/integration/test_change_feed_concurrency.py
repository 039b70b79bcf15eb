"""Writers that commit out of order on PostgreSQL: the feed never skips the late one (docs/sync.md).

A writer's position is handed out when it inserts its event, not when it commits. Each test holds one
writer's transaction open while another writer commits, reads the feed meanwhile, and checks that the
feed read on from the cursor it gave then shows both events once each after the late writer commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from frmr.changes.models import ChangeEvent
from frmr.changes.selectors import change_feed
from frmr.integration.services import api_token_create
from frmr.registry.services import person_update
from tests.changes_helpers import wait_settled
from tests.factories import EmploymentCardFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _read_all(organization_id: int, after: int) -> tuple[list[int], int]:
    positions: list[int] = []
    while True:
        page = change_feed(organization_id=organization_id, after=after, limit=2)
        if not page.events:
            return positions, after
        positions += [event.position for event in page.events]
        after = page.after


def _late_writer(before_event: Callable[[], None], write: Callable[[], None]) -> tuple[Any, Any, Any]:
    """A thread that runs `before_event` and `write` in one transaction, then waits to commit."""
    written, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic():
                before_event()
                write()
                written.set()
                assert release.wait(30)
        except BaseException as error:  # handed to the test's thread
            errors.append(error)
            written.set()
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    assert written.wait(30)
    assert not errors, errors
    return thread, release, errors


@pytest.mark.parametrize("late_takes_its_id_first", [False, True])
def test_late_commit_is_not_skipped(operator_a, org_a, late_takes_its_id_first: bool) -> None:
    department = org_a.departments.get()
    late_person, early_person = PersonFactory(), PersonFactory()
    for person in (late_person, early_person):
        EmploymentCardFactory(person=person, organization=org_a, department=department)
    wait_settled()
    _, cursor_start = _read_all(org_a.pk, 0)

    def late_write() -> None:
        person_update(actor=operator_a, organization=org_a, person=late_person, data={"email": "late@ex.ru"})

    def early_write() -> None:
        person_update(
            actor=operator_a, organization=org_a, person=early_person, data={"email": "early@ex.ru"}
        )

    if late_takes_its_id_first:
        # The late writer gets its transaction id first (any write does), but its event comes after the
        # early writer's: its position is the larger one, its transaction id the smaller.
        step = threading.Event()
        late_thread_ready = threading.Event()

        def before_event() -> None:
            api_token_create(organization=org_a, actor=operator_a, name="Ранний токен")
            late_thread_ready.set()
            assert step.wait(30)

        holder: dict[str, Any] = {}

        def start() -> None:
            holder["late"] = _late_writer(before_event, late_write)

        starter = threading.Thread(target=start)
        starter.start()
        assert late_thread_ready.wait(30)
        early_write()  # commits at once
        step.set()
        starter.join(30)
        thread, release, errors = holder["late"]
    else:
        # The late writer inserts its event first (the smaller position) and commits last.
        thread, release, errors = _late_writer(lambda: None, late_write)
        early_write()

    early_event = ChangeEvent.objects.filter(organization_id=org_a.pk, person_id=early_person.pk).get()
    assert not ChangeEvent.objects.filter(person_id=late_person.pk).exists()  # not committed yet
    # While the late writer is open, the feed shows neither event: the early one sorts after the late
    # one, which is not final yet. A reader that had taken the early position would skip the late one.
    shown, cursor = _read_all(org_a.pk, cursor_start)
    assert early_event.position not in shown

    release.set()
    thread.join(30)
    assert not errors, errors
    late_event = ChangeEvent.objects.filter(organization_id=org_a.pk, person_id=late_person.pk).get()
    if not late_takes_its_id_first:
        assert late_event.position < early_event.position
    else:
        assert late_event.position > early_event.position
    wait_settled()
    rest, _ = _read_all(org_a.pk, cursor)
    everything = shown + rest
    assert everything.count(late_event.position) == 1
    assert everything.count(early_event.position) == 1
    assert len(everything) == len(set(everything))
