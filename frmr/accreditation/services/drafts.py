"""Drafts never sent: the owner is reminded, then the draft goes with its files (the periods and the
dates: frmr/accreditation/retention.py; docs/accreditation.md, «Abandoned drafts»).

`drafts_clean_up` is a periodic job of the task workers' sweep (frmr/taskqueue/periodic.py). A round runs
once across the workers, yet two may overlap, so every draft is taken under its row lock with SKIP
LOCKED and moved on under it: a draft another sweep holds is left to that sweep, one the worker is saving
waits for the next round, and a draft that changed or was sent meanwhile no longer matches when locked.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accreditation.models import Application
from frmr.accreditation.notify import KIND, application_link
from frmr.accreditation.retention import (
    draft_kept_until,
    drafts_due_for_deletion,
    drafts_due_for_reminder,
    long_date,
)
from frmr.accreditation.services._common import delete_file_on_commit
from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, deleted_changes
from frmr.notifications.services import notification_create

logger = logging.getLogger(__name__)

# Drafts handled per kind and round: a round stays short, and a backlog goes in the next rounds.
BATCH = 200


def drafts_clean_up(*, now: datetime.datetime | None = None) -> int:
    """The sweep's job: delete the drafts whose time is over, remind the owners of idle ones; how many."""
    moment = now or timezone.now()
    return drafts_delete_abandoned(now=moment) + drafts_remind_idle(now=moment)


def drafts_remind_idle(*, now: datetime.datetime | None = None) -> int:
    """Remind the owner of every draft idle for FRMR_DRAFT_REMIND_DAYS, once per idle period."""
    moment = now or timezone.now()
    with transaction.atomic():
        due = list(
            drafts_due_for_reminder(now=moment)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("applicant", "specialty")
            .order_by("updated_at", "pk")[:BATCH]
        )
        for application in due:
            _remind(
                application,
                kept_until=draft_kept_until(updated_at=application.updated_at, reminded_at=moment),
            )
        # An update, not save(): `updated_at` must keep the last change, which the reminder is not.
        Application.objects.filter(pk__in=[application.pk for application in due]).update(
            draft_reminded_at=moment
        )
    return len(due)


def drafts_delete_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Delete every draft kept past its last day, with its files (removed once the deletion commits)."""
    moment = now or timezone.now()
    with transaction.atomic():
        doomed = list(
            drafts_due_for_deletion(now=moment)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("applicant", "specialty")
            .order_by("updated_at", "pk")[:BATCH]
        )
        for application in doomed:
            _delete(application)
    return len(doomed)


def _delete(application: Application) -> None:
    # The documents cannot change meanwhile: every service that changes them locks the draft first.
    documents = list(application.documents.order_by("doc_type", "row"))
    changed_on = long_date(timezone.localdate(application.updated_at))
    audit_record(
        actor=SYSTEM,
        organization=None,
        action=AuditAction.DELETE,
        obj=application,
        person=application.person_id,
        changes=deleted_changes(
            {
                "status": application.status,
                "specialty": _specialty(application),
                "updated_at": application.updated_at.isoformat(),
                "draft_reminded_at": application.draft_reminded_at.isoformat()
                if application.draft_reminded_at
                else None,
                "documents": len(documents),
            }
        ),
        # Eager gettext: the entry stores a plain string.
        reason=_(
            "Черновик не изменялся с %(date)s г. и не был отправлен: удалён по истечении срока хранения."
        )
        % {"date": changed_on},
    )
    specialty = _specialty(application)
    if specialty:
        body = _(
            "Черновик заявления на аккредитацию по специальности «%(specialty)s» не изменялся "
            "с %(date)s г. и удалён вместе с загруженными файлами, как мы предупреждали. Чтобы подать "
            "заявление, начните новое в личном кабинете."
        ) % {"specialty": specialty, "date": changed_on}
    else:
        body = _(
            "Черновик заявления на аккредитацию не изменялся с %(date)s г. и удалён вместе с загруженными "
            "файлами, как мы предупреждали. Чтобы подать заявление, начните новое в личном кабинете."
        ) % {"date": changed_on}
    notification_create(
        recipient=application.applicant,
        kind=KIND,
        title=_("Черновик удалён"),
        body=body,
        link=_applications_link(),
        dedup_key=f"application:{application.pk}:draft-deleted",
        email_to=application.contact_email or None,
    )
    for document in documents:
        delete_file_on_commit(document.storage_name)
    application_id = application.pk
    application.delete()
    logger.info("deleted draft application %s (%s files)", application_id, len(documents))


def _remind(application: Application, *, kept_until: datetime.date) -> None:
    values = {
        "specialty": _specialty(application),
        "changed": long_date(timezone.localdate(application.updated_at)),
        "kept": long_date(kept_until),
    }
    if values["specialty"]:
        text = _(
            "Черновик заявления на аккредитацию по специальности «%(specialty)s» не отправлен и не "
            "изменялся с %(changed)s г. Он хранится до %(kept)s г.: если до этого дня черновик "
            "не изменить и не отправить, он будет удалён вместе с загруженными файлами. Откройте "
            "черновик в личном кабинете, чтобы продолжить заполнение или отправить заявление."
        )
    else:
        text = _(
            "Черновик заявления на аккредитацию не отправлен и не изменялся с %(changed)s г. Он "
            "хранится до %(kept)s г.: если до этого дня черновик не изменить и не отправить, он будет "
            "удалён вместе с загруженными файлами. Откройте черновик в личном кабинете, чтобы "
            "продолжить заполнение или отправить заявление."
        )
    body = text % values
    notification_create(
        recipient=application.applicant,
        kind=KIND,
        title=_("Черновик заявления не отправлен"),
        body=body,
        link=application_link(application),
        # One per idle period: a change after the reminder starts a period with a reminder of its own.
        dedup_key=f"application:{application.pk}:draft-reminder:{application.updated_at.timestamp():.6f}",
        email_to=application.contact_email or None,
    )


def _specialty(application: Application) -> str:
    return application.specialty.name if application.specialty_id and application.specialty else ""


def _applications_link() -> str:
    # The draft is gone; its owner's list of applications is where a new one starts.
    try:
        return reverse("lk:application_list")
    except NoReverseMatch:
        return "/lk/"
