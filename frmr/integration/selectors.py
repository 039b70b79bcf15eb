"""Reading API tokens and recognizing the token a request presents."""

from __future__ import annotations

import datetime
import hmac
import threading
import time

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from frmr.integration.models import ApiToken
from frmr.integration.services import PREFIX_LENGTH, token_hash
from frmr.registry.models import Organization

# `last_used_at` is for people ("used 5 minutes ago"): a minute's precision spares a write per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def api_tokens_of_organization(*, organization: Organization) -> QuerySet[ApiToken]:
    """Every token of the organization, active and revoked, newest first."""
    return ApiToken.objects.filter(organization=organization).select_related("created_by", "revoked_by")


def api_token_lookup(*, raw: str) -> ApiToken | None:
    """The token `raw` is, revoked or not (the API tells a revoked token from an unknown one)."""
    raw = (raw or "").strip()
    if len(raw) <= PREFIX_LENGTH:
        return None
    presented = token_hash(raw)
    # Candidates are found by the public prefix; the secret part is decided by a constant-time compare,
    # so response timing tells nothing about how much of a guessed token was right.
    for candidate in ApiToken.objects.select_related("organization").filter(prefix=raw[:PREFIX_LENGTH]):
        if hmac.compare_digest(candidate.secret_hash, presented):
            return candidate
    return None


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token `raw` is, with its organization loaded; None when unknown, revoked or expired."""
    token = api_token_lookup(raw=raw)
    if token is None or not token.is_active:
        return None
    api_token_touch(token=token)
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record the token's use, at most once a minute per `token` object."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# ------------------------------------------------------------------------ The API's memory of tokens
#
# Recognizing a token costs a query (prefix lookup, organization joined) that every API request would
# repeat. The process remembers what it recognized, by the token's SHA-256, for
# FRMR_API_TOKEN_CACHE_SECONDS. What it remembers is only *which* token and organization a raw token
# is — facts that do not change. Whether the token is still active is NOT taken from memory: the API
# checks it on every request inside its rate-limit statement (services.api_rate_hit), so a revocation
# is refused on the next request. The expiry day is such a fact too (set at issue, never changed), so
# the remembered token's `valid_until` is compared with today's date on every request, with no query.
# Only the names shown in messages and audit labels (token name, organization name) may be that many
# seconds old.
_TOKEN_MEMORY: dict[str, tuple[float, ApiToken]] = {}
_TOKEN_MEMORY_LOCK = threading.Lock()
TOKEN_MEMORY_MAX = 1024  # tokens per process; a full memory starts afresh (unknown tokens never enter)


def _token_memory_seconds() -> float:
    return float(settings.FRMR_API_TOKEN_CACHE_SECONDS)


def api_token_recognize(*, raw: str) -> ApiToken | None:
    """The token `raw` is, revoked or not, from the process's memory when it is fresh enough.

    For the API's authentication only: the caller must check that the token is active in the database
    (`api_rate_hit` does, in the same statement as the count). Unknown tokens are looked up every time.
    """
    raw = (raw or "").strip()
    if len(raw) <= PREFIX_LENGTH:
        return None
    key = token_hash(raw)
    ttl = _token_memory_seconds()
    remembered = _TOKEN_MEMORY.get(key)
    if remembered is not None and time.monotonic() - remembered[0] < ttl:
        return remembered[1]
    token = api_token_lookup(raw=raw)
    if token is not None and ttl > 0:
        with _TOKEN_MEMORY_LOCK:
            if len(_TOKEN_MEMORY) >= TOKEN_MEMORY_MAX:
                _TOKEN_MEMORY.clear()
            _TOKEN_MEMORY[key] = (time.monotonic(), token)
    return token


def api_token_forget(*, token: ApiToken) -> None:
    """Drop the token from this process's memory (after a revocation is noticed or made here)."""
    with _TOKEN_MEMORY_LOCK:
        for key in [k for k, (_, t) in _TOKEN_MEMORY.items() if t.pk == token.pk]:
            del _TOKEN_MEMORY[key]
