from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who logs in: through ЕСИА (identified by the ЕСИА OID) or, for administrators, a password."""

    esia_oid = models.CharField("OID в ЕСИА", max_length=32, unique=True, null=True, blank=True)
    snils = models.CharField("СНИЛС", max_length=11, blank=True, db_index=True)
    middle_name = models.CharField("отчество", max_length=150, blank=True)

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
