from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy


class DictionaryEntryQuerySet(models.QuerySet["DictionaryEntry"]):
    def of(self, oid: str) -> DictionaryEntryQuerySet:
        return self.filter(dictionary=oid)

    def valid_on(self, day: datetime.date) -> DictionaryEntryQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class EntrySource(models.TextChoices):
    PROJECT = "project", gettext_lazy("файл проекта")
    FRNSI = "frnsi", gettext_lazy("выгрузка ФРНСИ")


class DictionaryEntry(models.Model):
    """One entry of a reference dictionary (ФРНСИ/ФНСИ), identified by the dictionary OID and its code.

    Entries are never deleted: retired ones get `valid_to`, because old records keep referring to them.
    """

    dictionary = models.CharField(gettext_lazy("OID справочника"), max_length=64, db_index=True)
    code = models.CharField(gettext_lazy("код"), max_length=64)
    name = models.CharField(gettext_lazy("наименование"), max_length=500)
    parent = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("родитель"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(gettext_lazy("действует с"), null=True, blank=True)
    valid_to = models.DateField(gettext_lazy("действует по"), null=True, blank=True)
    attrs = models.JSONField(gettext_lazy("дополнительные атрибуты"), default=dict, blank=True)
    sort_order = models.IntegerField(gettext_lazy("порядок"), default=0)
    # Once an official export has been imported, the project's own file must no longer overwrite it.
    source = models.CharField(
        gettext_lazy("источник"), max_length=16, choices=EntrySource.choices, default=EntrySource.PROJECT
    )

    objects = DictionaryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("запись справочника")
        verbose_name_plural = gettext_lazy("записи справочников")
        ordering = ["dictionary", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dictionary", "code"], name="nsi_entry_unique_code"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="nsi_entry_valid_range",
                violation_error_message=gettext_lazy(
                    "Дата окончания действия не может быть раньше даты начала."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
