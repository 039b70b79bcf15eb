"""API tokens of medical organizations and the per-token request counter of the rate limit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ApiToken(models.Model):
    """A bearer token of the FRMR-compatible API, issued to one organization.

    The token itself is never stored: only its SHA-256 (see `frmr.integration.services`) and its first
    characters, which the cabinet shows so that an operator can tell tokens apart.
    """

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("организация"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(gettext_lazy("название"), max_length=100)
    prefix = models.CharField(gettext_lazy("начало токена"), max_length=8, db_index=True)
    secret_hash = models.CharField(gettext_lazy("SHA-256 токена"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кем создан"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("создан"), auto_now_add=True)
    last_used_at = models.DateTimeField(gettext_lazy("последнее использование"), null=True, blank=True)
    # A calendar day, inclusive, in the server's time zone (TIME_ZONE): the operator picks a date. Set
    # once at issue and never changed, so a token remembered by an API process carries the right value.
    valid_until = models.DateField(gettext_lazy("действует до (включительно)"), null=True, blank=True)
    revoked_at = models.DateTimeField(gettext_lazy("отозван"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кем отозван"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("токен API")
        verbose_name_plural = gettext_lazy("токены API")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a format, not a secret)
                name="apitoken_hash_hex",
                violation_error_message=gettext_lazy("Хеш токена — 64 шестнадцатеричные цифры."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="apitoken_name_not_empty",
                violation_error_message=gettext_lazy("Укажите название токена."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

    def is_expired(self, today: datetime.date | None = None) -> bool:
        """True from the day after `valid_until`; a token without one never expires."""
        if self.valid_until is None:
            return False
        return self.valid_until < (today or timezone.localdate())

    @property
    def label(self) -> str:
        """How the audit log names requests made with this token."""
        return _("API-токен %(prefix)s (%(name)s)") % {"prefix": self.prefix, "name": self.name}


class ApiRateWindow(models.Model):
    """Requests made with a token in the current one-minute window (fixed-window rate limit).

    One row per token, rewritten by a single atomic upsert per request (`api_rate_hit`), so every web
    process and server sees the same count without a shared cache.
    """

    token = models.OneToOneField(
        ApiToken,
        verbose_name=gettext_lazy("токен"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    window_start = models.BigIntegerField(gettext_lazy("начало окна (минуты от эпохи)"))
    count = models.PositiveIntegerField(gettext_lazy("запросов в окне"), default=0)

    class Meta:
        verbose_name = gettext_lazy("счётчик запросов к API")
        verbose_name_plural = gettext_lazy("счётчики запросов к API")
