"""Changes to users: the ЕСИА login."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from frmr.accounts.models import Role, RoleGrant, User
from frmr.audit.models import AuditAction, AuditEntry
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
    user.middle_name = person.middle_name[:150]
    user.snils = person.snils
    if person.email:
        user.email = person.email
    record = Person.objects.filter(snils=person.snils).first() if person.snils else None
    user.person = record
    # The Django admin lets in staff only; an administrator's grant is what makes one.
    if not user.is_staff and RoleGrant.objects.filter(user_id=user.pk, role=Role.ADMIN).exists():
        user.is_staff = True
    user.save()

    changes: dict[str, Any] = {}
    if created:
        changes["created"] = True
    if old_person_id != user.person_id:
        changes["person"] = [old_person_id, user.person_id]
    if auth_method:
        changes["method"] = auth_method
    _audit_login(user=user, changes=changes)
    return user


def _pre_registered(person: EsiaPerson) -> User | None:
    """An account an administrator prepared by СНИЛС (to grant a role) before the first login."""
    if not person.snils:
        return None
    candidates = list(User.objects.select_for_update().filter(esia_oid__isnull=True, snils=person.snils)[:2])
    return candidates[0] if len(candidates) == 1 else None


def _audit_login(*, user: User, changes: dict[str, Any]) -> None:
    # TODO(registry-services): switch to frmr.audit.services.audit_record once that branch is merged.
    full_name = user.get_full_name()
    AuditEntry.objects.create(
        actor=user,
        actor_label=full_name or user.username,
        action=AuditAction.LOGIN,
        object_type="accounts.user",
        object_id=str(user.pk),
        object_repr=full_name or user.username,
        person_id=user.person_id,
        changes=changes,
    )
