from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy

from frmr.nsi import oids
from frmr.registry.models._dict import dict_fk
from frmr.registry.models._version import version_field


class Organization(models.Model):
    """A medical organization (МО) as registered in ФРМО."""

    oid = models.CharField(gettext_lazy("OID в ФРМО"), max_length=64, unique=True)
    name_full = models.CharField(gettext_lazy("полное наименование"), max_length=500)
    name_short = models.CharField(gettext_lazy("краткое наименование"), max_length=250)
    ogrn = models.CharField(gettext_lazy("ОГРН"), max_length=13, unique=True)
    inn = models.CharField(gettext_lazy("ИНН"), max_length=10)
    kpp = models.CharField(gettext_lazy("КПП"), max_length=9, blank=True)
    region = dict_fk(oids.REGIONS, gettext_lazy("субъект РФ"))
    address = models.CharField(gettext_lazy("адрес"), max_length=500, blank=True)
    phone = models.CharField(gettext_lazy("телефон"), max_length=32, blank=True)
    email = models.EmailField(gettext_lazy("электронная почта"), blank=True)
    is_active = models.BooleanField(gettext_lazy("действует"), default=True)
    created_at = models.DateTimeField(gettext_lazy("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("изменена"), auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = gettext_lazy("медицинская организация")
        verbose_name_plural = gettext_lazy("медицинские организации")
        ordering = ["name_short"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kpp="") | Q(kpp__regex=r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$"),
                name="organization_kpp_format",
                violation_error_message=gettext_lazy(
                    "КПП состоит из 9 символов: 4 цифры, 2 цифры или буквы, 3 цифры."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name_short


class Department(models.Model):
    """A structural unit of an organization; its OID is `<organization OID>.0.<n>`."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=gettext_lazy("организация"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    oid = models.CharField(gettext_lazy("OID подразделения"), max_length=80, unique=True)
    name = models.CharField(gettext_lazy("наименование"), max_length=500)
    is_active = models.BooleanField(gettext_lazy("действует"), default=True)
    # The FHIR directory's `meta.lastUpdated` and `_lastUpdated` of its Location (docs/fhir.md); the
    # database default covers rows written before the column and bulk writers that list their columns.
    updated_at = models.DateTimeField(gettext_lazy("изменено"), auto_now=True, db_default=Now())
    version = version_field()

    class Meta:
        verbose_name = gettext_lazy("подразделение")
        verbose_name_plural = gettext_lazy("подразделения")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
