"""Webhook endpoints and their outbox of deliveries (docs/sync.md «Вебхуки»)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class WebhookEndpoint(models.Model):
    """An HTTPS address that receives the change events of one organization (or, with no organization,
    of the whole register: a national system registered by the administrator).

    `cursor` is the feed position of the last change event turned into deliveries; the fan-out reads the
    feed past it exactly as the API's `changes` does, so an endpoint misses no event and gets none twice.
    """

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name="организация",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        help_text="Пусто — национальная система: получает изменения всего регистра.",
    )
    name = models.CharField("название", max_length=200)
    url = models.URLField("адрес", max_length=500)
    # Entity types of the change log (registry.person, …); empty means every kind.
    entity_types = models.JSONField("виды изменений", default=list, blank=True)
    # Standard Webhooks secret, `whsec_<base64>`. Kept readable: signing needs it, and the operator may
    # look it up again on the endpoint's page (docs/sync.md explains the choice).
    secret = models.CharField("секрет", max_length=100)
    cursor = models.BigIntegerField("последняя разосланная позиция", default=0)
    is_active = models.BooleanField("включён", default=True)
    failing_since = models.DateTimeField("не принимает с", null=True, blank=True)
    disabled_at = models.DateTimeField("отключён", null=True, blank=True)
    disabled_reason = models.CharField("причина отключения", max_length=300, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем создан",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "вебхук"
        verbose_name_plural = "вебхуки"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "ожидает отправки"
    FAILED = "failed", "ошибка, будет повторено"
    SUCCEEDED = "succeeded", "доставлено"
    GAVE_UP = "gave_up", "не доставлено за 3 дня"


class WebhookDelivery(models.Model):
    """One change event for one endpoint: the outbox row, sent at least once under a claim."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name="вебхук", on_delete=models.CASCADE, related_name="deliveries"
    )
    position = models.BigIntegerField("позиция события")
    # `webhook-id`: the same on every attempt and on a replay, so the receiver can drop repeats.
    message_id = models.CharField("webhook-id", max_length=64, unique=True)
    event_type = models.CharField("тип события", max_length=80)
    payload = models.JSONField("тело")
    status = models.CharField(
        "состояние", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField("попыток", default=0)
    created_at = models.DateTimeField("создано")
    due_at = models.DateTimeField("отправить после")
    claimed_until = models.DateTimeField("отправляется до", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("последний код ответа", null=True, blank=True)
    last_error = models.CharField("последняя ошибка", max_length=500, blank=True)
    delivered_at = models.DateTimeField("доставлено", null=True, blank=True)

    class Meta:
        verbose_name = "доставка вебхука"
        verbose_name_plural = "доставки вебхуков"
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
        WebhookDelivery, verbose_name="доставка", on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField("когда")
    status_code = models.PositiveSmallIntegerField("код ответа", null=True, blank=True)
    error = models.CharField("ошибка", max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField("длительность, мс", default=0)

    class Meta:
        verbose_name = "попытка доставки"
        verbose_name_plural = "попытки доставки"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
