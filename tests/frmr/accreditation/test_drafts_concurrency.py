"""Two drafts' sweeps at once on PostgreSQL: each draft is reminded (and deleted) exactly once, and neither
sweep waits for the other or fails (SKIP LOCKED)."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from frmr.accreditation import services
from frmr.accreditation.models import Application
from frmr.accreditation.services.drafts import drafts_clean_up
from frmr.audit.models import AuditAction, AuditEntry
from frmr.notifications.models import Notification
from tests.accreditation_helpers import fill_draft, make_worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = datetime.timedelta(days=1)


def idle_drafts(count: int, since: datetime.datetime) -> list[int]:
    ids = []
    for _ in range(count):
        applicant = make_worker()
        ids.append(fill_draft(services.application_create_draft(actor=applicant), applicant).pk)
    Application.objects.filter(pk__in=ids).update(updated_at=since)
    return ids


def in_threads(count: int, target: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results.append(target(index))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


def reminders(ids: list[int]) -> dict[int, int]:
    keys = Notification.objects.filter(title="Черновик заявления не отправлен").values_list(
        "dedup_key", flat=True
    )
    counts = dict.fromkeys(ids, 0)
    for key in keys:
        counts[int(key.split(":")[1])] += 1
    return counts


def test_a_sweep_skips_the_drafts_another_sweep_holds() -> None:
    now = timezone.now()
    ids = idle_drafts(3, now - 61 * DAY)
    first_holds = threading.Event()
    second_done = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = drafts_clean_up(now=now)
                first_holds.set()
                # Keep the row locks until the second sweep has finished: it must not wait for them.
                assert second_done.wait(20), "the second sweep waited for the first one's locks"
        except BaseException as exc:
            outcome["first"] = exc
        finally:
            connection.close()

    def second() -> None:
        try:
            assert first_holds.wait(20)
            outcome["second"] = drafts_clean_up(now=now)
        except BaseException as exc:
            outcome["second"] = exc
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcome == {"first": 3, "second": 0}
    assert reminders(ids) == dict.fromkeys(ids, 1)
    # Committed now: a later sweep finds every draft reminded.
    assert drafts_clean_up(now=now) == 0


def test_many_sweeps_at_once_remind_each_draft_exactly_once() -> None:
    now = timezone.now()
    ids = idle_drafts(12, now - 61 * DAY)

    results, errors = in_threads(4, lambda index: drafts_clean_up(now=now))

    assert errors == []
    assert sum(results) == 12
    assert reminders(ids) == dict.fromkeys(ids, 1)
    assert Application.objects.filter(pk__in=ids, draft_reminded_at=now).count() == 12


def test_many_sweeps_at_once_delete_each_draft_exactly_once() -> None:
    now = timezone.now()
    ids = idle_drafts(8, now - 120 * DAY)
    assert drafts_clean_up(now=now) == 8  # the reminders

    results, errors = in_threads(4, lambda index: drafts_clean_up(now=now + 15 * DAY))

    assert errors == []
    assert sum(results) == 8
    assert not Application.objects.filter(pk__in=ids).exists()
    deleted = AuditEntry.objects.filter(object_type="accreditation.application", action=AuditAction.DELETE)
    assert sorted(int(pk) for pk in deleted.values_list("object_id", flat=True)) == sorted(ids)
    assert Notification.objects.filter(title="Черновик удалён").count() == 8
