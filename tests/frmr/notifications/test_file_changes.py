"""A worker is told when an organization changes their file: one notice per batch, by every write path
(the cabinet's and the API's are in tests/web/mo and tests/frmr/integration/api)."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.imports.engine import run_import
from frmr.notifications.file_changes import KIND
from frmr.notifications.models import EmailStatus, Notification, NotificationSettings
from frmr.notifications.services import notification_settings_set
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Award, Organization, Person
from frmr.registry.services import person_update, section_create
from frmr.registry.services.contacts import person_contacts_update
from frmr.registry.services.hires import KIND as HIRE_KIND
from tests.frmr.imports.test_engine import row, write_csv

pytestmark = pytest.mark.usefixtures("dictionaries")


@pytest.fixture
def dictionaries(db: None) -> None:
    call_command("load_dictionaries", stdout=StringIO())


def _notices(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=KIND))


def _award_kind() -> str:
    return str(DictionaryEntry.objects.filter(dictionary=oids.AWARD_KINDS).values_list("code", flat=True)[0])


def _two_sections(actor: Any, organization: Organization | None, person: Person) -> None:
    with transaction.atomic():
        person_update(actor=actor, organization=organization, person=person, data={"birth_place": "г. Чита"})
        person_update(actor=actor, organization=organization, person=person, data={"email": "n@example.ru"})
        section_create(
            actor=actor,
            organization=organization,
            person=person,
            model=Award,
            data={"kind": _award_kind(), "award_date": datetime.date(2024, 5, 1)},
        )


def test_one_notice_per_transaction_naming_sections_and_who(
    worker: User, operator_a: User, org_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    assert worker.person is not None
    with django_capture_on_commit_callbacks(execute=True):
        _two_sections(operator_a, org_a, worker.person)
    [notice] = _notices(worker)
    assert "Личные данные" in notice.title and "Награды" in notice.title
    assert org_a.name_short in notice.body and "operator_a" in notice.body
    # Off by default: no letter.
    assert notice.email_status == EmailStatus.SKIPPED and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        person_update(
            actor=operator_a, organization=org_a, person=worker.person, data={"birth_place": "Чита"}
        )
    assert len(_notices(worker)) == 2


def test_opted_in_worker_gets_a_letter(
    worker: User, operator_a: User, org_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    assert worker.person is not None
    notification_settings_set(user=worker, email_on_file_change=True)
    with django_capture_on_commit_callbacks(execute=True):
        _two_sections(operator_a, org_a, worker.person)
    [notice] = _notices(worker)
    assert notice.email_to == "n@example.ru" and notice.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["n@example.ru"]]


def test_not_told_of_own_changes_nor_of_a_rolled_back_one(
    worker: User, operator_a: User, org_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    assert worker.person is not None
    with django_capture_on_commit_callbacks(execute=True):
        person_contacts_update(actor=worker, person=worker.person, phone="", email="me@example.ru")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        person_update(actor=operator_a, organization=org_a, person=worker.person, data={"email": "x@ex.ru"})
        transaction.set_rollback(True)
    assert _notices(worker) == []


def test_the_import_tells_once_per_run(
    tmp_path: Path, worker: User, org_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    person = worker.person
    assert person is not None
    same = {
        "snils": person.snils,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "gender": "",
        "birth_date": person.birth_date.strftime("%d.%m.%Y"),
    }

    def run(email: str) -> None:
        path = write_csv(
            tmp_path / "staff.csv",
            [row(**same, email=email, begin_date="01.02.2025", service_number="9001")],
        )
        with django_capture_on_commit_callbacks(execute=True):
            result = run_import(
                organization=org_a, actor=SYSTEM, path=path, name=path.name, dry_run=False, pipeline=False
            )
        assert not result.file_errors and len(result.errors) == 0

    # The first run hires the worker (and changes the address): the hire's own notice says so.
    run("first@example.ru")
    assert _notices(worker) == []
    assert Notification.objects.filter(recipient=worker, kind=HIRE_KIND).count() == 1
    # The second finds the card it made and changes the address only.
    run("second@example.ru")
    [notice] = _notices(worker)
    assert "Личные данные" in notice.title and "система" in notice.body


def test_settings_page(client: Client, worker: User) -> None:
    url = reverse("lk:notification_settings")
    response = client.post(url, {"email_on_file_change": "on"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not NotificationSettings.objects.exists()
    client.force_login(worker)
    page = client.get(reverse("lk:notifications")).content.decode()
    assert 'name="email_on_file_change" id="email-on-file-change">' in page
    assert client.post(url, {"email_on_file_change": "on"}).status_code == 302
    assert NotificationSettings.objects.get(user=worker).email_on_file_change
    page = client.get(reverse("lk:notifications")).content.decode()
    assert 'id="email-on-file-change" checked' in page
    client.post(url, {})
    assert not NotificationSettings.objects.get(user=worker).email_on_file_change
