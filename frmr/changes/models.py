"""The change log: one row per change of the register and per organization it concerns (docs/sync.md)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy


class ChangeKind(models.TextChoices):
    CREATED = "created", gettext_lazy("создание")
    UPDATED = "updated", gettext_lazy("изменение")
    DELETED = "deleted", gettext_lazy("удаление")


class CurrentTransactionId(models.Func):
    """The writing transaction's id on PostgreSQL (`pg_current_xact_id()`, 64-bit, never wraps);
    0 on SQLite, whose writers are serialized and so commit in the order of their positions."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any) -> Any:
        return "0", ()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any
    ) -> Any:
        return "(pg_current_xact_id()::text::bigint)", ()


class ChangeEvent(models.Model):
    """A change of one record of the register, as one organization's feed (or the whole log) sees it.

    Written only by `frmr.audit.services.audit_record` (and its bulk twin for the import), in the
    transaction of the change. Each change is one row with `organization` empty (the whole register's
    log) plus one row per organization that sees the record at the time of the change; each row has its
    own position. The feed is read in `(xid, position)` order below the oldest running transaction
    (frmr/changes/selectors.py explains why).
    """

    position = models.BigAutoField(gettext_lazy("позиция"), primary_key=True)
    xid = models.BigIntegerField(gettext_lazy("транзакция"), db_default=CurrentTransactionId())
    at = models.DateTimeField(gettext_lazy("когда"))
    organization_id = models.BigIntegerField(
        gettext_lazy("организация, которой касается"), null=True, blank=True
    )
    entity_type = models.CharField(gettext_lazy("тип записи"), max_length=64)
    entity_id = models.CharField(gettext_lazy("идентификатор записи"), max_length=64)
    person_id = models.BigIntegerField(gettext_lazy("личное дело"), null=True, blank=True)
    person_oid = models.CharField(gettext_lazy("OID работника"), max_length=64, blank=True)
    kind = models.CharField(gettext_lazy("что произошло"), max_length=8, choices=ChangeKind.choices)

    class Meta:
        verbose_name = gettext_lazy("событие журнала изменений")
        verbose_name_plural = gettext_lazy("журнал изменений")
        indexes = [
            models.Index(fields=["organization_id", "xid", "position"], name="changes_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.position} {self.kind} {self.entity_type} {self.entity_id}"
