"""The worker's own change of their contact phone and e-mail — the only data of the file they own.

Everything else in the personal file is entered by employers; the worker asks them to correct it
(frmr.corrections). Phones are stored as `+7XXXXXXXXXX`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frmr.accounts.models import User
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record
from frmr.core.validators import normalize_phone, validate_email, validate_ru_mobile_phone
from frmr.registry.models import Person
from frmr.registry.services.versions import bump_version, check_version

CONTACT_FIELDS = ("phone", "email")


def person_contacts_update(
    *,
    actor: User,
    person: Person,
    phone: str,
    email: str,
    expected_version: int | None = None,
    loaded: Mapping[str, Any] | None = None,
) -> Person:
    """Set the person's phone and e-mail (either may be emptied); audited with old → new values.

    Only the person themselves may call this; employers change contacts through `person_update`.
    `expected_version`/`loaded` refuse a save over an employer's change made meanwhile (versions.py).
    """
    if actor.person_id != person.pk:
        raise ValidationError(_("Изменить контакты может только сам работник."))
    errors: dict[str, list[str]] = {}
    new_phone = ""
    phone = (phone or "").strip()
    if phone:
        try:
            validate_ru_mobile_phone(phone)
            new_phone = normalize_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    new_email = (email or "").strip()
    if new_email:
        try:
            validate_email(new_email)
        except ValidationError as error:
            errors["email"] = error.messages
        if len(new_email) > 254:
            errors["email"] = [_("Адрес электронной почты не может быть длиннее 254 символов.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        check_version(locked=locked, expected_version=expected_version, loaded=loaded, fields=CONTACT_FIELDS)
        changes = {
            field: [getattr(locked, field), value]
            for field, value in (("phone", new_phone), ("email", new_email))
            if getattr(locked, field) != value
        }
        if not changes:
            return locked
        locked.phone = new_phone
        locked.email = new_email
        bump_version(locked)
        locked.save(update_fields=["phone", "email", "updated_at", "version"])
        audit_record(
            actor=actor,
            organization=None,
            action=AuditAction.UPDATE,
            obj=locked,
            person=locked,
            changes=changes,
            reason=_("изменено работником в личном кабинете"),
        )
    person.phone, person.email = locked.phone, locked.email
    return locked
