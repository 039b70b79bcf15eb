"""Gap-free numbers per year and series, safe under concurrent use.

A number is taken from a counter row locked with SELECT … FOR UPDATE inside the caller's transaction:
concurrent registrations queue on that row, and a transaction that rolls back gives its number back
with it, so the series has neither duplicates nor holes.

Formats (docs/accreditation.md):
* registration number of an application: `2026-ПРА-000123` — year of registration, kind abbreviation
  (ПА первичная, ПСА первичная специализированная, ПРА периодическая), six-digit number within
  the year and kind;
* number of a register entry created by a positive decision: `2026-0000123` (year, seven digits),
  digits only so that it reads well in the QR code and the public link.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from frmr.accreditation.models import RegistrationCounter

KIND_ABBREVIATIONS = {"1": "ПА", "2": "ПСА", "3": "ПРА"}  # i18n: part of stored numbers
REGISTRY_SERIES = "registry"


def next_number(*, year: int, series: str) -> int:
    """Take the next number of a series; must run inside the transaction that uses the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    counter, _ = RegistrationCounter.objects.select_for_update().get_or_create(year=year, series=series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def registration_number(*, year: int, kind_code: str) -> str:
    abbreviation = KIND_ABBREVIATIONS.get(kind_code)
    if abbreviation is None:
        raise ValueError(f"unknown accreditation kind {kind_code!r}")
    return f"{year}-{abbreviation}-{next_number(year=year, series=kind_code):06d}"


def registry_number(*, year: int) -> str:
    return f"{year}-{next_number(year=year, series=REGISTRY_SERIES):07d}"


_TYPED_NUMBER = re.compile(r"[0-9][0-9 .\-]{5,38}[0-9]")
MESSAGE_BAD_REGISTRY_NUMBER = gettext_lazy(
    "Номер реестровой записи состоит из цифр, иногда через дефис или пробел, например 2026-0000123. "
    "Проверьте номер в выписке об аккредитации."
)


MESSAGE_NO_REGISTRY_NUMBER = gettext_lazy(
    "Введите номер реестровой записи — он указан в выписке об аккредитации."
)


def registry_number_typed(value: str) -> str:
    """A registry number as a person typed it (the public check form), trimmed; ValidationError with a
    Russian message when it cannot be a number of the register (letters, too short, too long)."""
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError(MESSAGE_NO_REGISTRY_NUMBER, code="required")
    if not _TYPED_NUMBER.fullmatch(text):
        raise ValidationError(MESSAGE_BAD_REGISTRY_NUMBER, code="registry_number_format")
    return text


_REGISTRY_NUMBER = re.compile(r"(\d{4})-(\d{7})")
_REGISTRY_NUMBER_LOOSE = re.compile(r"(\d{4})[ .\-]*(\d{7})")


def registry_number_canonical(value: str) -> str | None:
    """The register's own spelling (2026-0000123) of a number typed with a space, a dot or nothing
    between the year and the serial; None when it is not such a number."""
    match = _REGISTRY_NUMBER_LOOSE.fullmatch(value.strip())
    return f"{match[1]}-{match[2]}" if match else None


def registry_counters_catch_up(numbers: list[str]) -> None:
    """Move the register-entry counters past numbers created outside `registry_number` (the demo's
    records), so that a later decision never hands out a number already taken."""
    highest: dict[int, int] = {}
    for number in numbers:
        match = _REGISTRY_NUMBER.fullmatch(number)
        if match:
            year, serial = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), serial)
    with transaction.atomic():
        for year, serial in highest.items():
            counter, _ = RegistrationCounter.objects.select_for_update().get_or_create(
                year=year, series=REGISTRY_SERIES
            )
            if counter.last_number < serial:
                counter.last_number = serial
                counter.save(update_fields=["last_number"])
