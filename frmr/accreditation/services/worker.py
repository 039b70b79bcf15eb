"""The worker's side: a draft saved as they go, submission, withdrawal, resubmission (the documents of a
draft: documents.py)."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from frmr.accounts.models import User
from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import (
    IN_PROGRESS,
    Application,
    ApplicationStatus,
)
from frmr.accreditation.queue.snapshot import take_applicant_snapshot
from frmr.accreditation.requirements import (
    KIND_PERIODIC,
    parse_row_key,
    requirement_for,
    requirements_for,
    row_key,
)
from frmr.accreditation.selectors import duplicate_in_progress
from frmr.accreditation.services._common import (
    delete_file_on_commit,
    lock_own,
    record,
    refuse_status,
    require_status,
)
from frmr.core.validators import normalize_phone
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry

S = ApplicationStatus

# Kept a plain str, since callers embed and compare it as text; marked for the catalogue (gettext_noop)
# and translated where it is raised.
MESSAGE_ALREADY_IN_PROGRESS = gettext_noop(
    "Заявление по этой специальности уже отправлено и рассматривается — "  # i18n: msgid of gettext_noop
    "отправлять его повторно не нужно."
)
MESSAGE_NO_PERSON = gettext_lazy(
    "В регистре пока нет ваших данных, поэтому подать заявление нельзя. Данные вносит работодатель: "
    "попросите его проверить, что сведения о вас добавлены и верны."
)
# The draft's arguments by the field names its refusals are keyed by.
_ARGUMENT_OF_FIELD = {
    "contact_phone": "contact_phone",
    "contact_email": "contact_email",
    "education_level": "education_level_code",
    "specialty_kind": "specialty_kind_code",
    "specialty": "specialty_code",
    "accreditation_kind": "accreditation_kind_code",
    "comment": "comment",
    "consent": "consent",
}


def application_create_draft(*, actor: User, kind_code: str = KIND_PERIODIC) -> Application:
    """Start an application, or return the draft the worker already has (one draft at a time, so a
    double click on «Подать заявление» does not make two). Contacts are prefilled from the file."""
    if actor.person_id is None:
        raise ValidationError({"person": MESSAGE_NO_PERSON}, code="no_person")
    with transaction.atomic():
        # Lock the user row so two simultaneous clicks agree on the single draft.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        existing = (
            Application.objects.filter(applicant=actor, status=S.DRAFT).order_by("-created_at", "-pk").first()
        )
        if existing is not None:
            return existing
        person = actor.person
        assert person is not None
        application = Application.objects.create(
            person=person,
            applicant=actor,
            contact_phone=person.phone or "",
            contact_email=person.email or actor.email or "",
            accreditation_kind=_entry(oids.ACCREDITATION_KINDS, kind_code, "accreditation_kind"),
        )
        record(application=application, actor=actor, from_status="")
    return application


def application_update_draft(
    *,
    application: Application,
    actor: User,
    contact_phone: str,
    contact_email: str,
    education_level_code: str | None,
    specialty_kind_code: str | None,
    specialty_code: str | None,
    accreditation_kind_code: str | None,
    comment: str,
    consent: bool,
) -> Application:
    """Save what the worker entered so far. Blank choices are allowed in a draft; a choice that does not
    belong to the one before it (a specialty of another level) is refused. An application returned
    for revision keeps its specialty and kind: only contacts and the comment may change then."""
    with transaction.atomic():
        application = lock_own(application, actor)
        require_status(application, [S.DRAFT, S.RETURNED], _("изменить заявление"))
        errors: dict[str, str] = {}
        phone = _clean_phone(contact_phone, errors)
        email = _clean_email(contact_email, errors)
        comment = (comment or "").strip()
        if len(comment) > 4000:
            errors["comment"] = _("Комментарий слишком длинный: не больше 4000 символов.")
        level = kind = specialty = akind = None
        try:
            level, kind, specialty = _choices(education_level_code, specialty_kind_code, specialty_code)
        except ValidationError as exc:
            errors.update({key: value[0] for key, value in exc.message_dict.items()})
        if accreditation_kind_code:
            try:
                akind = _entry(oids.ACCREDITATION_KINDS, accreditation_kind_code, "accreditation_kind")
            except ValidationError as exc:
                errors.update({key: value[0] for key, value in exc.message_dict.items()})
        if application.status == S.RETURNED and not errors:
            changed = (
                _code(level) != _code(application.education_level)
                or _code(kind) != _code(application.specialty_kind)
                or _code(specialty) != _code(application.specialty)
                or _code(akind) != _code(application.accreditation_kind)
            )
            if changed:
                errors["specialty"] = _(
                    "После отправки специальность и вид аккредитации изменить нельзя. Если нужна другая "
                    "специальность, отзовите это заявление и подайте новое."
                )
        if errors:
            raise ValidationError(errors)

        application.contact_phone = phone
        application.contact_email = email
        application.comment = comment
        if application.status == S.DRAFT:
            application.education_level = level
            application.specialty_kind = kind
            application.specialty = specialty
            application.accreditation_kind = akind
            if consent and not application.consent:
                application.consent_at = timezone.now()
            elif not consent:
                application.consent_at = None
            application.consent = consent
        # A change of kind keeps the files of rows the new kind does not ask for: they come back if the
        # worker changes it back, and are dropped only when the application is sent.
        application.save()
    return application


def application_save_draft(
    *,
    application: Application,
    actor: User,
    contact_phone: str,
    contact_email: str,
    education_level_code: str | None,
    specialty_kind_code: str | None,
    specialty_code: str | None,
    accreditation_kind_code: str | None,
    comment: str,
    consent: bool,
) -> dict[str, str]:
    """What the form's every button does first: save what the worker entered, as
    `application_update_draft` does, except that a refused field does not lose the others. The refused
    fields keep their saved values, the rest is saved, and the refusals come back keyed by field for the
    form to show beside them (nothing is raised for them)."""
    values: dict[str, Any] = {
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "education_level_code": education_level_code,
        "specialty_kind_code": specialty_kind_code,
        "specialty_code": specialty_code,
        "accreditation_kind_code": accreditation_kind_code,
        "comment": comment,
        "consent": consent,
    }
    try:
        application_update_draft(application=application, actor=actor, **values)
    except ValidationError as error:
        errors = {key: messages[0] for key, messages in error.message_dict.items()}
    else:
        return {}
    saved: dict[str, Any] = {
        "contact_phone": application.contact_phone,
        "contact_email": application.contact_email,
        "education_level_code": _code(application.education_level),
        "specialty_kind_code": _code(application.specialty_kind),
        "specialty_code": _code(application.specialty),
        "accreditation_kind_code": _code(application.accreditation_kind),
        "comment": application.comment,
        "consent": application.consent,
    }
    for name in errors:
        kwarg = _ARGUMENT_OF_FIELD.get(name)
        if kwarg is not None:
            values[kwarg] = saved[kwarg]
    if "education_level" in errors or "specialty_kind" in errors:
        # A broken link in the cascade: keep the whole cascade as it was saved.
        for kwarg in ("education_level_code", "specialty_kind_code", "specialty_code"):
            values[kwarg] = saved[kwarg]
    # If even that fails, nothing more can be saved; the refusals above say why.
    with contextlib.suppress(ValidationError, PermissionDenied):
        application_update_draft(application=application, actor=actor, **values)
    return errors


def application_send_check(*, application: Application, actor: User) -> None:
    """Refuse as `application_submit` / `application_resubmit` would, writing nothing: the worker is shown
    the «Проверьте заявление» page only for an application that can be sent as it stands."""
    if application.applicant_id != actor.pk:
        raise PermissionDenied(_("Это заявление подано другим пользователем."))
    require_status(application, [S.DRAFT, S.RETURNED], _("отправить заявление"))
    _validate_complete(application)
    if application.status == S.RETURNED:
        _validate_fixed(application)
    else:
        _refuse_second_in_progress(application)


def expected_check_deadline(*, sent_on: datetime.date | None = None) -> datetime.date:
    """The centre's deadline for an application sent on `sent_on` (today): what submission will set."""
    return add_working_days(sent_on or timezone.localdate(), settings.ACCREDITATION_CHECK_DAYS)


def application_submit(*, application: Application, actor: User) -> Application:
    """Send the draft to the accreditation centre. A second call (a double click) finds it already sent
    and returns it unchanged. No notification: the first one comes with the registration number."""
    with transaction.atomic():
        application = lock_own(application, actor)
        if application.status in IN_PROGRESS:
            return application
        require_status(application, [S.DRAFT], _("отправить заявление"))
        _validate_complete(application)
        _refuse_second_in_progress(application)
        _drop_rows_not_asked(application)
        application.status = S.SUBMITTED
        application.submitted_at = timezone.now()
        application.check_deadline = expected_check_deadline(
            sent_on=timezone.localdate(application.submitted_at)
        )
        take_applicant_snapshot(application)
        _save_guarded(application)
        record(application=application, actor=actor, from_status=S.DRAFT)
    return application


def application_withdraw(*, application: Application, actor: User) -> Application:
    """Withdraw an application that the centre has not registered yet; this frees the specialty."""
    with transaction.atomic():
        application = lock_own(application, actor)
        if application.status == S.WITHDRAWN:
            return application
        if not application.can_withdraw():
            refuse_status(application, _("отозвать заявление"))
        previous = application.status
        application.status = S.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        record(application=application, actor=actor, from_status=previous)
    return application


def application_resubmit(*, application: Application, actor: User) -> Application:
    """Send back an application returned for revision once the rows asked for are replaced. It returns
    to where it was (registered, keeping its number, or submitted), with a fresh check deadline."""
    with transaction.atomic():
        application = lock_own(application, actor)
        if application.status in IN_PROGRESS and application.status != S.RETURNED:
            return application  # a double click: the first one already sent it
        require_status(application, [S.RETURNED], _("отправить заявление повторно"))
        _validate_complete(application)
        _validate_fixed(application)
        application.status = S.REGISTERED if application.registration_number else S.SUBMITTED
        application.rows_to_fix = []
        application.status_reason = ""
        application.check_deadline = expected_check_deadline()
        take_applicant_snapshot(application)
        application.save()
        record(application=application, actor=actor, from_status=S.RETURNED)
    return application


# --- helpers ---------------------------------------------------------------------------------------


def _code(entry: DictionaryEntry | None) -> str | None:
    return entry.code if entry is not None else None


def _entry(oid: str, code: str, field: str) -> DictionaryEntry:
    entry = DictionaryEntry.objects.of(oid).valid_on(timezone.localdate()).filter(code=code).first()
    if entry is None:
        raise ValidationError({field: _("Выберите значение из списка.")}, code="invalid_choice")
    return entry


def _choices(
    level_code: str | None, kind_code: str | None, specialty_code: str | None
) -> tuple[DictionaryEntry | None, DictionaryEntry | None, DictionaryEntry | None]:
    level = _entry(oids.EDUCATION_LEVELS, level_code, "education_level") if level_code else None
    kind = _entry(oids.SPECIALTY_KINDS, kind_code, "specialty_kind") if kind_code else None
    specialty = _entry(oids.SPECIALTIES, specialty_code, "specialty") if specialty_code else None
    errors: dict[str, str] = {}
    if kind is not None:
        kind_level = kind.attrs.get("education_level")
        if level is None:
            errors["education_level"] = _("Сначала выберите уровень образования.")
        elif kind_level and kind_level != level.code:
            errors["specialty_kind"] = _(
                "Этот вид специальностей не относится к выбранному уровню образования."
            )
    if specialty is not None:
        if kind is None:
            errors["specialty_kind"] = _("Сначала выберите вид специальности.")
        elif specialty.attrs.get("specialty_kind") and specialty.attrs["specialty_kind"] != kind.code:
            errors["specialty"] = _("Эта специальность не относится к выбранному виду специальностей.")
        elif level is not None and specialty.attrs.get("education_level") not in (None, level.code):
            errors["specialty"] = _("Эта специальность не относится к выбранному уровню образования.")
    if errors:
        raise ValidationError(errors)
    return level, kind, specialty


def _clean_phone(value: str, errors: dict[str, str]) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        errors["contact_phone"] = exc.messages[0]
        return raw


def _clean_email(value: str, errors: dict[str, str]) -> str:
    email = (value or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors["contact_email"] = _("Укажите адрес электронной почты, например ivanova@example.ru.")
    return email


def _validate_complete(application: Application) -> None:
    """Everything the form marks with an asterisk; errors keyed by field name or document row key."""
    errors: dict[str, str] = {}
    if not application.contact_phone:
        errors["contact_phone"] = _("Укажите контактный телефон.")
    if not application.contact_email:
        errors["contact_email"] = _("Укажите адрес электронной почты.")
    if application.education_level_id is None:
        errors["education_level"] = _("Выберите уровень образования.")
    if application.specialty_kind_id is None:
        errors["specialty_kind"] = _("Выберите вид специальности.")
    if application.specialty_id is None:
        errors["specialty"] = _("Выберите специальность, по которой проходите аккредитацию.")
    if application.accreditation_kind_id is None:
        errors["accreditation_kind"] = _("Выберите вид аккредитации.")
    filled = {(doc.doc_type, doc.row) for doc in application.documents.all()}
    for requirement in requirements_for(application.kind_code):
        if requirement.required and not any(doc_type == requirement.doc_type for doc_type, _ in filled):
            errors[row_key(requirement.doc_type, 0)] = _("Приложите файл: %(document)s.") % {
                "document": requirement.label
            }
    if not application.consent:
        errors["consent"] = _(
            "Дайте согласие на обработку персональных данных — без него заявление не принимается."
        )
    if errors:
        raise ValidationError(errors)


def _validate_fixed(application: Application) -> None:
    returned_at = application.returned_at
    errors: dict[str, str] = {}
    documents = list(application.documents.all())
    for key in application.rows_to_fix:
        doc_type, row = parse_row_key(key)
        fresh = [
            doc
            for doc in documents
            if doc.doc_type == doc_type
            and (row is None or doc.row == row)
            and (returned_at is None or doc.uploaded_at > returned_at)
        ]
        if not fresh:
            requirement = requirement_for(application.kind_code, doc_type)
            label = requirement.label if requirement else doc_type
            errors[key if row is not None else row_key(doc_type, 0)] = _(
                "Замените файл, который просил исправить центр: %(document)s."
            ) % {"document": label}
    if errors:
        raise ValidationError(errors)


def _refuse_second_in_progress(application: Application) -> None:
    if duplicate_in_progress(application=application) is not None:
        raise ValidationError({"specialty": _(MESSAGE_ALREADY_IN_PROGRESS)}, code="already_in_progress")


def _save_guarded(application: Application, **kwargs: Any) -> None:
    # Two drafts for the same specialty sent at the same moment: the partial unique index decides.
    try:
        with transaction.atomic():
            application.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError(
            {"specialty": _(MESSAGE_ALREADY_IN_PROGRESS)}, code="already_in_progress"
        ) from exc


def _drop_rows_not_asked(application: Application) -> None:
    asked = {item.doc_type for item in requirements_for(application.kind_code)}
    for document in application.documents.exclude(doc_type__in=asked):
        delete_file_on_commit(document.storage_name)
        document.delete()
