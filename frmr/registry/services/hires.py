"""Telling a worker that an organization hired them and so now sees their personal file.

An organization gains access to a person's file with its first card (frmr/registry/selectors.py:
persons_visible_to_organization), and every hire is a new card. Every path that creates a hire's card —
`card_hire` (the cabinet and the API) and the import's bulk writer (COPY or bulk_create) — calls
`workers_notify_hired` with the cards it has just saved, inside its transaction, so the rule and the
wording live here once and the e-mails leave only after commit.

Only a worker whose account is linked to the file (`User.person`, set at their ЕСИА login) can be told:
notifications belong to accounts. A person entered into the register just now has no such account yet;
they will find the hire in their cabinet at their first login.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from frmr.accounts.models import User
from frmr.notifications.services import NotificationDraft, notifications_create_many
from frmr.registry.models import EmploymentCard, Organization

KIND = "hired"


def _link() -> str:
    try:
        return reverse("lk:home")
    except NoReverseMatch:
        return "/lk/"


def _draft(
    user: User, organization: Organization, card: EmploymentCard, *, first_here: bool
) -> NotificationDraft:
    where = ", ".join(part for part in (card.position.name, card.department.name) if part)
    parts = [
        _("«%(organization)s» внесла в регистр ваш приём на работу: %(where)s, с %(begin)s.")
        % {
            "organization": organization.name_short,
            "where": where,
            "begin": card.begin_date.strftime("%d.%m.%Y"),
        }
    ]
    if first_here:
        parts.append(_("Теперь эта организация видит ваше личное дело в регистре и может его дополнять."))
    parts.append(
        _(
            "Если вы там не работаете или в данных ошибка, сообщите об этом работодателю из личного "
            "кабинета («Сообщить об ошибке»)."
        )
    )
    # Kept in the notification's row as plain text, in the language of the moment it was written.
    body = " ".join(parts)
    return NotificationDraft(
        recipient=user,
        kind=KIND,
        title=(_("Приём на работу: %(organization)s") % {"organization": organization.name_short})[:250],
        body=body,
        link=_link(),
        dedup_key=f"card:{card.pk}:hired",
    )


def workers_notify_hired(*, organization: Organization, cards: Sequence[EmploymentCard]) -> int:
    """Notify the workers hired by `organization` with the just-saved `cards`; returns how many were told.

    One query when none of the persons has an account (the usual import), three otherwise, however many
    cards. «The organization now sees your file» is said with the person's first card in it.
    """
    by_person: dict[int, list[EmploymentCard]] = {}
    for card in cards:
        by_person.setdefault(card.person_id, []).append(card)
    if not by_person:
        return 0
    users = list(User.objects.filter(person_id__in=by_person).select_related("person").order_by("pk"))
    if not users:
        return 0
    told = {user.person_id for user in users if user.person_id is not None}
    new_ids = [card.pk for person_id in told for card in by_person[person_id]]
    earlier = set(
        EmploymentCard.objects.filter(organization=organization, person_id__in=told)
        .exclude(pk__in=new_ids)
        .values_list("person_id", flat=True)
    )
    drafts = []
    for user in users:
        if user.person_id is None:
            continue
        for index, card in enumerate(sorted(by_person[user.person_id], key=lambda c: c.pk)):
            first_here = index == 0 and user.person_id not in earlier
            drafts.append(_draft(user, organization, card, first_here=first_here))
    notifications_create_many(drafts=drafts)
    return len(drafts)
