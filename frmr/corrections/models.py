"""A worker's request to one of their employers to correct the data of their personal file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.registry.catalogue import FileSection


class CorrectionStatus(models.TextChoices):
    SENT = "sent", gettext_lazy("Отправлен")
    ANSWERED = "answered", gettext_lazy("Получен ответ")
    CLOSED = "closed", gettext_lazy("Закрыт")


# Which status may follow which; every change goes through frmr.corrections.services.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CorrectionStatus.SENT: frozenset({CorrectionStatus.ANSWERED, CorrectionStatus.CLOSED}),
    CorrectionStatus.ANSWERED: frozenset({CorrectionStatus.CLOSED}),
    CorrectionStatus.CLOSED: frozenset(),
}

TEXT_MAX_LENGTH = 4000


class CorrectionRequest(models.Model):
    """«Сообщить об ошибке»: what is wrong in which section, what it should be, addressed to an employer."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=gettext_lazy("работник"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кто отправил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("организация-работодатель"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
    )
    section = models.CharField(
        gettext_lazy("раздел личного дела"), max_length=32, choices=FileSection.choices
    )
    text = models.TextField(gettext_lazy("что указано неверно"), max_length=TEXT_MAX_LENGTH)
    expected_value = models.TextField(gettext_lazy("как должно быть"), max_length=TEXT_MAX_LENGTH)
    # The optional PDF proof, stored by frmr.documents under a generated name; served only by
    # permission-checked views (the worker's cabinet, later the employer's).
    proof_storage_name = models.CharField(
        gettext_lazy("подтверждающий документ (файл)"), max_length=255, blank=True
    )
    proof_name = models.CharField(gettext_lazy("подтверждающий документ"), max_length=255, blank=True)
    proof_size = models.PositiveBigIntegerField(gettext_lazy("размер документа, байт"), null=True, blank=True)
    status = models.CharField(
        gettext_lazy("статус"), max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.SENT
    )
    answer = models.TextField(gettext_lazy("ответ работодателя"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("кто ответил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(gettext_lazy("дата ответа"), null=True, blank=True)
    closed_at = models.DateTimeField(gettext_lazy("дата закрытия"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("отправлен"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(gettext_lazy("изменён"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("запрос на исправление данных")
        verbose_name_plural = gettext_lazy("запросы на исправление данных")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="correction_org_inbox"),
            models.Index(fields=["person", "-created_at"], name="correction_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CorrectionStatus.values),
                name="correction_status_known",
                violation_error_message=gettext_lazy("Неизвестный статус запроса."),
            ),
            models.CheckConstraint(
                condition=Q(section__in=FileSection.values),
                name="correction_section_known",
                violation_error_message=gettext_lazy("Неизвестный раздел личного дела."),
            ),
            models.CheckConstraint(
                condition=Q(text__regex=r"\S") & Q(expected_value__regex=r"\S"),
                name="correction_texts_not_blank",
                violation_error_message=gettext_lazy("Опишите, что указано неверно и как должно быть."),
            ),
            # An answered request carries its answer, who gave it and when.
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.SENT)
                | (Q(answered_at__isnull=False) & Q(answer__regex=r"\S"))
                | Q(status=CorrectionStatus.CLOSED),
                name="correction_answered_has_answer",
                violation_error_message=gettext_lazy(
                    "У запроса со статусом «Получен ответ» должен быть текст ответа."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=CorrectionStatus.CLOSED) | Q(closed_at__isnull=False),
                name="correction_closed_has_time",
                violation_error_message=gettext_lazy("У закрытого запроса должна быть дата закрытия."),
            ),
        ]

    def __str__(self) -> str:
        return _("Запрос № %(number)s — %(section)s") % {
            "number": self.pk,
            "section": self.get_section_display(),
        }

    @property
    def has_proof(self) -> bool:
        return bool(self.proof_storage_name)

    @property
    def is_open(self) -> bool:
        return self.status != CorrectionStatus.CLOSED
