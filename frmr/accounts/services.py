"""Changes to users: the ЕСИА login."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from frmr.accounts.models import Role, User
from frmr.accounts.permissions import grants_of
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record
from frmr.esia.data import EsiaPerson
from frmr.registry.models import Person


@transaction.atomic
def user_login_from_esia(*, person: EsiaPerson, auth_method: str = "") -> User:
    """The user behind an ЕСИА login, created on the first one, refreshed from ЕСИА on each.

    The link to the register is redone every time by СНИЛС: the employer may have entered the
    person since the last login, or corrected a wrong СНИЛС, and the cabinet must follow.
    """
    user = User.objects.select_for_update().filter(esia_oid=person.oid).first()
    created = user is None
    if user is None:
        user = _pre_registered(person) or User(username=f"esia-{person.oid}", esia_oid=person.oid)
        user.esia_oid = person.oid
        user.set_unusable_password()
    old_person_id = user.person_id

    user.last_name = person.last_name[:150]
    user.first_name = person.first_name[:150]
    user.patronymic = person.patronymic[:150]
    user.snils = person.snils
    if person.email:
        user.email = person.email
    record = Person.objects.filter(snils=person.snils).first() if person.snils else None
    user.person = record
    # The Django admin lets in staff only; an administrator's grant is what makes one.
    if not user.is_staff and Role.ADMIN in grants_of(user).roles:
        user.is_staff = True
    user.save()

    changes: dict[str, list[Any]] = {}
    if old_person_id != user.person_id:
        changes["person"] = [old_person_id, user.person_id]
    # Stored in the audit row as plain text, in the language of the moment.
    reason = _("вход через ЕСИА")
    if auth_method:
        reason += f" ({auth_method})"
    if created:
        reason += "; " + _("первый вход")
    audit_record(
        actor=user, organization=None, action=AuditAction.LOGIN, obj=user, person=record,
        changes=changes, reason=reason,
    )  # fmt: skip
    return user


def _pre_registered(person: EsiaPerson) -> User | None:
    """An account an administrator prepared by СНИЛС (to grant a role) before the first login."""
    if not person.snils:
        return None
    candidates = list(User.objects.select_for_update().filter(esia_oid__isnull=True, snils=person.snils)[:2])
    return candidates[0] if len(candidates) == 1 else None
