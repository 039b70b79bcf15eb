"""Employment cards («карточка» of the real register) and periods of absence."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from frmr.nsi import oids
from frmr.registry.models._dict import dict_fk, opt_bool, opt_int, opt_json, opt_text
from frmr.registry.models._version import version_field
from frmr.registry.rules import DISMISSAL_BEFORE_HIRE, DISMISSAL_NEEDS_BOTH

ALLOWED_RATES = [Decimal("0.25"), Decimal("0.50"), Decimal("0.75"), Decimal("1.00")]


class EmploymentCard(models.Model):
    """One appointment of a person in an organization; a transfer is a new card."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=gettext_lazy("работник"),
        on_delete=models.CASCADE,
        related_name="cards",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("организация"),
        on_delete=models.PROTECT,
        related_name="cards",
    )
    department = models.ForeignKey(
        "registry.Department",
        verbose_name=gettext_lazy("подразделение"),
        on_delete=models.PROTECT,
        related_name="cards",
    )
    position = dict_fk(oids.POSITIONS, gettext_lazy("должность"))
    position_type = dict_fk(oids.POSITION_TYPES, gettext_lazy("тип занятости"))
    rate = models.DecimalField(gettext_lazy("ставка"), max_digits=3, decimal_places=2)
    begin_date = models.DateField(gettext_lazy("дата приёма"))
    end_date = models.DateField(gettext_lazy("дата увольнения"), null=True, blank=True)
    end_reason = dict_fk(oids.DISMISSAL_REASONS, gettext_lazy("основание увольнения"), required=False)
    contract_number = models.CharField(gettext_lazy("номер трудового договора"), max_length=40, blank=True)
    contract_date = models.DateField(gettext_lazy("дата трудового договора"), null=True, blank=True)
    service_number = models.CharField(gettext_lazy("табельный номер"), max_length=40, blank=True)
    # Attributes of the real register's card (research §2.9) kept as the employer's system sent them.
    hospital_subdivision_oid = opt_text(gettext_lazy("отделение (OID)"), 100)
    hospital_subdivision_name = opt_text(gettext_lazy("отделение"), 250)
    room_oid = opt_text(gettext_lazy("кабинет (OID)"), 100)
    room_name = opt_text(gettext_lazy("кабинет"), 250)
    fed_position_code = opt_int(
        gettext_lazy("должность по федеральному справочнику 1.2.643.5.1.13.13.11.1002 (код)")
    )
    fed_position_name = opt_text(gettext_lazy("должность по федеральному справочнику"), 250)
    seniority = opt_int(gettext_lazy("стаж"))
    services = opt_json(gettext_lazy("оказываемые услуги (services)"))
    end_type_code = opt_int(gettext_lazy("вид окончания работы (код)"))
    targeted = opt_bool(gettext_lazy("целевик"))
    personal_file_number = opt_text(gettext_lazy("номер личного дела"), 40)
    details = models.JSONField(gettext_lazy("прочие сведения (как переданы по API)"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("изменено"), auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = gettext_lazy("карточка места работы")
        verbose_name_plural = gettext_lazy("карточки мест работы")
        ordering = ["-begin_date"]
        indexes = [
            models.Index(fields=["organization", "person"], name="card_org_person"),
            # The employee list's position choices: a skip scan (frmr/registry/search.py).
            models.Index(fields=["organization", "position"], name="card_org_position"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__in=ALLOWED_RATES),
                name="card_rate_quarter_steps",
                violation_error_message=gettext_lazy("Ставка должна быть 0,25, 0,5, 0,75 или 1."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("begin_date")),
                name="card_dismissal_after_hire",
                violation_error_message=DISMISSAL_BEFORE_HIRE,
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason__isnull=True))
                | (Q(end_date__isnull=False) & Q(end_reason__isnull=False)),
                name="card_dismissal_has_reason",
                violation_error_message=DISMISSAL_NEEDS_BOTH,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Absence(models.Model):
    """A period of temporary absence on a card (maternity leave and others)."""

    card = models.ForeignKey(
        EmploymentCard,
        verbose_name=gettext_lazy("карточка"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    reason = dict_fk(oids.ABSENCE_REASONS, gettext_lazy("причина"))
    begin_date = models.DateField(gettext_lazy("дата начала"))
    end_date = models.DateField(gettext_lazy("дата окончания"), null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = gettext_lazy("период отсутствия")
        verbose_name_plural = gettext_lazy("периоды отсутствия")
        ordering = ["-begin_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("begin_date")),
                name="absence_dates_order",
                violation_error_message=gettext_lazy("Дата окончания не может быть раньше даты начала."),
            ),
        ]
