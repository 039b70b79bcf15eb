"""Employment cards: hire, transfer, dismissal, corrections, and periods of absence.

An organization touches only its own cards: the `organization` a service acts for must be the card's.
The date rules (hire, dismissal, transfer) are the shared ones of frmr.registry.rules, which the
import applies too.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.accounts.permissions import ensure_acts_for
from frmr.audit.actors import ActorLike
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, diff, model_snapshot
from frmr.nsi.models import DictionaryEntry
from frmr.registry import rules
from frmr.registry.models import Absence, EmploymentCard, Organization, Person
from frmr.registry.models.employment import ALLOWED_RATES
from frmr.registry.roster import roster_refresh
from frmr.registry.services._common import (
    Errors,
    apply_data,
    delete_with_audit,
    update_with_audit,
    validate_instance,
)
from frmr.registry.services.hires import workers_notify_hired
from frmr.registry.services.versions import bump_version

if TYPE_CHECKING:
    pass

RATE_MESSAGE = gettext_lazy("Ставка должна быть 0,25, 0,5, 0,75 или 1.")
# Fields a hire or a correction may set; person and organization are fixed by the service.
HIRE_FIELDS = {
    "department",
    "position",
    "position_type",
    "rate",
    "begin_date",
    "contract_number",
    "contract_date",
    "service_number",
    "hospital_subdivision_oid",
    "hospital_subdivision_name",
    "room_oid",
    "room_name",
    "fed_position_code",
    "fed_position_name",
    "seniority",
    "services",
    "end_type_code",
    "targeted",
    "personal_file_number",
    "details",
}
CARD_FIELDS = HIRE_FIELDS | {"end_date", "end_reason"}
ABSENCE_FIELDS = {"reason", "begin_date", "end_date"}


def _ensure_own_card(*, actor: ActorLike, organization: Organization, card: EmploymentCard) -> None:
    ensure_acts_for(actor=actor, organization=organization)
    if card.organization_id != organization.pk:
        raise PermissionDenied(
            _("Это карточка другой организации: изменять её может только организация, где она заведена.")
        )


def _check_card(card: EmploymentCard, organization: Organization, errors: Errors) -> None:
    """Rules of a card beyond its fields' own: the department and the hire date."""
    if card.department_id is not None and "department" not in errors:
        department = card.department
        if department.organization_id != organization.pk:
            errors.add(
                "department",
                _("Подразделение «%(department)s» относится к другой организации.")
                % {"department": department},
            )
        elif not department.is_active:
            errors.add(
                "department",
                _("Подразделение «%(department)s» закрыто: выберите действующее.")
                % {"department": department},
            )
    if card.rate is not None and "rate" not in errors:
        try:
            allowed = Decimal(str(card.rate)) in ALLOWED_RATES
        except InvalidOperation:
            allowed = False
        if not allowed:
            errors.add("rate", RATE_MESSAGE)
    begin = card.begin_date
    if isinstance(begin, datetime.date) and "begin_date" not in errors:
        problem = rules.hire_date_problem(
            begin, today=timezone.localdate(), birth_date=card.person.birth_date
        )
        if problem:
            errors.add("begin_date", problem)


def _audit(
    *,
    actor: ActorLike,
    organization: Organization,
    action: AuditAction,
    obj: EmploymentCard | Absence,
    person: Person,
    changes: dict[str, list[Any]],
    reason: str = "",
) -> None:
    audit_record(
        actor=actor,
        organization=organization,
        action=action,
        obj=obj,
        person=person,
        changes=changes,
        reason=reason,
    )


def card_hire(
    *, actor: ActorLike, organization: Organization, person: Person, data: Mapping[str, Any]
) -> EmploymentCard:
    ensure_acts_for(actor=actor, organization=organization)
    errors = Errors()
    card = EmploymentCard(person=person, organization=organization)
    apply_data(card, data, allowed=HIRE_FIELDS, errors=errors)
    _check_card(card, organization, errors)
    validate_instance(card, errors=errors)
    with transaction.atomic():
        card.save()
        roster_refresh(person_ids=[person.pk])
        _audit(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=card,
            person=person,
            changes=created_changes(model_snapshot(card)),
            reason=_("Приём на работу"),
        )
        workers_notify_hired(organization=organization, cards=[card])
    return card


def card_update(
    *,
    actor: ActorLike,
    organization: Organization,
    card: EmploymentCard,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> EmploymentCard:
    """Correct a card's data (a mistyped date, contract number, …); not a transfer."""
    _ensure_own_card(actor=actor, organization=organization, card=card)
    return update_with_audit(
        instance=card,
        data=data,
        allowed=CARD_FIELDS,
        actor=actor,
        organization=organization,
        person=card.person,
        check=lambda locked, errors: _check_card(locked, organization, errors),
        expected_version=expected_version,
        loaded=loaded,
    )


def card_dismiss(
    *,
    actor: ActorLike,
    organization: Organization,
    card: EmploymentCard,
    end_date: datetime.date | None,
    end_reason: DictionaryEntry | str | None,
    check_only: bool = False,
) -> EmploymentCard:
    """Close the card with the date and reason of the dismissal order.

    `check_only`: refuse exactly as the dismissal would, but write nothing (the cabinet's confirmation
    step asks only for a dismissal that will be accepted).
    """
    _ensure_own_card(actor=actor, organization=organization, card=card)
    with transaction.atomic():
        locked = EmploymentCard.objects.select_for_update().get(pk=card.pk)
        if locked.end_date is not None:
            raise ValidationError(
                {
                    "end_date": _("Работник уже уволен с этой должности %(date)s.")
                    % {"date": locked.end_date.strftime("%d.%m.%Y")}
                }
            )
        errors = Errors()
        missing = rules.dismissal_pair_problems(
            end=end_date, reason_given=end_reason not in (None, ""), dismissing=True
        )
        for name, message in missing.items():
            errors.add(name, message)
        before = model_snapshot(locked)
        values = {"end_date": end_date, "end_reason": end_reason}
        apply_data(
            locked,
            {key: value for key, value in values.items() if key not in errors},
            allowed={"end_date", "end_reason"},
            errors=errors,
        )
        if "end_date" not in errors:
            order = rules.dismissal_date_problem(begin=locked.begin_date, end=locked.end_date)
            if order:
                errors.add("end_date", order)
        validate_instance(locked, errors=errors, changed={"end_reason"})
        if check_only:
            return locked
        bump_version(locked)
        locked.save()
        roster_refresh(person_ids=[locked.person_id])
        _audit(
            actor=actor,
            organization=organization,
            action=AuditAction.UPDATE,
            obj=locked,
            person=locked.person,
            changes=diff(before, model_snapshot(locked)),
            reason=_("Увольнение"),
        )
    return locked


def card_transfer(
    *, actor: ActorLike, organization: Organization, card: EmploymentCard, data: Mapping[str, Any]
) -> EmploymentCard:
    """Close `card` on `data["transfer_date"]` with `data["end_reason"]` and open a new card that day.

    The new card copies the old one's fields except those given in `data` (department, position, rate…).
    """
    _ensure_own_card(actor=actor, organization=organization, card=card)
    data = dict(data)
    transfer_date = data.pop("transfer_date", None)
    reason = data.pop("end_reason", None)
    with transaction.atomic():
        old = EmploymentCard.objects.select_for_update().get(pk=card.pk)
        errors = Errors()
        if old.end_date is not None:
            raise ValidationError(
                {
                    "transfer_date": _("Перевести можно только с действующей карточки: эта закрыта %(date)s.")
                    % {"date": old.end_date.strftime("%d.%m.%Y")}
                }
            )
        if transfer_date is None:
            errors.add("transfer_date", _("Укажите дату перевода."))
        elif problem := rules.transfer_date_problem(transfer_date, begin=old.begin_date):
            errors.add("transfer_date", problem)
        if reason in (None, ""):
            errors.add("end_reason", _("Укажите основание закрытия прежней карточки."))
        else:
            apply_data(old, {"end_reason": reason}, allowed={"end_reason"}, errors=errors)

        new = EmploymentCard(
            person=old.person,
            organization=organization,
            **{name: getattr(old, name) for name in HIRE_FIELDS - {"begin_date"}},
        )
        apply_data(new, data, allowed=HIRE_FIELDS - {"begin_date"}, errors=errors)
        if "transfer_date" not in errors:
            old.end_date = transfer_date
            new.begin_date = transfer_date
        _check_card(new, organization, errors)
        errors.raise_if_any()
        try:
            validate_instance(old, changed={"end_reason"})
            validate_instance(new)
        except ValidationError as error:
            raise ValidationError(
                {
                    ("transfer_date" if key == "begin_date" else key): items
                    for key, items in error.error_dict.items()
                }
            ) from None

        before = model_snapshot(EmploymentCard.objects.get(pk=old.pk))
        bump_version(old)
        old.save()
        _audit(
            actor=actor,
            organization=organization,
            action=AuditAction.UPDATE,
            obj=old,
            person=old.person,
            changes=diff(before, model_snapshot(old)),
            reason=_("Перевод"),
        )
        new.save()
        roster_refresh(person_ids=[new.person_id])
        _audit(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=new,
            person=new.person,
            changes=created_changes(model_snapshot(new)),
            reason=_("Перевод"),
        )
    return new


# ---------------------------------------------------------------------------------------------- Absences


def _check_absence(absence: Absence, errors: Errors) -> None:
    card = absence.card
    begin = absence.begin_date
    if not isinstance(begin, datetime.date) or "begin_date" in errors:
        return
    if begin < card.begin_date:
        errors.add("begin_date", _("Период отсутствия не может начаться раньше приёма на работу."))
    elif card.end_date is not None and begin > card.end_date:
        errors.add("begin_date", _("Период отсутствия не может начаться после увольнения."))


def absence_add(
    *, actor: ActorLike, organization: Organization, card: EmploymentCard, data: Mapping[str, Any]
) -> Absence:
    _ensure_own_card(actor=actor, organization=organization, card=card)
    errors = Errors()
    absence = Absence(card=card)
    apply_data(absence, data, allowed=ABSENCE_FIELDS, errors=errors)
    _check_absence(absence, errors)
    validate_instance(absence, errors=errors)
    with transaction.atomic():
        absence.save()
        _audit(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=absence,
            person=card.person,
            changes=created_changes(model_snapshot(absence)),
        )
    return absence


def absence_update(
    *,
    actor: ActorLike,
    organization: Organization,
    absence: Absence,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> Absence:
    _ensure_own_card(actor=actor, organization=organization, card=absence.card)
    return update_with_audit(
        instance=absence,
        data=data,
        allowed=ABSENCE_FIELDS,
        actor=actor,
        organization=organization,
        person=absence.card.person,
        check=_check_absence,
        queryset=Absence.objects.select_related("card"),
        expected_version=expected_version,
        loaded=loaded,
    )


def absence_delete(*, actor: ActorLike, organization: Organization, absence: Absence) -> None:
    _ensure_own_card(actor=actor, organization=organization, card=absence.card)
    delete_with_audit(
        instance=absence,
        actor=actor,
        organization=organization,
        person=absence.card.person,
        object_repr=_("период отсутствия № %(number)s") % {"number": absence.pk},
    )


def card_delete(*, actor: ActorLike, organization: Organization, card: EmploymentCard) -> None:
    """Remove a card entered by mistake (a dismissal is `card_dismiss`, which keeps the history)."""
    _ensure_own_card(actor=actor, organization=organization, card=card)
    delete_with_audit(
        instance=card,
        actor=actor,
        organization=organization,
        person=card.person,
        reason=_("Удаление ошибочно внесённой карточки"),
    )
