"""The sections of the personal file as the employer cabinet shows and edits them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from frmr.corrections.models import FileSection
from frmr.registry import models as m


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    model: type[m.PersonSection]
    attribute: str  # the PersonFile list
    columns: tuple[str, ...]
    editable: bool = True

    @property
    def add_title(self) -> str:
        return f"{self.title}: новая запись"


SECTIONS: tuple[Section, ...] = (
    Section(
        FileSection.DOCUMENTS.value,
        FileSection.DOCUMENTS.label,
        m.IdentityDocument,
        "documents",
        ("document_type", "series", "number", "issue_date", "issued_by"),
    ),
    Section(
        FileSection.ADDRESSES.value,
        FileSection.ADDRESSES.label,
        m.Address,
        "addresses",
        ("address_type", "region", "area_name", "street_name", "house", "flat"),
    ),
    Section(
        FileSection.EDUCATION.value,
        FileSection.EDUCATION.label,
        m.ProfessionalEducation,
        "professional_education",
        ("education_type", "institution_name", "end_year", "doc_number", "specialty_name"),
    ),
    Section(
        FileSection.POSTGRADUATE.value,
        FileSection.POSTGRADUATE.label,
        m.PostgraduateEducation,
        "postgraduate_education",
        ("stage", "institution_name", "specialty", "begin_date", "end_date"),
    ),
    Section(
        FileSection.ADDITIONAL.value,
        FileSection.ADDITIONAL.label,
        m.AdditionalEducation,
        "additional_education",
        ("kind", "institution_name", "theme", "hours", "doc_date"),
    ),
    Section(
        FileSection.CERTIFICATES.value,
        FileSection.CERTIFICATES.label,
        m.SpecialistCertificate,
        "certificates",
        ("specialty", "number", "exam_date", "end_date"),
    ),
    # Accreditation records come from the commission's decisions: the employer only reads them.
    Section(
        FileSection.ACCREDITATIONS.value,
        FileSection.ACCREDITATIONS.label,
        m.AccreditationRecord,
        "accreditations",
        ("kind", "specialty", "pass_date", "end_date", "registry_number"),
        editable=False,
    ),
    Section(
        FileSection.CATEGORIES.value,
        FileSection.CATEGORIES.label,
        m.QualificationCategory,
        "qualification_categories",
        ("category", "specialty", "begin_date", "end_date"),
    ),
    Section(
        FileSection.AWARDS.value,
        FileSection.AWARDS.label,
        m.Award,
        "awards",
        ("kind", "number", "award_date"),
    ),
)
BY_SLUG = {section.slug: section for section in SECTIONS}


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
