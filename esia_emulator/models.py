"""State of the emulator: accounts and clients seeded from data files, plus short-lived protocol objects."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

LEVEL_SIMPLIFIED = "simplified"
LEVEL_STANDARD = "standard"
LEVEL_CONFIRMED = "confirmed"
LEVEL_ORDER = {LEVEL_SIMPLIFIED: 0, LEVEL_STANDARD: 1, LEVEL_CONFIRMED: 2}
LEVEL_TITLES = {
    LEVEL_SIMPLIFIED: "упрощённая",
    LEVEL_STANDARD: "стандартная",
    LEVEL_CONFIRMED: "подтверждённая",
}


class Account(models.Model):
    objects: ClassVar[models.Manager[Account]] = models.Manager()

    oid = models.BigIntegerField(primary_key=True)
    snils = models.CharField(max_length=11, blank=True, db_index=True)  # digits only
    phone = models.CharField(max_length=12, blank=True, db_index=True)  # +7XXXXXXXXXX
    email = models.CharField(max_length=254, blank=True, db_index=True)  # lower case
    level = models.CharField(max_length=12, default=LEVEL_CONFIRMED)
    password_hash = models.CharField(max_length=200)
    # The user's record from users.json as loaded; the person API renders from it.
    data: models.JSONField[dict[str, Any]] = models.JSONField(default=dict)
    source_digest = models.CharField(max_length=64, blank=True)
    failed_attempts = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.oid} {self.full_name}"

    @property
    def full_name(self) -> str:
        d = self.data
        return " ".join(p for p in (d.get("last_name"), d.get("first_name"), d.get("middle_name")) if p)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Client(models.Model):
    objects: ClassVar[models.Manager[Client]] = models.Manager()

    client_id = models.CharField(max_length=64, primary_key=True)
    name = models.CharField(max_length=300)
    certificates_pem: models.JSONField[list[str]] = models.JSONField(default=list)
    redirect_uri_prefixes: models.JSONField[list[str]] = models.JSONField(default=list)
    scopes: models.JSONField[list[str]] = models.JSONField(default=list)
    min_level = models.CharField(max_length=12, default=LEVEL_SIMPLIFIED)

    def __str__(self) -> str:
        return self.client_id


class AuthorizationCode(models.Model):
    objects: ClassVar[models.Manager[AuthorizationCode]] = models.Manager()

    code = models.CharField(max_length=100, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    scope = models.CharField(max_length=1000)
    redirect_uri = models.CharField(max_length=2000)
    access_type = models.CharField(max_length=10)
    sid = models.CharField(max_length=64)
    amr = models.CharField(max_length=10)
    auth_time = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code {self.code[:8]}… ({self.redirect_uri})"


class RefreshToken(models.Model):
    objects: ClassVar[models.Manager[RefreshToken]] = models.Manager()

    token = models.CharField(max_length=100, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    scope = models.CharField(max_length=1000)
    sid = models.CharField(max_length=64)
    amr = models.CharField(max_length=10)
    auth_time = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"refresh token {self.token[:8]}…"


class QrLogin(models.Model):
    """A «вход по QR-коду»: the first browser shows `secret` as a QR code and polls; another confirms."""

    objects: ClassVar[models.Manager[QrLogin]] = models.Manager()

    STATUS_PENDING = "pending"
    STATUS_CONFIRMED = "confirmed"
    STATUS_USED = "used"

    poll_id = models.CharField(max_length=64, unique=True)
    secret = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, default=STATUS_PENDING)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"QR login {self.poll_id[:8]}… ({self.status})"
