"""Correction requests: the worker sends, the employer answers, either side closes.

Every status change goes through `_transition`, which locks the row, checks ALLOWED_TRANSITIONS (so two
people acting at once cannot both succeed) and writes the audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.models import User
from frmr.accounts.permissions import acts_for
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record
from frmr.core.validators import validate_printable
from frmr.corrections.models import (
    ALLOWED_TRANSITIONS,
    TEXT_MAX_LENGTH,
    CorrectionRequest,
    CorrectionStatus,
)
from frmr.corrections.selectors import correction_employers
from frmr.documents.pdf import too_large_message
from frmr.documents.storage import StoredDocument, document_delete, document_store
from frmr.notifications.services import notification_create
from frmr.registry.catalogue import FileSection
from frmr.registry.models import Organization, Person

NOTIFICATION_KIND_ANSWERED = "correction_answered"
DUPLICATE_WINDOW = timedelta(minutes=10)


def correction_request_create(
    *,
    actor: User,
    organization: Organization | None,
    section: str,
    text: str,
    expected_value: str,
    proof: Any = None,
    proof_too_large: bool = False,
) -> CorrectionRequest:
    """The worker `actor` asks `organization` (a current or former employer) to correct `section`.

    `proof` is an optional uploaded PDF, checked by content like the accreditation documents;
    `proof_too_large` says the upload handler cut the file off at the size limit.
    """
    person = actor.person if actor.person_id else None
    if person is None:
        raise ValidationError(_("В регистре нет сведений о вас: исправлять пока нечего."))
    errors: dict[str, list[str]] = {}
    employer_ids = {org.pk for org in correction_employers(person=person)}
    if organization is None:
        errors["organization"] = [_("Выберите организацию, которой адресован запрос.")]
    elif organization.pk not in employer_ids:
        errors["organization"] = [
            _("Запрос можно отправить только организации, в которой вы работаете или работали.")
        ]
    if section not in FileSection.values:
        errors["section"] = [_("Выберите раздел личного дела, в котором ошибка.")]
    text = (text or "").strip()
    expected_value = (expected_value or "").strip()
    _check_text(errors, "text", text, _("Опишите, что указано неверно."))
    _check_text(errors, "expected_value", expected_value, _("Укажите, как должно быть."))
    if proof_too_large:
        errors["proof"] = [too_large_message()]
    if errors:
        raise ValidationError(errors)
    assert organization is not None
    stored = None
    if proof is not None:
        try:
            stored = document_store(file=proof, original_name=getattr(proof, "name", None))
        except ValidationError as error:
            raise ValidationError({"proof": error.messages}) from error
    try:
        return _create(
            actor=actor,
            person=person,
            organization=organization,
            section=section,
            text=text,
            expected_value=expected_value,
            stored=stored,
        )
    except BaseException:
        # Nothing half-saved: a file whose row was never written is removed again.
        if stored is not None:
            document_delete(storage_name=stored.storage_name)
        raise


def _create(
    *,
    actor: User,
    person: Person,
    organization: Organization,
    section: str,
    text: str,
    expected_value: str,
    stored: StoredDocument | None,
) -> CorrectionRequest:
    with transaction.atomic():
        # A double click or a resent form must not file the same request twice.
        duplicate = CorrectionRequest.objects.filter(
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            person=person,
            organization=organization,
            section=section,
            text=text,
            expected_value=expected_value,
            status=CorrectionStatus.SENT,
        ).first()
        if duplicate is not None:
            if stored is not None:
                document_delete(storage_name=stored.storage_name)
            return duplicate
        correction = CorrectionRequest.objects.create(
            person=person,
            author=actor,
            organization=organization,
            section=section,
            text=text,
            expected_value=expected_value,
            proof_storage_name=stored.storage_name if stored else "",
            proof_name=stored.display_name if stored else "",
            proof_size=stored.size if stored else None,
        )
        _audit(
            actor=actor,
            correction=correction,
            action=AuditAction.CREATE,
            changes={
                "organization": [None, organization.name_short],
                "section": [None, section],
                "text": [None, text],
                "expected_value": [None, expected_value],
                "status": [None, CorrectionStatus.SENT.value],
                **({"proof_name": [None, stored.display_name]} if stored else {}),
            },
        )
    return correction


def correction_request_answer(
    *, actor: User, correction: CorrectionRequest, answer: str, close: bool = False
) -> CorrectionRequest:
    """The employer's operator answers; the worker is notified (in the cabinet and by e-mail)."""
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    _check_text(errors, "answer", answer, _("Напишите ответ работнику."))
    if errors:
        raise ValidationError(errors)
    if not acts_for(actor, correction.organization_id):
        raise ValidationError(
            _("Отвечать на запрос может только оператор организации, которой он адресован.")
        )
    target = CorrectionStatus.CLOSED if close else CorrectionStatus.ANSWERED
    with transaction.atomic():
        correction = _transition(
            actor=actor,
            correction=correction,
            to=target,
            # An answer always passes through «answered» in the audit, even when it closes at once.
            also={"answer": answer, "answered_by": actor, "answered_at": timezone.now()},
        )
        recipient = correction.author or correction.person.users.order_by("pk").first()
        if recipient is not None:
            notification_create(
                recipient=recipient,
                kind=NOTIFICATION_KIND_ANSWERED,
                title=_("Ответ на запрос об исправлении данных № %(number)s") % {"number": correction.pk},
                body=_("%(organization)s ответила на ваш запрос (раздел «%(section)s»): %(answer)s")
                % {
                    "organization": correction.organization.name_short,
                    "section": correction.get_section_display(),
                    "answer": answer,
                },
                link=_link(correction),
                dedup_key=f"correction:{correction.pk}:answered",
            )
    return correction


def correction_request_close(*, actor: User, correction: CorrectionRequest) -> CorrectionRequest:
    """Close the request: the worker who sent it (withdraw or accept the answer) or the employer."""
    is_author = actor.person_id is not None and actor.person_id == correction.person_id
    if not is_author and not acts_for(actor, correction.organization_id):
        raise ValidationError(_("Закрыть запрос может работник, отправивший его, или организация-адресат."))
    with transaction.atomic():
        return _transition(actor=actor, correction=correction, to=CorrectionStatus.CLOSED)


def _transition(
    *,
    actor: User,
    correction: CorrectionRequest,
    to: CorrectionStatus,
    also: dict[str, Any] | None = None,
) -> CorrectionRequest:
    locked = (
        CorrectionRequest.objects.select_for_update().select_related("organization").get(pk=correction.pk)
    )
    before = locked.status
    if to not in ALLOWED_TRANSITIONS[before]:
        raise ValidationError(
            _("Запрос уже в статусе «%(current)s»: перевести его в статус «%(target)s» нельзя.")
            % {"current": locked.get_status_display(), "target": to.label}
        )
    changes: dict[str, list[Any]] = {"status": [before, to.value]}
    for field, value in (also or {}).items():
        old = getattr(locked, field)
        setattr(locked, field, value)
        changes[field] = [_plain(old), _plain(value)]
    locked.status = to
    if to == CorrectionStatus.CLOSED:
        locked.closed_at = timezone.now()
        changes["closed_at"] = [None, _plain(locked.closed_at)]
    locked.full_clean()
    locked.save()
    _audit(actor=actor, correction=locked, action=AuditAction.TRANSITION, changes=changes)
    return locked


def _check_text(errors: dict[str, list[str]], field: str, value: str, empty_message: str) -> None:
    if not value:
        errors[field] = [empty_message]
    elif len(value) > TEXT_MAX_LENGTH:
        errors[field] = [
            _("Не больше %(limit)s символов (сейчас %(length)s).")
            % {"limit": TEXT_MAX_LENGTH, "length": len(value)}
        ]
    else:
        try:
            validate_printable(value, multiline=True)
        except ValidationError as error:
            errors[field] = error.messages


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, User):
        return value.get_full_name() or value.username
    return str(value)


def _link(correction: CorrectionRequest) -> str:
    try:
        return reverse("lk:correction_detail", args=[correction.pk])
    except NoReverseMatch:
        return ""


def _audit(
    *, actor: User, correction: CorrectionRequest, action: AuditAction, changes: dict[str, Any]
) -> None:
    # The worker acts for themselves; anybody else acts for the organization the request is addressed to.
    on_behalf_of = None if actor.person_id == correction.person_id else correction.organization
    audit_record(
        actor=actor,
        organization=on_behalf_of,
        action=action,
        obj=correction,
        person=correction.person,
        changes=changes,
    )
