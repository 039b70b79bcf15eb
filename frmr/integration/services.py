"""Issuing and revoking API tokens, and the per-token rate limit.

A token is 32 random bytes from `secrets` (256 bits, URL-safe base64, 43 characters). The database keeps
only its SHA-256. A slow password hash (PBKDF2, Argon2) exists to make guessing *low-entropy* secrets
expensive; a 256-bit random value cannot be guessed whatever the hash speed, so a single fast SHA-256 is
as safe here and keeps authentication to microseconds on every API request.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import secrets
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.permissions import ensure_acts_for
from frmr.audit.actors import ActorLike, acting_user
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, diff, model_snapshot
from frmr.integration.models import ApiRateWindow, ApiToken
from frmr.integration.prepared import fetch_prepared
from frmr.registry.models import Organization

if TYPE_CHECKING:
    pass

TOKEN_BYTES = 32
PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
# What the audit log shows of a token: never the hash.
AUDITED_FIELDS = ("organization", "name", "prefix", "created_by", "valid_until", "revoked_at", "revoked_by")
# The cabinet proposes a year; a longer life is allowed up to this, a typo of a century is not.
VALID_DEFAULT_DAYS = 365
VALID_MAX_YEARS = 5


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_default_valid_until(*, today: datetime.date | None = None) -> datetime.date:
    """What the cabinet proposes: a year from today."""
    return (today or timezone.localdate()) + datetime.timedelta(days=VALID_DEFAULT_DAYS)


def _check_valid_until(valid_until: datetime.date | None) -> list[str]:
    if valid_until is None:
        return []
    today = timezone.localdate()
    if valid_until < today:
        return [
            _("Срок действия не может закончиться в прошлом: укажите сегодняшнюю или более позднюю дату.")
        ]
    try:
        latest = today.replace(year=today.year + VALID_MAX_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + VALID_MAX_YEARS, day=28)
    if valid_until > latest:
        return [
            _(
                "Срок действия — не больше %(years)s лет, до %(latest)s. Для бессрочного "
                "токена оставьте поле пустым."
            )
            % {"years": VALID_MAX_YEARS, "latest": format(latest, "%d.%m.%Y")}
        ]
    return []


def api_token_create(
    *,
    organization: Organization,
    actor: ActorLike,
    name: str,
    valid_until: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """A new token of `organization`; the raw token is returned here once and stored nowhere.

    `valid_until` is the last day the token works (inclusive, server's time zone); None — no expiry.
    """
    ensure_acts_for(actor=actor, organization=organization)
    clean_name = " ".join(str(name or "").split())
    errors: dict[str, list[str]] = {}
    if not clean_name:
        errors["name"] = [_("Укажите название токена, например «МИС поликлиники».")]
    elif len(clean_name) > NAME_MAX_LENGTH:
        errors["name"] = [_("Название токена — не длиннее %(most)s символов.") % {"most": NAME_MAX_LENGTH}]
    if date_errors := _check_valid_until(valid_until):
        errors["valid_until"] = date_errors
    if errors:
        raise ValidationError(errors)
    if not organization.is_active:
        raise ValidationError(
            {
                "organization": _("Организация «%(organization)s» не действует: токен ей выдать нельзя.")
                % {"organization": organization}
            }
        )
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        organization=organization,
        name=clean_name,
        prefix=raw[:PREFIX_LENGTH],
        secret_hash=token_hash(raw),
        created_by=acting_user(actor),
        valid_until=valid_until,
    )
    with transaction.atomic():
        token.save()
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=token,
            person=None,
            changes=created_changes(model_snapshot(token, fields=AUDITED_FIELDS)),
            reason=_("Выпуск токена API"),
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: ActorLike) -> ApiToken:
    """Revoke at once: the next request with this token is refused with 401."""
    ensure_acts_for(actor=actor, organization=token.organization)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().select_related("organization").get(pk=token.pk)
        if locked.revoked_at is not None:
            when = timezone.localtime(locked.revoked_at)
            raise ValidationError(
                {
                    "token": _("Токен «%(name)s» уже отозван %(when)s.")
                    % {"name": locked.name, "when": format(when, "%d.%m.%Y %H:%M")}
                }
            )
        before = model_snapshot(locked, fields=AUDITED_FIELDS)
        locked.revoked_at = timezone.now()
        locked.revoked_by = acting_user(actor)
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            organization=locked.organization,
            action=AuditAction.UPDATE,
            obj=locked,
            person=None,
            changes=diff(before, model_snapshot(locked, fields=AUDITED_FIELDS)),
            reason=_("Отзыв токена API"),
        )
    return locked


def api_token_ensure_of(*, token: ApiToken, organization: Organization) -> None:
    """For views that take a token id from the URL: it must be a token of the acting organization."""
    if token.organization_id != organization.pk:
        raise PermissionDenied(_("Этот токен выдан другой организации."))


# ------------------------------------------------------------------------------------------ Rate limit

# One statement per request, atomic in both PostgreSQL and SQLite (≥ 3.35): start a new window or count
# in the current one — only while the token is active. The token's row is read in the same statement, so
# a revocation committed before it is seen at once, with no round trip of its own: a revoked (or deleted)
# token gets no row back. Every column reference on the right is the row's value before the update.
_RATE_UPSERT = """
INSERT INTO {window} (token_id, window_start, count)
SELECT t.id, %(rate_window)s, 1 FROM {token} t{pg_async} WHERE t.id = %(rate_token)s AND t.revoked_at IS NULL
ON CONFLICT (token_id) DO UPDATE SET
    count = CASE WHEN {window}.window_start = excluded.window_start THEN {window}.count + 1 ELSE 1 END,
    window_start = excluded.window_start
RETURNING count
"""
# On PostgreSQL the statement is its own transaction and would wait for its WAL flush on commit (an fsync
# per API request, serialized on the token's row). A counter may lose the last moment of counts in a
# crash, so this one transaction commits asynchronously: `set_config(…, true)` is local to it and is read
# at its commit. Same single round trip.
_PG_ASYNC = ", (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit"


class ApiTokenInactive(Exception):
    """The token was revoked or deleted after the request's token was recognized: nothing was counted."""


def api_rate_limit() -> int:
    return int(settings.FRMR_API_RATE_PER_MINUTE)


_RATE_SQL: dict[str, str] = {}


def _rate_sql(vendor: str) -> str:
    sql = _RATE_SQL.get(vendor)
    if sql is None:
        quote = connection.ops.quote_name
        sql = _RATE_SQL[vendor] = _RATE_UPSERT.format(
            window=quote(ApiRateWindow._meta.db_table),
            token=quote(ApiToken._meta.db_table),
            pg_async=_PG_ASYNC if vendor == "postgresql" else "",
        )
    return sql


def _retry_after(window: int, moment: float) -> int:
    return max(1, math.ceil((window + 1) * 60 - moment))


def api_rate_hit(*, token: ApiToken, now: float | None = None) -> int | None:
    """Count one request of `token`; None if allowed, else the seconds until the next window.

    Raises ApiTokenInactive when the token is no longer active in the database (checked in the same
    statement), so a revocation takes effect on the very next request of every process.
    """
    moment = time.time() if now is None else now
    window = int(moment // 60)
    # The first statement of an API request: it also stands for the connection's health check (a retry
    # after a dropped connection may count one request twice, on the safe side).
    rows = fetch_prepared(_rate_sql(connection.vendor), {"rate_window": window, "rate_token": token.pk})
    if not rows:
        raise ApiTokenInactive(token.pk)
    if int(rows[0][0]) <= api_rate_limit():
        return None
    return _retry_after(window, moment)


def api_rate_hit_reading(
    *, token: ApiToken, sql: str, params: dict[str, Any], now: float | None = None
) -> tuple[int | None, list[tuple[Any, ...]]]:
    """`api_rate_hit` and a read in the same statement (PostgreSQL only): one round trip, not two.

    Returns what api_rate_hit returns and the rows of `sql` (named parameters `params`), which come back
    only when the request is allowed. The read runs in the statement's snapshot, exactly as it would run
    right after a separate api_rate_hit.
    """
    assert connection.vendor == "postgresql"
    moment = time.time() if now is None else now
    window = int(moment // 60)
    combined = _RATE_READ_SQL.get(sql)
    if combined is None:
        combined = _RATE_READ_SQL[sql] = (
            f"WITH hit AS ({_rate_sql(connection.vendor)}) SELECT hit.count, r.* FROM hit "  # noqa: S608
            f"LEFT JOIN LATERAL ({sql}) r ON hit.count <= %(rate_limit)s"
        )
    limit = api_rate_limit()
    rows = fetch_prepared(
        combined, {**params, "rate_window": window, "rate_token": token.pk, "rate_limit": limit}
    )
    if not rows:
        raise ApiTokenInactive(token.pk)
    if int(rows[0][0]) > limit:
        return _retry_after(window, moment), []
    # A LEFT JOIN: one row of NULLs when the read found nothing.
    return None, [row[1:] for row in rows if any(value is not None for value in row[1:])]


_RATE_READ_SQL: dict[str, str] = {}
