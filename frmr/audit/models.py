from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "создание"
    UPDATE = "update", "изменение"
    DELETE = "delete", "удаление"
    VIEW = "view", "просмотр"
    TRANSITION = "transition", "смена статуса"
    LOGIN = "login", "вход"


class AuditEntry(models.Model):
    """One recorded action: who, on behalf of which organization, when, on which object, old → new.

    Written only through `frmr.audit.services.audit_record` (one) and `audit_record_bulk` (the import);
    never updated or deleted by the application.
    """

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("кто (подпись)", max_length=250, blank=True)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name="от имени организации",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("действие", max_length=16, choices=AuditAction.choices)
    object_type = models.CharField("тип объекта", max_length=64)
    object_id = models.CharField("идентификатор объекта", max_length=64)
    object_repr = models.CharField("объект", max_length=500, blank=True)
    # No database constraint: the entries outlive the person. With a constraint, deleting a person
    # would have to rewrite every entry of their history (SET NULL) — the log is append-only, and the
    # deletion's own entry must still say whose file it was. Also spares bulk imports one foreign-key
    # check per entry.
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="личное дело",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    changes = models.JSONField("изменения (было → стало)", default=dict, blank=True)
    reason = models.TextField("причина", blank=True)

    class Meta:
        verbose_name = "запись журнала аудита"
        verbose_name_plural = "журнал аудита"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="audit_person_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.object_repr}"
