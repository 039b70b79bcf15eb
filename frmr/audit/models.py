from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", gettext_lazy("создание")
    UPDATE = "update", gettext_lazy("изменение")
    DELETE = "delete", gettext_lazy("удаление")
    VIEW = "view", gettext_lazy("просмотр")
    TRANSITION = "transition", gettext_lazy("смена статуса")
    LOGIN = "login", gettext_lazy("вход")


class AuditEntry(models.Model):
    """One recorded action: who, on behalf of which organization, when, on which object, old → new.

    Written only through `frmr.audit.services.audit_record` (one) and `audit_record_bulk` (the import);
    never updated or deleted by the application.
    """

    at = models.DateTimeField(gettext_lazy("когда"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("пользователь"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(gettext_lazy("кто (подпись)"), max_length=250, blank=True)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("от имени организации"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(gettext_lazy("действие"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(gettext_lazy("тип объекта"), max_length=64)
    object_id = models.CharField(gettext_lazy("идентификатор объекта"), max_length=64)
    object_repr = models.CharField(gettext_lazy("объект"), max_length=500, blank=True)
    # No database constraint: the entries outlive the person. With a constraint, deleting a person
    # would have to rewrite every entry of their history (SET NULL) — the log is append-only, and the
    # deletion's own entry must still say whose file it was. Also spares bulk imports one foreign-key
    # check per entry.
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=gettext_lazy("личное дело"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    changes = models.JSONField(gettext_lazy("изменения (было → стало)"), default=dict, blank=True)
    reason = models.TextField(gettext_lazy("причина"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("запись журнала аудита")
        verbose_name_plural = gettext_lazy("журнал аудита")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="audit_person_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.object_repr}"
