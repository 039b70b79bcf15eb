"""Reading API tokens and recognizing the token a request presents."""

from __future__ import annotations

import datetime
import hmac

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
    """The active token `raw` is, with its organization loaded; None when unknown or revoked."""
    token = api_token_lookup(raw=raw)
    if token is None or token.revoked_at is not None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
