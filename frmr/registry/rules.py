"""Rules every way into the register applies alike: the services, the import and the integration API.

Each rule is a pure function of the values it judges (no query, no clock: "today" is an argument) and
answers the Russian message of the refusal, or nothing. The services call them while collecting a
record's problems, the import calls them for each row against the values it loaded once per file, and
the database constraints carry the same messages (`DISMISSAL_BEFORE_HIRE`, …). docs/architecture.md
(«Where each rule lives») lists them; tests/frmr/registry/test_rules.py holds each to its boundaries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A hire date may lie ahead, but not further than this: HR enters hires agreed for the coming months,
# while a date years ahead is almost always a typo.
HIRE_AHEAD_DAYS = 365

# Lazy, as the database constraints take them when the models load; the rules answer them as str.
HIRE_TOO_FAR_AHEAD = gettext_lazy("Дата приёма не может быть позже чем через год от сегодняшнего дня.")
HIRE_BEFORE_BIRTH = gettext_lazy("Дата приёма не может быть раньше даты рождения работника.")
DISMISSAL_BEFORE_HIRE = gettext_lazy("Дата увольнения не может быть раньше даты приёма.")
DISMISSAL_NEEDS_BOTH = gettext_lazy("При увольнении укажите и дату, и основание.")
DISMISSAL_DATE_MISSING = gettext_lazy("Укажите дату увольнения.")
DISMISSAL_REASON_MISSING = gettext_lazy("Укажите основание увольнения.")


class DatedEntry(Protocol):
    """What the rule on dictionary entries reads of one (frmr.nsi.models.DictionaryEntry)."""

    name: str

    def is_valid_on(self, day: datetime.date) -> bool: ...


# ------------------------------------------------------------------------------------------ Card dates


def hire_date_problem(
    begin: datetime.date, *, today: datetime.date, birth_date: datetime.date | None
) -> str | None:
    """A hire at most `HIRE_AHEAD_DAYS` after `today` (inclusive) and not before the worker's birth."""
    if begin > today + datetime.timedelta(days=HIRE_AHEAD_DAYS):
        return str(HIRE_TOO_FAR_AHEAD)
    if birth_date is not None and begin < birth_date:
        return str(HIRE_BEFORE_BIRTH)
    return None


def dismissal_date_problem(*, begin: datetime.date | None, end: datetime.date | None) -> str | None:
    """A dismissal is not before the hire; the same day is allowed (a one-day card)."""
    if end is not None and begin is not None and end < begin:
        return str(DISMISSAL_BEFORE_HIRE)
    return None


def dismissal_pair_problems(
    *, end: datetime.date | None, reason_given: bool, dismissing: bool = False
) -> dict[str, str]:
    """A card records both the dismissal date and its reason, or neither; keyed by the missing field.

    `dismissing`: the act of dismissal, where both are asked for; each missing one is named.
    """
    if dismissing:
        problems = {}
        if end is None:
            problems["end_date"] = str(DISMISSAL_DATE_MISSING)
        if not reason_given:
            problems["end_reason"] = str(DISMISSAL_REASON_MISSING)
        return problems
    if end is not None and not reason_given:
        return {"end_reason": str(DISMISSAL_NEEDS_BOTH)}
    if end is None and reason_given:
        return {"end_date": str(DISMISSAL_NEEDS_BOTH)}
    return {}


def transfer_date_problem(transfer: datetime.date, *, begin: datetime.date) -> str | None:
    """A transfer closes the card on its date, which therefore is not before the hire."""
    if transfer < begin:
        return _("Дата перевода не может быть раньше даты приёма (%(begin)s).") % {
            "begin": begin.strftime("%d.%m.%Y")
        }
    return None


# ---------------------------------------------------------------------------------------- Dictionaries


def entry_in_force_problem(entry: DatedEntry, day: datetime.date) -> str | None:
    """A record names dictionary entries in force on the date it is about (a 1995 diploma: 1995).

    In force: DictionaryEntry.is_valid_on, both ends of the validity inclusive, an empty end open.
    """
    if entry.is_valid_on(day):
        return None
    return _("Запись справочника «%(name)s» не действует на %(day)s: выберите действующую.") % {
        "name": entry.name,
        "day": day.strftime("%d.%m.%Y"),
    }


# ------------------------------------------------------------------------------------------ Visibility


def person_visible_to(
    *,
    organization_id: int,
    created_by_organization_id: int | None,
    card_organization_ids: Iterable[int],
) -> bool:
    """An organization sees a person it entered, or one with a card (current or closed) in it.

    The selectors hold the same rule as a query (registry.selectors.persons_visible_to_organization)
    and the API's one-statement read as SQL (integration.api.reads); tests/frmr/registry/test_rules.py
    holds the three to the same answers.
    """
    return created_by_organization_id == organization_id or organization_id in set(card_organization_ids)
