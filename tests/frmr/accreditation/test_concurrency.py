"""Concurrent registrations on PostgreSQL: the counter row lock must hand out consecutive numbers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from frmr.accreditation import services
from frmr.accreditation.models import Application, ApplicationStatus
from tests.accreditation_helpers import make_worker, submitted_application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait()
            target(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_twenty_concurrent_registrations_get_consecutive_numbers(fac_staff) -> None:
    applications = [submitted_application(make_worker()) for _ in range(20)]

    def register(index: int) -> None:
        services.application_register(application=applications[index], actor=fac_staff)

    assert _in_threads(20, register) == []
    numbers = sorted(
        Application.objects.filter(status=ApplicationStatus.REGISTERED).values_list(
            "registration_number", flat=True
        )
    )
    assert len(set(numbers)) == 20
    assert [int(number[-6:]) for number in numbers] == list(range(1, 21))


def test_two_staff_registering_the_same_application_at_once(fac_staff) -> None:
    application = submitted_application(make_worker())

    def register(index: int) -> None:
        services.application_register(application=application, actor=fac_staff)

    errors = _in_threads(2, register)
    assert len(errors) == 1 and "уже зарегистрировано" in str(errors[0])
    application.refresh_from_db()
    assert application.registration_number and application.registration_number.endswith("000001")


def test_double_submit_in_parallel_makes_one_submission() -> None:
    from tests.accreditation_helpers import fill_documents, fill_draft

    worker = make_worker()
    draft = fill_draft(services.application_create_draft(actor=worker), worker)
    fill_documents(draft, worker)

    def submit(index: int) -> None:
        services.application_submit(application=draft, actor=worker)

    assert _in_threads(5, submit) == []
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == 1
    assert draft.events.filter(to_status=ApplicationStatus.SUBMITTED).count() == 1
