"""Telling a worker that somebody else changed their personal file (docs/notifications.md).

One notification per batch of changes and per person, not per field or record: a batch is one
transaction (one cabinet request, one API request), or one import run. The audit entry point
(frmr/audit/services.py) notes every change of a personal file made on behalf of an organization — by
an operator, an API token or an import — and after the transaction commits the notes become one
notification per worker with an account, naming the sections and who made the change. The e-mail goes
only to a worker who opted in (`NotificationSettings.email_on_file_change`, off by default).

The key of the notification is the batch's, so running the flush twice, or an import's later chunk
touching the same person again, adds nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from frmr.core.txbatch import transaction_batch
from frmr.registry.catalogue import CATALOGUE, FileSection

KIND = "file_changed"
HIRE = ("registry.employmentcard", "created")

_TITLES = {f"registry.{s.model_name.lower()}": s.title for s in CATALOGUE}
_TITLES["registry.absence"] = str(FileSection.EMPLOYMENT.label)
_ORDER = {name: i for i, name in enumerate(_TITLES.values())}


def section_title(entity_type: str) -> str | None:
    """The section of the personal file a record type belongs to (None: not a personal file's)."""
    return _TITLES.get(entity_type)


def file_changes_note(
    *,
    changes: list[tuple[int, str, str]],
    actor_label: str,
    organization_id: int,
    actor_person_id: int | None = None,
    batch: str = "",
) -> None:
    """Remember, for after the commit, that (person id, entity type, change kind) were changed by this
    actor on behalf of `organization_id`. `batch` names a batch longer than the transaction (an import
    run). A person's own changes (`actor_person_id`) are not reported to them, nor a batch that hires
    them: the hire has its own notice (frmr/registry/services/hires.py), made in the same transaction."""
    if not changes:
        return
    data = transaction_batch("file_changes", _flush)
    key = batch or data.setdefault("_key", uuid.uuid4().hex)
    people: dict[tuple[str, int], dict[str, Any]] = data.setdefault("people", {})
    for person_id, entity_type, kind in changes:
        title = section_title(entity_type)
        if title is None or person_id == actor_person_id:
            continue
        note = people.setdefault(
            (key, person_id),
            {"sections": set(), "actor": actor_label, "organization_id": organization_id, "hired": False},
        )
        if (entity_type, kind) == HIRE:
            note["hired"] = True
        else:
            note["sections"].add(title)


def _flush(data: dict[str, Any]) -> None:
    from frmr.accounts.models import User
    from frmr.notifications.models import NotificationSettings
    from frmr.notifications.services import NotificationDraft, notifications_create_many
    from frmr.registry.models import Organization

    people: dict[tuple[str, int], dict[str, Any]] = data.get("people", {})
    if not people:
        return
    users = {
        user.person_id: user
        for user in User.objects.filter(
            person_id__in={pid for _key, pid in people}, is_active=True
        ).select_related("person")
    }
    if not users:
        return
    opted_in = set(
        NotificationSettings.objects.filter(user__in=users.values(), email_on_file_change=True).values_list(
            "user_id", flat=True
        )
    )
    names = dict(
        Organization.objects.filter(pk__in={n["organization_id"] for n in people.values()}).values_list(
            "pk", "name_short"
        )
    )
    drafts = []
    for (key, person_id), note in people.items():
        user = users.get(person_id)
        if user is None or note["hired"] or not note["sections"]:
            continue
        sections = sorted(note["sections"], key=lambda t: _ORDER.get(t, 99))
        organization = names.get(note["organization_id"], _("организация"))
        listed = ", ".join(sections)
        drafts.append(
            NotificationDraft(
                recipient=user,
                kind=KIND,
                title=(_("Изменено ваше личное дело: %(sections)s") % {"sections": listed})[:250],
                body=(
                    _(
                        "Изменены разделы: %(sections)s. Изменения внёс(ла): %(actor)s от имени "
                        "организации «%(organization)s». Если что-то неверно, отправьте работодателю "
                        "запрос на исправление."
                    )
                    % {"sections": listed, "actor": note["actor"], "organization": organization}
                ),
                link="/lk/",
                dedup_key=f"file-changed:{key}:{person_id}",
                email=user.pk in opted_in,
            )
        )
    notifications_create_many(drafts=drafts)
