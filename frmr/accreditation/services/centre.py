"""The accreditation centre's and the commission secretary's side of an application."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.models import User
from frmr.accounts.permissions import is_fac_staff, is_secretary
from frmr.accreditation import notify
from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import Application, ApplicationStatus
from frmr.accreditation.numbering import registration_number, registry_number
from frmr.accreditation.requirements import parse_row_key, requirement_for
from frmr.accreditation.services._common import lock, record, require_reason, require_status
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, model_snapshot
from frmr.registry.models import AccreditationRecord

S = ApplicationStatus


def application_register_check(*, application: Application, actor: User) -> None:
    """Refuse as `application_register` would, writing nothing: the confirmation step asks only then."""
    _require_fac_staff(actor)
    current = Application.objects.only("status").get(pk=application.pk)
    require_status(current, [S.SUBMITTED], _("зарегистрировать заявление"))


def application_register(*, application: Application, actor: User) -> Application:
    """Take the application into processing with a registration number; the worker is told the number."""
    _require_fac_staff(actor)
    with transaction.atomic():
        application = lock(application)
        require_status(application, [S.SUBMITTED], _("зарегистрировать заявление"))
        now = timezone.now()
        assert application.kind_code is not None  # guaranteed for sent applications by a constraint
        application.registration_number = registration_number(
            year=timezone.localdate(now).year, kind_code=application.kind_code
        )
        application.status = S.REGISTERED
        application.registered_at = now
        application.save()
        record(
            application=application,
            actor=actor,
            from_status=S.SUBMITTED,
            changes={"registration_number": [None, application.registration_number]},
        )
        notify.registered(application)
    return application


def application_refuse_registration(*, application: Application, actor: User, reason: str) -> Application:
    """Refuse to register (e.g. the documents are not the applicant's); this frees the specialty."""
    _require_fac_staff(actor)
    reason = require_reason(reason, _("Укажите причину отказа: заявитель увидит её в уведомлении."))
    with transaction.atomic():
        application = lock(application)
        require_status(application, [S.SUBMITTED], _("отказать в регистрации"))
        application.status = S.REFUSED_REGISTRATION
        application.status_reason = reason
        application.save()
        event = record(application=application, actor=actor, from_status=S.SUBMITTED, reason=reason)
        notify.refused(application, event)
    return application


def application_return_for_revision(
    *, application: Application, actor: User, reason: str, rows: list[str]
) -> Application:
    """Send the application back to the worker to replace the listed document rows (keys like
    `passport:0`, or a bare type for all its rows); it keeps its registration number, if any."""
    _require_fac_staff(actor)
    reason = require_reason(reason, _("Укажите, что нужно исправить: заявитель увидит это в уведомлении."))
    with transaction.atomic():
        application = lock(application)
        require_status(application, [S.SUBMITTED, S.REGISTERED], _("вернуть заявление на доработку"))
        cleaned = _clean_rows(application, rows)
        previous = application.status
        application.status = S.RETURNED
        application.status_reason = reason
        application.rows_to_fix = cleaned
        application.returned_at = timezone.now()
        application.save()
        event = record(
            application=application, actor=actor, from_status=previous, reason=reason, rows=cleaned
        )
        notify.returned(application, event)
    return application


def application_pass_to_commission(*, application: Application, actor: User) -> Application:
    """The centre's check is done: the commission's deadline starts."""
    _require_fac_staff(actor)
    with transaction.atomic():
        application = lock(application)
        require_status(application, [S.REGISTERED], _("передать заявление в комиссию"))
        now = timezone.now()
        application.status = S.AT_COMMISSION
        application.passed_to_commission_at = now
        application.commission_deadline = add_working_days(
            timezone.localdate(now), settings.ACCREDITATION_COMMISSION_DAYS
        )
        application.save()
        record(application=application, actor=actor, from_status=S.REGISTERED)
        notify.at_commission(application)
    return application


def application_record_decision(
    *,
    application: Application,
    actor: User,
    accredited: bool,
    protocol_number: str,
    protocol_date: datetime.date | None,
    reason: str = "",
) -> Application:
    """Record the commission's decision. A positive one creates the accreditation record in the
    person's file, valid for ACCREDITATION_VALIDITY_YEARS from the protocol date."""
    protocol_number, protocol_date, reason = _decision_fields(
        actor=actor,
        accredited=accredited,
        protocol_number=protocol_number,
        protocol_date=protocol_date,
        reason=reason,
    )
    with transaction.atomic():
        application = lock(application)
        require_status(application, [S.AT_COMMISSION], _("внести решение комиссии"))
        application.status = S.ACCREDITED if accredited else S.NOT_ACCREDITED
        application.protocol_number = protocol_number
        application.protocol_date = protocol_date
        application.status_reason = reason
        application.decided_at = timezone.now()
        if accredited:
            application.accreditation_record = _create_record(
                application, protocol_number, protocol_date, actor=actor
            )
        application.save()
        event = record(
            application=application,
            actor=actor,
            from_status=S.AT_COMMISSION,
            reason=reason,
            changes={
                "protocol": [
                    None,
                    _("№ %(number)s от %(date)s")
                    % {"number": protocol_number, "date": f"{protocol_date:%d.%m.%Y}"},
                ]
            },
        )
        notify.decided(application, event)
    return application


def application_decision_check(
    *,
    application: Application,
    actor: User,
    accredited: bool,
    protocol_number: str,
    protocol_date: datetime.date | None,
    reason: str = "",
) -> tuple[str, datetime.date, str]:
    """Refuse a decision as `application_record_decision` would, writing nothing (the confirmation
    step asks only for a decision that can be recorded); the cleaned number, date and reason."""
    cleaned = _decision_fields(
        actor=actor,
        accredited=accredited,
        protocol_number=protocol_number,
        protocol_date=protocol_date,
        reason=reason,
    )
    require_status(
        Application.objects.only("status").get(pk=application.pk),
        [S.AT_COMMISSION],
        _("внести решение комиссии"),
    )
    return cleaned


def _decision_fields(
    *,
    actor: User,
    accredited: bool,
    protocol_number: str,
    protocol_date: datetime.date | None,
    reason: str,
) -> tuple[str, datetime.date, str]:
    if not is_secretary(actor):
        raise PermissionDenied(_("Решение комиссии вносит секретарь аккредитационной комиссии."))
    errors: dict[str, str] = {}
    protocol_number = (protocol_number or "").strip()
    if not protocol_number:
        errors["protocol_number"] = _("Укажите номер протокола заседания комиссии.")
    elif len(protocol_number) > 40:
        errors["protocol_number"] = _("Номер протокола не длиннее 40 символов.")
    if protocol_date is None:
        errors["protocol_date"] = _("Укажите дату протокола.")
    elif protocol_date > timezone.localdate():
        errors["protocol_date"] = _("Дата протокола не может быть в будущем.")
    reason = (reason or "").strip()
    if not accredited and not reason:
        errors["reason"] = _("Укажите причину отрицательного решения: заявитель увидит её в уведомлении.")
    if errors:
        raise ValidationError(errors)
    assert protocol_date is not None
    return protocol_number, protocol_date, reason


def accreditation_end_date(protocol_date: datetime.date) -> datetime.date:
    """Until when a positive decision of `protocol_date` makes the worker accredited."""
    return add_years(protocol_date, settings.ACCREDITATION_VALIDITY_YEARS)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _require_fac_staff(actor: User) -> None:
    if not is_fac_staff(actor):
        raise PermissionDenied(_("Это действие выполняет сотрудник аккредитационного центра."))


def _clean_rows(application: Application, rows: list[str]) -> list[str]:
    cleaned: list[str] = []
    for key in rows or []:
        doc_type, row = parse_row_key(str(key).strip())
        requirement = requirement_for(application.kind_code, doc_type)
        if requirement is None or row == -1 or (row is not None and row >= requirement.max_rows):
            raise ValidationError({"rows": _("Неизвестная строка документов: «%(key)s».") % {"key": key}})
        normalized = doc_type if row is None else f"{doc_type}:{row}"
        if normalized not in cleaned:
            cleaned.append(normalized)
    if not cleaned:
        raise ValidationError({"rows": _("Отметьте хотя бы один документ, который нужно заменить.")})
    return cleaned


def _create_record(
    application: Application, protocol_number: str, protocol_date: datetime.date, *, actor: User
) -> AccreditationRecord:
    """The positive decision's record in the person's file, written and audited like any section
    (so it is in the history and the change log of the register)."""
    assert application.accreditation_kind is not None and application.specialty is not None
    try:
        with transaction.atomic():
            record = AccreditationRecord.objects.create(
                person_id=application.person_id,
                registry_number=registry_number(year=protocol_date.year),
                kind=application.accreditation_kind,
                specialty=application.specialty,
                pass_date=protocol_date,
                end_date=accreditation_end_date(protocol_date),
                protocol_number=protocol_number,
                protocol_date=protocol_date,
                institution_name=settings.ACCREDITATION_COMMISSION_NAME,
                passed=True,
                application_ref=application.registration_number or str(application.pk),
            )
    except IntegrityError as exc:
        # Only possible when an operator typed a register number of our series by hand.
        raise ValidationError(
            {"status": _("Номер реестровой записи уже занят. Обратитесь к администратору регистра.")}
        ) from exc
    audit_record(
        actor=actor,
        organization=None,
        action=AuditAction.CREATE,
        obj=record,
        person=application.person_id,
        changes=created_changes(model_snapshot(record)),
        reason=_("Решение аккредитационной комиссии"),
    )
    return record
