"""Lockout of the Django admin's password login (docs/security.md).

Failures are counted per account (the username as typed, case-folded) and per client address within a
window; at the limit the key is locked for a while, and while it is locked even the right password is
refused without being checked. A successful login clears the account's count only: an attacker who owns
one account must not reset their address's count by logging into it between guesses.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.models import LoginThrottle, LoginThrottleScope, User
from frmr.audit.actors import Actor
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record


@dataclass(frozen=True)
class Lock:
    scope: str
    until: datetime.datetime

    def minutes_left(self, now: datetime.datetime) -> int:
        return max(1, math.ceil((self.until - now).total_seconds() / 60))


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the header a trusted reverse proxy sets (FRMR_CLIENT_IP_HEADER).

    Behind a proxy every REMOTE_ADDR is the proxy's, so without the header one address's lock would
    lock everybody out.
    """
    header = settings.FRMR_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    # A proxy that appends (X-Forwarded-For) puts the address it saw last.
    address = value.split(",")[-1].strip() if value else request.META.get("REMOTE_ADDR", "")
    return address[:150] or "unknown"


def _keys(*, username: str, address: str) -> list[tuple[str, str, int]]:
    return [
        (
            LoginThrottleScope.ACCOUNT,
            username.strip().casefold()[:150],
            settings.FRMR_ADMIN_LOGIN_MAX_FAILURES,
        ),
        (LoginThrottleScope.ADDRESS, address, settings.FRMR_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]


def admin_login_lock(*, username: str, address: str) -> Lock | None:
    """The lock that refuses this attempt now, if any (the longest one)."""
    now = timezone.now()
    locks = [
        Lock(scope=row.scope, until=row.locked_until)
        for scope, key, _limit in _keys(username=username, address=address)
        for row in LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=now)
        if row.locked_until is not None
    ]
    return max(locks, key=lambda lock: lock.until) if locks else None


def admin_login_failed(*, username: str, address: str) -> Lock | None:
    """Count a failed attempt for the account and the address; the lock it starts, if it starts one."""
    now = timezone.now()
    window = datetime.timedelta(seconds=settings.FRMR_ADMIN_LOGIN_WINDOW_SECONDS)
    started: Lock | None = None
    with transaction.atomic():
        for scope, key, limit in _keys(username=username, address=address):
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(scope=scope, key=key)
            if row.window_started_at is None or row.window_started_at + window <= now:
                row.failures, row.window_started_at = 0, now
            row.failures += 1
            if row.failures >= limit and (row.locked_until is None or row.locked_until <= now):
                row.locked_until = now + datetime.timedelta(seconds=settings.FRMR_ADMIN_LOGIN_LOCK_SECONDS)
                row.failures, row.window_started_at = 0, None
                started = Lock(scope=scope, until=row.locked_until)
                _audit_lock(row=row, username=username, address=address, limit=limit)
            row.save()
    return started


def admin_login_succeeded(*, username: str) -> None:
    """Forget the account's failures (a lock still in force is kept: the login could not have passed it)."""
    LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=timezone.now()),
        scope=LoginThrottleScope.ACCOUNT,
        key=username.strip().casefold()[:150],
    ).delete()


def _audit_lock(*, row: LoginThrottle, username: str, address: str, limit: int) -> None:
    user = User.objects.filter(username__iexact=username.strip()).first()
    account = row.scope == LoginThrottleScope.ACCOUNT
    values = {
        "account": username.strip()[:150],
        "address": address,
        "minutes": settings.FRMR_ADMIN_LOGIN_LOCK_SECONDS // 60,
        "limit": limit,
    }
    # The actor's label and the reason are stored in the audit row: plain text, eagerly translated.
    if account:
        reason = _(
            "вход по паролю в администрирование для учётной записи «%(account)s» заблокирован на "
            "%(minutes)s мин после %(limit)s неудачных попыток"
        )
    else:
        reason = _(
            "вход по паролю в администрирование для адреса %(address)s заблокирован на %(minutes)s мин "
            "после %(limit)s неудачных попыток"
        )
    audit_record(
        actor=Actor.system(_("вход в администрирование с %(address)s") % {"address": address}),
        organization=None,
        action=AuditAction.LOGIN,
        obj=user if user is not None and account else row,
        person=None,
        reason=reason % values,
    )


def lock_message(lock: Lock) -> str:
    minutes = lock.minutes_left(timezone.now())
    if lock.scope == LoginThrottleScope.ACCOUNT:
        message = _(
            "Слишком много неудачных попыток входа. Вход по паролю для этой учётной записи заблокирован "
            "ещё на %(minutes)s мин. Попробуйте позже или войдите через Госуслуги (ЕСИА)."
        )
    else:
        message = _(
            "Слишком много неудачных попыток входа. Вход по паролю для вашего адреса заблокирован ещё на "
            "%(minutes)s мин. Попробуйте позже или войдите через Госуслуги (ЕСИА)."
        )
    return message % {"minutes": minutes}
