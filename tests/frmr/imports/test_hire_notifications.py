"""A worker is told when an organization hires them (issue 13, point 15): one rule for every path.

`card_hire` (the cabinet and the API) and the import's bulk writer (COPY on PostgreSQL, bulk_create
elsewhere; sequential or with the worker process) must leave exactly the same notifications.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.imports.engine import run_import
from frmr.notifications.models import EmailStatus, Notification
from frmr.registry.models import EmploymentCard, Organization, Person
from frmr.registry.services import card_hire, card_transfer, person_create
from frmr.registry.services.employment import HIRE_FIELDS
from frmr.registry.services.hires import KIND
from tests.factories import EmploymentCardFactory, PersonFactory, valid_snils
from tests.frmr.imports.test_engine import row, write_csv

pytestmark = pytest.mark.usefixtures("dictionaries")

NEW_SNILS = valid_snils(301)


def _notifications() -> list[tuple[Any, ...]]:
    return sorted(
        Notification.objects.filter(kind=KIND).values_list(
            "recipient_id", "kind", "title", "body", "link", "email_to", "email_status"
        )
    )


@pytest.fixture
def cast(worker: User, other_worker: User, org_b: Organization) -> dict[str, Person]:
    """Who org_b's file hires: a worker of org_a with an account (new to org_b), a worker of org_b with an
    account (a second card there), a person without an account, and a person new to the register."""
    assert worker.person is not None and other_worker.person is not None
    worker.person.email = "worker@example.ru"
    worker.person.save(update_fields=["email"])
    return {"newcomer": worker.person, "again": other_worker.person, "no_account": PersonFactory()}


def _same_person(person: Person) -> dict[str, str]:
    # A row naming an existing person under other names or birth date is a change of identity, which the
    # import skips unless confirmed; these rows hire people as they are recorded.
    return {
        "snils": person.snils,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "gender": "",
        "birth_date": person.birth_date.strftime("%d.%m.%Y"),
    }


def _file(tmp_path: Path, cast: dict[str, Person]) -> Path:
    # Blank e-mail cells keep the recorded address, which the letter goes to.
    rows = [
        row(**_same_person(cast["newcomer"]), begin_date="01.02.2025", service_number="7001", email=""),
        row(**_same_person(cast["again"]), begin_date="01.03.2025", service_number="7002", email=""),
        row(**_same_person(cast["no_account"]), begin_date="01.04.2025", service_number="7003"),
        row(snils=NEW_SNILS, begin_date="01.05.2025", service_number="7004"),
    ]
    return write_csv(tmp_path / "hires.csv", rows)


@pytest.mark.parametrize("pipeline", [False, True])
def test_the_import_notifies_exactly_as_the_service_does(
    tmp_path: Path, cast: dict[str, Person], org_b: Organization, pipeline: bool
) -> None:
    path = _file(tmp_path, cast)
    with transaction.atomic():
        result = run_import(
            organization=org_b,
            actor=SYSTEM,
            path=path,
            name=path.name,
            dry_run=False,
            pipeline=pipeline,
            chunk_size=2,
        )
        assert not result.file_errors and len(result.errors) == 0
        imported = _notifications()
        cards = {
            card.person.snils: card
            for card in EmploymentCard.objects.filter(
                organization=org_b, service_number__startswith="700"
            ).select_related("person")
        }
        hires = {
            snils: {field: getattr(card, field) for field in HIRE_FIELDS} for snils, card in cards.items()
        }
        keys = set(Notification.objects.filter(kind=KIND).values_list("dedup_key", flat=True))
        assert keys == {f"card:{cards[p.snils].pk}:hired" for p in (cast["newcomer"], cast["again"])}
        new_person = Person.objects.get(snils=NEW_SNILS)
        new_person_data = {
            field: getattr(new_person, field)
            for field in ("snils", "last_name", "first_name", "patronymic", "gender", "birth_date")
        }
        transaction.set_rollback(True)

    # The same hires, one by one through the service the cabinet and the API use.
    with transaction.atomic():
        for person in cast.values():
            card_hire(actor=SYSTEM, organization=org_b, person=person, data=hires[person.snils])
        created = person_create(actor=SYSTEM, organization=org_b, data=new_person_data)
        card_hire(actor=SYSTEM, organization=org_b, person=created, data=hires[NEW_SNILS])
        by_service = _notifications()
        transaction.set_rollback(True)

    assert imported == by_service
    assert [n[0] for n in imported] == sorted(
        User.objects.filter(person__in=[cast["newcomer"], cast["again"]]).values_list("pk", flat=True)
    )
    bodies = {recipient: body for recipient, _, _, body, *_ in imported}
    newcomer = User.objects.get(person=cast["newcomer"]).pk
    again = User.objects.get(person=cast["again"]).pk
    assert "Теперь эта организация видит ваше личное дело" in bodies[newcomer]
    assert "видит ваше личное дело" not in bodies[again]  # org_b saw the file already
    assert "с 01.02.2025" in bodies[newcomer] and org_b.name_short in bodies[newcomer]


def test_the_import_sends_the_letters_after_commit(
    tmp_path: Path,
    cast: dict[str, Person],
    org_b: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_import(
            organization=org_b, actor=SYSTEM, path=_file(tmp_path, cast), name="hires.csv", dry_run=False
        )
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    # The worker of org_a has an address in the file; the other account's user has its own e-mail, if any.
    sent = {tuple(message.to) for message in mail.outbox}
    assert ("worker@example.ru",) in sent
    assert Notification.objects.get(recipient__person=cast["newcomer"]).email_status == EmailStatus.SENT


def test_card_hire_notifies_once_and_transfers_do_not(
    cast: dict[str, Person], org_b: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    department = org_b.departments.get()
    existing = EmploymentCard.objects.filter(person=cast["again"], organization=org_b).get()
    data = {field: getattr(existing, field) for field in HIRE_FIELDS} | {
        "begin_date": datetime.date(2024, 5, 6)
    }
    with django_capture_on_commit_callbacks(execute=True):
        card = card_hire(actor=SYSTEM, organization=org_b, person=cast["newcomer"], data=data)
    notification = Notification.objects.get()
    assert notification.recipient.person == cast["newcomer"] and notification.kind == KIND
    assert notification.title == f"Приём на работу: {org_b.name_short}"
    assert notification.link == "/lk/" and notification.dedup_key == f"card:{card.pk}:hired"
    assert [message.to for message in mail.outbox] == [["worker@example.ru"]]
    assert "Приём на работу" in mail.outbox[0].subject

    card_transfer(
        actor=SYSTEM,
        organization=org_b,
        card=card,
        data={"transfer_date": datetime.date(2024, 7, 1), "end_reason": "7", "department": department},
    )
    card_hire(actor=SYSTEM, organization=org_b, person=cast["no_account"], data=data)
    assert Notification.objects.count() == 1  # a transfer is no hire; nobody to tell without an account


def test_a_refused_hire_notifies_nobody(cast: dict[str, Person], org_b: Organization) -> None:
    existing = EmploymentCardFactory(
        person=cast["newcomer"], organization=org_b, department=org_b.departments.get()
    )
    data = {field: getattr(existing, field) for field in HIRE_FIELDS} | {"rate": "0.3"}
    with pytest.raises(Exception, match="Ставка"):
        card_hire(actor=SYSTEM, organization=org_b, person=cast["newcomer"], data=data)
    assert not Notification.objects.exists()
