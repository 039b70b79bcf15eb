from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


class EmailStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("ожидает отправки")
    SENT = "sent", gettext_lazy("отправлено")
    FAILED = "failed", gettext_lazy("ошибка, будет повторено")
    GAVE_UP = "gave_up", gettext_lazy("не удалось отправить")
    SKIPPED = "skipped", gettext_lazy("не отправляется (нет адреса)")


class Notification(models.Model):
    """A message to a user, shown in the cabinet and, when the user has an address, sent by e-mail.

    `dedup_key` makes creation idempotent: the same event (e.g. "application 42 registered") never
    produces two notifications, however many times the code that reports it runs.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("получатель"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(gettext_lazy("вид"), max_length=64)
    title = models.CharField(gettext_lazy("заголовок"), max_length=250)
    body = models.TextField(gettext_lazy("текст"))
    link = models.CharField(gettext_lazy("ссылка"), max_length=500, blank=True)
    dedup_key = models.CharField(
        gettext_lazy("ключ события"), max_length=200, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(gettext_lazy("создано"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(gettext_lazy("прочитано"), null=True, blank=True)
    email_to = models.EmailField(gettext_lazy("адрес для письма"), blank=True)
    email_status = models.CharField(
        gettext_lazy("письмо"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(gettext_lazy("попыток отправки"), default=0)
    email_sent_at = models.DateTimeField(gettext_lazy("письмо отправлено"), null=True, blank=True)
    email_error = models.TextField(gettext_lazy("последняя ошибка"), blank=True)
    # The outbox (docs/notifications.md): the letter's own Message-ID, the same on every attempt, so
    # that a letter sent twice (the sender died between the server's acceptance and our record) is
    # recognizably the same letter; the claim of the sender that is sending it now; when the sweep
    # should queue it again (after a failure's back-off, or when its sender vanished).
    email_message_id = models.CharField(gettext_lazy("Message-ID письма"), max_length=250, blank=True)
    email_claimed_until = models.DateTimeField(gettext_lazy("отправляется до"), null=True, blank=True)
    email_due_at = models.DateTimeField(gettext_lazy("повторить после"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("уведомление")
        verbose_name_plural = gettext_lazy("уведомления")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["email_status"], name="notification_email_status"),
            models.Index(
                fields=["email_due_at"],
                condition=Q(email_status__in=["pending", "failed"]),
                name="notification_email_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email_status="sent") | Q(email_sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """A user's choices about notifications (the worker's cabinet, «Уведомления»)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("пользователь"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    # Off by default: an employer's routine edits would otherwise fill the worker's mailbox.
    email_on_file_change = models.BooleanField(
        gettext_lazy("письмо об изменении личного дела работодателем"), default=False
    )

    class Meta:
        verbose_name = gettext_lazy("настройки уведомлений")
        verbose_name_plural = gettext_lazy("настройки уведомлений")

    def __str__(self) -> str:
        return str(self.user)
