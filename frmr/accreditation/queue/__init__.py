"""The centre's queue (`/fac/`): sent applications by status, deadline, kind, specialty and region,
searched by applicant or number, read a page at a time by cursor (docs/accreditation.md, «The centre's
queue at national volume»).

Every page is three queries whatever the number of applications: a count that stops at `COUNT_CAP`,
the page's sort keys read along an index in (submitted_at, id) order — oldest first — from the cursor
on, and those rows by id. The applicant's name, СНИЛС and region come from the application itself
(`snapshot.py`), not from the register.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from frmr.accounts.permissions import can_read_applications
from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import IN_WORK, Application, ApplicationStatus
from frmr.accreditation.queue.search import Found, search
from frmr.core import keyset
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry

S = ApplicationStatus
PAGE_SIZE = 25
COUNT_CAP = 10_000
# A name search counts its candidates from the table, not an index: it stops sooner. Nobody pages
# through a thousand namesakes; they narrow the search.
SEARCH_COUNT_CAP = 1_000

STATUS_IN_WORK = ""
STATUS_ALL = "all"
# The status filter's choices after «Все в работе»: every status a sent application may have.
STATUS_CHOICES = [
    (S.SUBMITTED.value, S.SUBMITTED.label),
    (S.REGISTERED.value, S.REGISTERED.label),
    (S.AT_COMMISSION.value, S.AT_COMMISSION.label),
    (S.RETURNED.value, S.RETURNED.label),
    (S.REFUSED_REGISTRATION.value, S.REFUSED_REGISTRATION.label),
    (S.WITHDRAWN.value, S.WITHDRAWN.label),
    (S.ACCREDITED.value, S.ACCREDITED.label),
    (S.NOT_ACCREDITED.value, S.NOT_ACCREDITED.label),
    (STATUS_ALL, gettext_lazy("Все отправленные")),
]
_SENT_STATUSES = {value for value, _ in STATUS_CHOICES if value != STATUS_ALL}

DEADLINE_OVERDUE = "overdue"
DEADLINE_TODAY = "today"
# «Within N working days» choices: the deadline is today or one of the next N working days.
DEADLINE_WITHIN = {"3": 3, "5": 5, "10": 10}
DEADLINE_CHOICES = [
    (DEADLINE_OVERDUE, gettext_lazy("Просрочено")),
    (DEADLINE_TODAY, gettext_lazy("Истекает сегодня")),
    *(
        (key, format_lazy(gettext_lazy("Истекает в ближайшие {days} раб. дн."), days=days))
        for key, days in DEADLINE_WITHIN.items()
    ),
]

KEYS: keyset.Keys = [("submitted_at", False), ("id", False)]
RANKED_KEYS: keyset.Keys = [("similarity", True), ("submitted_at", False), ("id", False)]
KEY_TYPES: list[type | tuple[type, ...]] = [datetime.datetime, int]
RANKED_KEY_TYPES: list[type | tuple[type, ...]] = [(int, float), *KEY_TYPES]


@dataclass(frozen=True)
class QueueFilters:
    """What the staff chose; dictionary filters take codes. Unknown values mean «any»."""

    status: str = STATUS_IN_WORK
    deadline: str = ""
    kind: str = ""
    specialty: str = ""
    region: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.status, self.deadline, self.kind, self.specialty, self.region, self.q))


@dataclass
class QueuePage:
    rows: list[Application]
    total: int  # at most cap + 1
    next_cursor: str | None
    previous_cursor: str | None
    first: bool  # the first page of the list (no cursor, or nothing before)
    cap: int = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.total > self.cap

    @property
    def cap_label(self) -> str:
        return f"{self.cap:,}".replace(",", "\u00a0")


def _entry_ids(filters: QueueFilters) -> dict[str, list[int]]:
    """The dictionary entries the codes name, in one query, as ids: with the ids written out the
    planner sees how many applications each has and picks the index of that column."""
    wanted = {
        field: (oid, code)
        for field, oid, code in (
            ("accreditation_kind", oids.ACCREDITATION_KINDS, filters.kind),
            ("specialty", oids.SPECIALTIES, filters.specialty),
            ("region", oids.REGIONS, filters.region),
        )
        if code
    }
    if not wanted:
        return {}
    condition = Q()
    for oid, code in wanted.values():
        condition |= Q(dictionary=oid, code=code)
    found: dict[str, list[int]] = {field: [] for field in wanted}
    for pk, oid, code in DictionaryEntry.objects.filter(condition).values_list("pk", "dictionary", "code"):
        for field, key in wanted.items():
            if key == (oid, code):
                found[field].append(pk)
    return found


def _deadline_bounds(choice: str, today: datetime.date) -> dict[str, datetime.date] | None:
    if choice == DEADLINE_OVERDUE:
        return {"deadline__lt": today}
    if choice == DEADLINE_TODAY:
        return {"deadline": today}
    if choice in DEADLINE_WITHIN:
        return {"deadline__gte": today, "deadline__lte": add_working_days(today, DEADLINE_WITHIN[choice])}
    return None


def queue_filtered(*, user: Any, filters: QueueFilters) -> Found:
    """The applications the filters keep (none for a user without the centre's roles), whether they
    are ranked by the name search's `similarity`, and the ranked list's tiers where it has them."""
    if not can_read_applications(user):
        return Found(Application.objects.none(), False)
    # A withdrawn draft was never sent: only applications with a sending date are the centre's business.
    applications = Application.objects.filter(submitted_at__isnull=False)
    bounds = _deadline_bounds(filters.deadline, timezone.localdate())
    if filters.status in _SENT_STATUSES:
        applications = applications.filter(status=filters.status)
    elif filters.status != STATUS_ALL:
        applications = applications.filter(status__in=IN_WORK)
    if bounds is not None:
        applications = applications.filter(**bounds)
    for field, ids in _entry_ids(filters).items():
        applications = applications.filter(**{f"{field}_id__in": ids})
    query = " ".join(filters.q.split())
    if not query:
        return Found(applications, False)
    return search(applications, query)


def queue_page(
    *,
    user: Any,
    filters: QueueFilters,
    after: str | None = None,
    before: str | None = None,
    size: int | None = None,
) -> QueuePage:
    """One page of the queue in three queries (the capped count, the keys, the rows): oldest first, or
    the best name matches first when the search had to guess spellings. `after`/`before`: a
    neighbour's cursor."""
    size = size or PAGE_SIZE
    found_by = queue_filtered(user=user, filters=filters)
    applications, ranked = found_by.queryset, found_by.ranked
    keys = RANKED_KEYS if ranked else KEYS
    tag = "s" if ranked else "q"
    cap = SEARCH_COUNT_CAP if filters.q.strip() else COUNT_CAP
    total = applications.order_by().values("pk")[: cap + 1].count()
    types = RANKED_KEY_TYPES if ranked else KEY_TYPES
    names = [name for name, _ in keys]
    # The page's keys first, from the index alone where the filters allow it; then its rows by id.
    # Read in one go, the rows of every candidate would be fetched from the table before the sort.
    if found_by.tiers:
        pages, found = keyset.read_tiers(
            found_by.tiers,
            keys,
            tag,
            after=after,
            before=before,
            types=types,
            need=size + 1,
            fetch=lambda queryset, n: list(queryset.values_list(*names)[:n]),
        )
    else:
        pages = keyset.window(applications, keys, tag, after=after, before=before, types=types)
        found = list(pages.queryset.values_list(*names)[: size + 1])
    by_id = Application.objects.select_related("person", "specialty", "accreditation_kind", "region").in_bulk(
        [key[-1] for key in found]
    )
    rows = []
    for key in found:
        application = by_id[key[-1]]
        if ranked:
            application.similarity = key[0]  # type: ignore[attr-defined]
        rows.append(application)
    page = pages.page(rows, size)
    return QueuePage(
        rows=page.rows,
        total=total,
        next_cursor=page.next_cursor,
        previous_cursor=page.previous_cursor,
        first=not page.has_previous,
        cap=cap,
    )
