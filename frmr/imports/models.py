"""An upload of an employee file and the progress of its check and application (polled by the page)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class ImportStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", gettext_lazy("ожидает проверки")
    CHECKING = "checking", gettext_lazy("проверяется")
    CHECKED = "checked", gettext_lazy("проверен")
    APPLY_QUEUED = "apply_queued", gettext_lazy("ожидает загрузки")
    APPLYING = "applying", gettext_lazy("загружается")
    DONE = "done", gettext_lazy("загружен")
    FAILED = "failed", gettext_lazy("ошибка")


RUNNING = (ImportStatus.CHECK_QUEUED, ImportStatus.CHECKING, ImportStatus.APPLY_QUEUED, ImportStatus.APPLYING)


def import_upload_to(instance: ImportJob, filename: str) -> str:
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{instance.pk}{suffix}"


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("организация"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кто загрузил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(gettext_lazy("файл"), upload_to=import_upload_to, max_length=255)
    original_name = models.CharField(gettext_lazy("имя файла"), max_length=255)
    status = models.CharField(
        gettext_lazy("состояние"),
        max_length=16,
        choices=ImportStatus.choices,
        default=ImportStatus.CHECK_QUEUED,
    )
    total_rows = models.PositiveIntegerField(gettext_lazy("строк в файле"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(gettext_lazy("обработано строк"), default=0)
    check_result = models.JSONField(gettext_lazy("результат проверки"), default=dict, blank=True)
    apply_result = models.JSONField(gettext_lazy("результат загрузки"), default=dict, blank=True)
    failure = models.TextField(gettext_lazy("причина ошибки"), blank=True)
    # The `identity_key`s of the checked rows whose change of ФИО or birth date the operator confirmed
    # (frmr/imports/identity.py); the application skips every other such row.
    identity_confirmed = models.JSONField(
        gettext_lazy("подтверждённые смены ФИО и даты рождения"), default=list, blank=True
    )
    # The task now responsible for the job: set when it starts the check or the application. The same
    # task run again after its worker vanished resumes the job; another task leaves it alone.
    task_id = models.CharField(gettext_lazy("задача"), max_length=64, blank=True)
    interruptions = models.PositiveSmallIntegerField(gettext_lazy("обработка прерывалась"), default=0)
    created_at = models.DateTimeField(gettext_lazy("загружен"), auto_now_add=True)
    checked_at = models.DateTimeField(gettext_lazy("проверен"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("применён"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("загрузка сотрудников из файла")
        verbose_name_plural = gettext_lazy("загрузки сотрудников из файлов")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values),
                name="import_status_known",
                violation_error_message=gettext_lazy("Неизвестное состояние загрузки."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.is_running else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))
