"""Webhook endpoints and their outbox of deliveries (docs/sync.md «Вебхуки»)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


class WebhookEndpoint(models.Model):
    """An HTTPS address that receives the change events of one organization (or, with no organization,
    of the whole register: a national system registered by the administrator).

    `cursor` is the feed position of the last change event turned into deliveries; the fan-out reads the
    feed past it exactly as the API's `changes` does, so an endpoint misses no event and gets none twice.
    """

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("организация"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        help_text=gettext_lazy("Пусто — национальная система: получает изменения всего регистра."),
    )
    name = models.CharField(gettext_lazy("название"), max_length=200)
    url = models.URLField(gettext_lazy("адрес"), max_length=500)
    # Entity types of the change log (registry.person, …); empty means every kind.
    entity_types = models.JSONField(gettext_lazy("виды изменений"), default=list, blank=True)
    # Standard Webhooks secret, `whsec_<base64>`. Kept readable: signing needs it, and the operator may
    # look it up again on the endpoint's page (docs/sync.md explains the choice).
    secret = models.CharField(gettext_lazy("секрет"), max_length=100)
    cursor = models.BigIntegerField(gettext_lazy("последняя разосланная позиция"), default=0)
    is_active = models.BooleanField(gettext_lazy("включён"), default=True)
    failing_since = models.DateTimeField(gettext_lazy("не принимает с"), null=True, blank=True)
    disabled_at = models.DateTimeField(gettext_lazy("отключён"), null=True, blank=True)
    disabled_reason = models.CharField(gettext_lazy("причина отключения"), max_length=300, blank=True)
    created_at = models.DateTimeField(gettext_lazy("создан"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кем создан"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("вебхук")
        verbose_name_plural = gettext_lazy("вебхуки")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("ожидает отправки")
    FAILED = "failed", gettext_lazy("ошибка, будет повторено")
    SUCCEEDED = "succeeded", gettext_lazy("доставлено")
    GAVE_UP = "gave_up", gettext_lazy("не доставлено за 3 дня")


class WebhookDelivery(models.Model):
    """One change event for one endpoint: the outbox row, sent at least once under a claim."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=gettext_lazy("вебхук"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    position = models.BigIntegerField(gettext_lazy("позиция события"))
    # `webhook-id`: the same on every attempt and on a replay, so the receiver can drop repeats.
    message_id = models.CharField("webhook-id", max_length=64, unique=True)
    event_type = models.CharField(gettext_lazy("тип события"), max_length=80)
    payload = models.JSONField(gettext_lazy("тело"))
    status = models.CharField(
        gettext_lazy("состояние"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(gettext_lazy("попыток"), default=0)
    created_at = models.DateTimeField(gettext_lazy("создано"))
    due_at = models.DateTimeField(gettext_lazy("отправить после"))
    claimed_until = models.DateTimeField(gettext_lazy("отправляется до"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        gettext_lazy("последний код ответа"), null=True, blank=True
    )
    last_error = models.CharField(gettext_lazy("последняя ошибка"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(gettext_lazy("доставлено"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("доставка вебхука")
        verbose_name_plural = gettext_lazy("доставки вебхуков")
        ordering = ["-position", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "position"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status__in=["pending", "failed"]), name="webhook_delivery_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the log the cabinet shows."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=gettext_lazy("доставка"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    at = models.DateTimeField(gettext_lazy("когда"))
    status_code = models.PositiveSmallIntegerField(gettext_lazy("код ответа"), null=True, blank=True)
    error = models.CharField(gettext_lazy("ошибка"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(gettext_lazy("длительность, мс"), default=0)

    class Meta:
        verbose_name = gettext_lazy("попытка доставки")
        verbose_name_plural = gettext_lazy("попытки доставки")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
