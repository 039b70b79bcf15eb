"""How the employer cabinet shows the sections of the personal file (described in frmr.registry.catalogue)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from frmr.registry.catalogue import EMPLOYER_TABLES, Section

# The employer cabinet's tables, in the cabinet's order; each section is described in the catalogue.
SECTIONS: tuple[Section, ...] = EMPLOYER_TABLES
BY_SLUG: dict[str, Section] = {section.slug: section for section in SECTIONS if section.slug}


def display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def column_label(model: type[models.Model], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    return label[:1].upper() + label[1:]


def cells(record: models.Model, columns: tuple[str, ...]) -> list[str]:
    return [display(getattr(record, name)) for name in columns]
