"""Drafts never sent: one reminder per idle period, then deletion with the files, the audit entry and a
notice; nothing else is ever touched. Every run is given its moment (`now`), no test sleeps."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application, ApplicationDocument, ApplicationEvent, ApplicationStatus
from frmr.accreditation.retention import application_kept_until, long_date
from frmr.accreditation.services.drafts import drafts_clean_up
from frmr.audit.models import AuditAction, AuditEntry
from frmr.documents.storage import document_storage, document_store
from frmr.notifications.models import Notification
from frmr.taskqueue import periodic
from tests import pdfs
from tests.accreditation_helpers import fill_draft, make_worker, registered_application, submitted_application

S = ApplicationStatus
DAY = datetime.timedelta(days=1)
REMINDER = "Черновик заявления не отправлен"
DELETED = "Черновик удалён"


def idle_since(application: Application, moment: datetime.datetime) -> Application:
    """Pretend the draft was last changed at `moment` (an update, so `auto_now` stays out of it)."""
    Application.objects.filter(pk=application.pk).update(updated_at=moment)
    application.refresh_from_db()
    return application


def store_file(application: Application, actor: User, doc_type: str) -> str:
    stored = document_store(
        file=SimpleUploadedFile(f"{doc_type}.pdf", pdfs.pdf_bytes(), content_type="application/pdf")
    )
    services.application_document_attach(
        application=application,
        actor=actor,
        doc_type=doc_type,
        row=0,
        storage_name=stored.storage_name,
        original_name=stored.display_name,
        size=stored.size,
        sha256=stored.sha256,
        page_count=stored.pages,
    )
    return stored.storage_name


def notices(application_pk: int, title: str) -> list[Notification]:
    return list(
        Notification.objects.filter(dedup_key__startswith=f"application:{application_pk}:", title=title)
    )


@pytest.fixture
def now() -> datetime.datetime:
    return timezone.now()


@pytest.fixture
def applicant() -> User:
    return make_worker()


@pytest.fixture
def draft(applicant: User) -> Application:
    return fill_draft(services.application_create_draft(actor=applicant), applicant)


# --- the reminder ----------------------------------------------------------------------------------


def test_an_idle_draft_is_reminded_once(draft: Application, now: datetime.datetime) -> None:
    idle_since(draft, now - 60 * DAY)

    assert drafts_clean_up(now=now) == 1
    assert drafts_clean_up(now=now) == 0
    assert drafts_clean_up(now=now + 10 * DAY) == 0

    [notice] = notices(draft.pk, REMINDER)
    kept = timezone.localdate(now - 60 * DAY) + 90 * DAY
    assert f"хранится до {long_date(kept)} г." in notice.body
    assert "«Лечебное дело»" in notice.body
    assert "будет удалён вместе с загруженными файлами" in notice.body
    assert notice.link == f"/lk/application/{draft.pk}/"
    assert notice.recipient == draft.applicant
    assert notice.email_to == "worker@example.ru"
    draft.refresh_from_db()
    assert draft.draft_reminded_at == now
    assert draft.updated_at == now - 60 * DAY  # the reminder is not a change
    assert application_kept_until(application=draft) == kept


def test_a_recently_changed_draft_is_not_reminded(draft: Application, now: datetime.datetime) -> None:
    # 59 days: the reminder's day (the 60th) has not come yet.
    idle_since(draft, now - 59 * DAY)
    assert drafts_clean_up(now=now) == 0
    assert notices(draft.pk, REMINDER) == []
    draft.refresh_from_db()
    assert draft.draft_reminded_at is None


def test_a_change_after_the_reminder_starts_a_new_idle_period(
    draft: Application, applicant: User, now: datetime.datetime
) -> None:
    idle_since(draft, now - 61 * DAY)
    assert drafts_clean_up(now=now) == 1

    # The worker comes back and saves the form: no second reminder for this period, no deletion.
    fill_draft(draft, applicant)
    draft.refresh_from_db()
    assert application_kept_until(application=draft) == timezone.localdate(draft.updated_at) + 90 * DAY
    assert drafts_clean_up(now=now + 40 * DAY) == 0
    assert Application.objects.filter(pk=draft.pk).exists()

    assert drafts_clean_up(now=now + 60 * DAY) == 1
    assert len(notices(draft.pk, REMINDER)) == 2


def test_removing_a_file_is_a_change_too(draft: Application, applicant: User, now: datetime.datetime) -> None:
    store_file(draft, applicant, "passport")
    idle_since(draft, now - 60 * DAY)
    services.application_document_remove(application=draft, actor=applicant, doc_type="passport", row=0)
    assert drafts_clean_up(now=now) == 0


# --- the deletion ----------------------------------------------------------------------------------


def test_an_abandoned_draft_goes_with_its_files_after_the_notice(
    draft: Application, applicant: User, now: datetime.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    names = [store_file(draft, applicant, "passport"), store_file(draft, applicant, "snils")]
    storage = document_storage()
    assert all(storage.exists(name) for name in names)
    # Older than the keeping period already (say, from before this rule): reminded first, not deleted.
    idle_since(draft, now - 200 * DAY)
    assert drafts_clean_up(now=now) == 1
    draft.refresh_from_db()
    kept = application_kept_until(application=draft)
    assert kept == timezone.localdate(now) + 14 * DAY
    assert f"хранится до {long_date(kept)} г." in notices(draft.pk, REMINDER)[0].body

    assert drafts_clean_up(now=now + 14 * DAY) == 0  # the last day it is kept
    assert Application.objects.filter(pk=draft.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_clean_up(now=now + 15 * DAY) == 1
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not ApplicationDocument.objects.filter(application_id=draft.pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=draft.pk).exists()
    assert not any(storage.exists(name) for name in names)

    entry = AuditEntry.objects.get(
        object_type="accreditation.application", object_id=str(draft.pk), action=AuditAction.DELETE
    )
    assert entry.actor_id is None and entry.actor_label == "система"
    assert entry.person_id == draft.person_id
    assert entry.changes["status"] == ["draft", None]
    assert entry.changes["documents"] == [2, None]
    assert "удалён по истечении срока хранения" in entry.reason

    [notice] = notices(draft.pk, DELETED)
    assert notice.recipient == applicant
    assert notice.link == "/lk/application/"
    assert "удалён вместе с загруженными файлами" in notice.body
    assert drafts_clean_up(now=now + 16 * DAY) == 0


def test_a_draft_is_kept_through_the_day_its_page_names(draft: Application, now: datetime.datetime) -> None:
    idle_since(draft, now - 60 * DAY)
    assert drafts_clean_up(now=now) == 1
    draft.refresh_from_db()
    kept = application_kept_until(application=draft)
    assert kept == timezone.localdate(now) + 30 * DAY
    last_moment = timezone.make_aware(datetime.datetime.combine(kept, datetime.time(23, 59)))
    assert drafts_clean_up(now=last_moment) == 0
    assert drafts_clean_up(now=last_moment + datetime.timedelta(minutes=2)) == 1
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_a_draft_reminded_before_a_change_is_never_deleted_for_that_reminder(
    draft: Application, applicant: User, now: datetime.datetime
) -> None:
    idle_since(draft, now - 60 * DAY)
    drafts_clean_up(now=now)
    fill_draft(draft, applicant)
    # 90 days after the change: the new period was never reminded about, so it is reminded, not deleted.
    assert drafts_clean_up(now=now + 91 * DAY) == 1
    assert Application.objects.filter(pk=draft.pk).exists()
    assert len(notices(draft.pk, REMINDER)) == 2


def test_sent_and_returned_applications_are_never_touched(
    fac_staff: User, now: datetime.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    sent = submitted_application(make_worker())
    returned = services.application_return_for_revision(
        application=registered_application(make_worker(), fac_staff),
        actor=fac_staff,
        reason="Скан паспорта не читается.",
        rows=["passport:0"],
    )
    quitter = make_worker()
    withdrawn = services.application_withdraw(
        application=fill_draft(services.application_create_draft(actor=quitter), quitter), actor=quitter
    )
    for application in (sent, returned, withdrawn):
        idle_since(application, now - 400 * DAY)
        # Even a stray reminder mark must not make a sent application look like a reminded draft.
        Application.objects.filter(pk=application.pk).update(draft_reminded_at=now - 300 * DAY)
    names = list(ApplicationDocument.objects.values_list("storage_name", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_clean_up(now=now) == 0
        assert drafts_clean_up(now=now + 400 * DAY) == 0
    assert {a.pk: a.status for a in Application.objects.all()} == {
        sent.pk: S.SUBMITTED,
        returned.pk: S.RETURNED,
        withdrawn.pk: S.WITHDRAWN,
    }
    assert list(ApplicationDocument.objects.values_list("storage_name", flat=True)) == names
    assert not Notification.objects.filter(title__in=[REMINDER, DELETED]).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()
    assert application_kept_until(application=returned) is None


def test_the_sweep_runs_the_job(draft: Application, now: datetime.datetime) -> None:
    idle_since(draft, timezone.now() - 60 * DAY)
    assert periodic.sweep()["drafts_cleaned_up"] == 1
    assert len(notices(draft.pk, REMINDER)) == 1
