"""How long a draft that is never sent is kept, and when its owner is reminded (docs/accreditation.md,
«Abandoned drafts»). The sweep's service (services/drafts.py), the reminder and the draft's page all
ask these functions, so the date a worker is told is the date the draft goes.

A draft's idle period starts at its last change (`updated_at`: every save of the form, every file put in
or removed). On the FRMR_DRAFT_REMIND_DAYS-th day of it the owner is reminded, once per idle period
(`draft_reminded_at`); once the FRMR_DRAFT_KEEP_DAYS-th day has passed the draft is deleted with its
files — but only when it was reminded in this idle period and FRMR_DRAFT_NOTICE_DAYS full days have
passed since. So nobody loses a draft without a warning that leaves time to act: not the drafts already
old when this rule came in, nor those whose reminder came late because no worker ran.

Days are those of the site's calendar (TIME_ZONE): «хранится до 5 марта» means the whole of 5 March, and
the draft is deleted from 6 March on.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from frmr.accreditation.models import Application, ApplicationStatus

DAY = datetime.timedelta(days=1)


def remind_days() -> int:
    return int(settings.FRMR_DRAFT_REMIND_DAYS)


def keep_days() -> int:
    return int(settings.FRMR_DRAFT_KEEP_DAYS)


def notice_days() -> int:
    return int(settings.FRMR_DRAFT_NOTICE_DAYS)


def reminded_in_idle_period(*, updated_at: datetime.datetime, reminded_at: datetime.datetime | None) -> bool:
    """Whether the reminder was about the draft as it stands: no change came after it."""
    return reminded_at is not None and reminded_at >= updated_at


def draft_kept_until(
    *, updated_at: datetime.datetime, reminded_at: datetime.datetime | None
) -> datetime.date:
    """The last day a draft last changed at `updated_at` is kept; it is deleted on the day after.

    A reminder that came late (`reminded_at`) moves the day on, so that the notice period is whole.
    """
    kept = timezone.localdate(updated_at) + keep_days() * DAY
    if reminded_at is not None and reminded_in_idle_period(updated_at=updated_at, reminded_at=reminded_at):
        kept = max(kept, timezone.localdate(reminded_at) + notice_days() * DAY)
    return kept


def application_kept_until(*, application: Application) -> datetime.date | None:
    """Until when a draft is kept as it stands; None for an application that was sent (kept for good)."""
    if application.status != ApplicationStatus.DRAFT:
        return None
    return draft_kept_until(updated_at=application.updated_at, reminded_at=application.draft_reminded_at)


def drafts_due_for_reminder(*, now: datetime.datetime) -> QuerySet[Application]:
    """Drafts on or past the reminder's day of their idle period whose owner was not reminded in it."""
    today = timezone.localdate(now)
    return Application.objects.filter(
        Q(draft_reminded_at__isnull=True) | Q(draft_reminded_at__lt=F("updated_at")),
        status=ApplicationStatus.DRAFT,
        # the local day of the last change + remind_days() is today or earlier
        updated_at__lt=_start_of(today - (remind_days() - 1) * DAY),
    )


def drafts_due_for_deletion(*, now: datetime.datetime) -> QuerySet[Application]:
    """Drafts whose last day (`draft_kept_until`) is over: reminded in this idle period, both periods past."""
    today = timezone.localdate(now)
    return Application.objects.filter(
        status=ApplicationStatus.DRAFT,
        draft_reminded_at__gte=F("updated_at"),
        updated_at__lt=_start_of(today - keep_days() * DAY),
        draft_reminded_at__lt=_start_of(today - notice_days() * DAY),
    )


def long_date(day: datetime.date) -> str:
    """«5 марта 2027» in the interface's language (the month in the form a date takes)."""
    return date_format(day, "j E Y")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
