from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


class OidCounter(models.Model):
    """The last register OID number handed out in a year; see `frmr.registry.services.oids`."""

    year = models.PositiveSmallIntegerField(gettext_lazy("год"), primary_key=True)
    last_number = models.PositiveIntegerField(gettext_lazy("последний выданный номер"), default=0)

    class Meta:
        verbose_name = gettext_lazy("счётчик OID работников")
        verbose_name_plural = gettext_lazy("счётчики OID работников")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1000) & Q(year__lte=9999) & Q(last_number__lte=9_999_999),
                name="oidcounter_ranges",
                violation_error_message=gettext_lazy("Год — четыре цифры, номер — не больше 9999999."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
