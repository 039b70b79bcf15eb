"""What every transition shares: the row lock, the status check, the history and the audit entry; and
the removal of a dropped file once its transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.accounts.models import User
from frmr.accreditation.models import Application, ApplicationEvent, ApplicationStatus
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record

S = ApplicationStatus

# Why a transition is impossible from a status, in the words the person acting will read.
_STATUS_EXPLAINED = {
    S.DRAFT: gettext_lazy("заявление ещё не отправлено"),
    S.SUBMITTED: gettext_lazy("заявление отправлено и ожидает регистрации"),
    S.REGISTERED: gettext_lazy("заявление уже зарегистрировано"),
    S.RETURNED: gettext_lazy("заявление возвращено заявителю на доработку"),
    S.REFUSED_REGISTRATION: gettext_lazy("в регистрации заявления отказано"),
    S.WITHDRAWN: gettext_lazy("заявление отозвано заявителем"),
    S.AT_COMMISSION: gettext_lazy("заявление уже передано в аккредитационную комиссию"),
    S.ACCREDITED: gettext_lazy("решение уже принято: аккредитован"),
    S.NOT_ACCREDITED: gettext_lazy("решение уже принято: не аккредитован"),
}


def lock(application: Application) -> Application:
    """Re-read the application under a row lock: two people acting at once are served one after the other,
    and the second one sees the status the first one left."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    return locked


def lock_own(application: Application, actor: User) -> Application:
    """`lock`, for the worker acting on their own application: anybody else is refused."""
    locked = lock(application)
    if locked.applicant_id != actor.pk:
        raise PermissionDenied(_("Это заявление подано другим пользователем."))
    return locked


def require_status(application: Application, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if application.status not in allowed:
        refuse_status(application, action)


def refuse_status(application: Application, action: str) -> NoReturn:
    """Refuse `action` saying why the application's status does not allow it."""
    why = _STATUS_EXPLAINED.get(ApplicationStatus(application.status), application.get_status_display())
    raise ValidationError(
        {"status": _("Нельзя %(action)s: %(why)s.") % {"action": action, "why": why}}, code="wrong_status"
    )


def require_reason(reason: str, message: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError({"reason": message}, code="required")
    if len(cleaned) > 4000:
        raise ValidationError(
            {"reason": _("Причина слишком длинная: не больше 4000 символов.")}, code="max_length"
        )
    return cleaned


def record(
    *,
    application: Application,
    actor: User,
    from_status: str,
    reason: str = "",
    rows: list[str] | None = None,
    changes: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Write the worker-visible history step and the audit entry of one transition."""
    now = timezone.now()
    event = ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        actor=actor,
        reason=reason,
        rows=rows or [],
        at=now,
    )
    audit_record(
        actor=actor,
        organization=None,
        action=AuditAction.TRANSITION,
        obj=application,
        person=application.person_id,
        changes={"status": [from_status, application.status], **(changes or {})},
        reason=reason,
    )
    return event


def application_audit_view(*, actor: User, application: Application, what: str) -> None:
    """Staff reading an application or a personal file is recorded (152-ФЗ)."""
    audit_record(
        actor=actor,
        organization=None,
        action=AuditAction.VIEW,
        obj=application,
        person=application.person_id,
        object_repr=f"{application} — {what}",
    )


def delete_file_on_commit(storage_name: str) -> None:
    """Remove a stored file once the transaction that dropped its row commits (not if it rolls back)."""
    alias = settings.DOCUMENT_STORAGE_ALIAS
    transaction.on_commit(lambda: storages[alias].delete(storage_name))
