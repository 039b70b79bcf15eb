"""Identifiers of the reference dictionaries the register uses.

Official ФРНСИ OIDs where the research found them (docs/nsi.md lists sources). Dictionaries for which no
official OID is known get an OID in the project's own arc `1.2.643.5.1.13.13.99.9.<n>`, clearly not
official, so that an operator can later map them to an official export with `import_frnsi`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SPECIALTIES = "1.2.643.5.1.13.13.11.1066"  # Номенклатура специальностей
POSITIONS = "1.2.643.5.1.13.13.11.1102"  # ФРМР. Должности медицинского персонала
EDUCATION_LEVELS = "1.2.643.5.1.13.13.99.9.1"  # уровень образования (высшее, среднее профессиональное, …)
EDUCATION_TYPES = "1.2.643.5.1.13.13.99.2.193"  # Тип образования мед. работников
SPECIALTY_KINDS = (
    "1.2.643.5.1.13.13.99.9.2"  # вид специальности (врачебная, сестринская, фармацевтическая, …)
)
POSTGRADUATE_STAGES = "1.2.643.5.1.13.13.99.2.104"  # Программы послевузовского профессионального образования
ADDITIONAL_EDUCATION_KINDS = "1.2.643.5.1.13.13.99.9.3"  # повышение квалификации / профпереподготовка
IDENTITY_DOCUMENT_TYPES = "1.2.643.5.1.13.13.99.2.48"  # Документы, удостоверяющие личность
ACCREDITATION_KINDS = "1.2.643.5.1.13.13.99.2.295"  # Вид аккредитации
POSITION_TYPES = "1.2.643.5.1.13.2.1.1.209"  # тип занятости (1–4)
QUALIFICATION_CATEGORIES = "1.2.643.5.1.13.13.11.1494"  # Квалификационные категории
CITIZENSHIP = "1.2.643.5.1.13.13.99.2.315"  # Категории гражданства
ADDRESS_TYPES = "1.2.643.5.1.13.13.99.2.296"  # ФРМР. Тип адреса медицинского работника
DISMISSAL_REASONS = "1.2.643.5.1.13.13.99.2.196"  # Основание прекращения работы
REGIONS = "1.2.643.5.1.13.13.99.2.186"  # Субъекты РФ
ABSENCE_REASONS = "1.2.643.5.1.13.13.99.9.4"  # причины временного отсутствия (декрет, …)
AWARD_KINDS = "1.2.643.5.1.13.13.99.9.5"  # виды наград
# Перечень образовательных организаций РФ и РСФСР (research frmr_domain.md: `institutionId`). The shipped
# file is a subset of real institutions numbered by this project; the official codes come with
# `import_frnsi` of the full dictionary (docs/nsi.md).
INSTITUTIONS = "1.2.643.5.1.13.13.11.1124"

# Human names for the admin and the commands' output.
TITLES: dict[str, StrOrPromise] = {
    SPECIALTIES: gettext_lazy("Номенклатура специальностей"),
    POSITIONS: gettext_lazy("Должности медицинских и фармацевтических работников"),
    EDUCATION_LEVELS: gettext_lazy("Уровни образования"),
    EDUCATION_TYPES: gettext_lazy("Типы образования медицинских работников"),
    SPECIALTY_KINDS: gettext_lazy("Виды специальностей"),
    POSTGRADUATE_STAGES: gettext_lazy("Программы послевузовского профессионального образования"),
    ADDITIONAL_EDUCATION_KINDS: gettext_lazy("Виды дополнительного профессионального образования"),
    IDENTITY_DOCUMENT_TYPES: gettext_lazy("Документы, удостоверяющие личность"),
    ACCREDITATION_KINDS: gettext_lazy("Виды аккредитации"),
    POSITION_TYPES: gettext_lazy("Типы занятости"),
    QUALIFICATION_CATEGORIES: gettext_lazy("Квалификационные категории"),
    CITIZENSHIP: gettext_lazy("Категории гражданства"),
    ADDRESS_TYPES: gettext_lazy("Типы адреса медицинского работника"),
    DISMISSAL_REASONS: gettext_lazy("Основания прекращения работы"),
    REGIONS: gettext_lazy("Субъекты Российской Федерации"),
    ABSENCE_REASONS: gettext_lazy("Причины временного отсутствия"),
    AWARD_KINDS: gettext_lazy("Виды наград"),
    INSTITUTIONS: gettext_lazy("Образовательные организации"),
}

# The file under frmr/nsi/data/ that `load_dictionaries` reads for each dictionary (format: docs/nsi.md).
DATA_FILES: dict[str, str] = {
    SPECIALTIES: "specialties.csv",
    POSITIONS: "positions.csv",
    EDUCATION_LEVELS: "education_levels.csv",
    EDUCATION_TYPES: "education_types.csv",
    SPECIALTY_KINDS: "specialty_kinds.csv",
    POSTGRADUATE_STAGES: "postgraduate_stages.csv",
    ADDITIONAL_EDUCATION_KINDS: "additional_education_kinds.csv",
    IDENTITY_DOCUMENT_TYPES: "identity_document_types.csv",
    ACCREDITATION_KINDS: "accreditation_kinds.csv",
    POSITION_TYPES: "position_types.csv",
    QUALIFICATION_CATEGORIES: "qualification_categories.csv",
    CITIZENSHIP: "citizenship.csv",
    ADDRESS_TYPES: "address_types.csv",
    DISMISSAL_REASONS: "dismissal_reasons.csv",
    REGIONS: "regions.csv",
    ABSENCE_REASONS: "absence_reasons.csv",
    AWARD_KINDS: "award_kinds.csv",
    INSTITUTIONS: "institutions.csv",
}


def title(oid: str) -> str:
    """The human name of a dictionary, or its OID when the register does not know it."""
    return str(TITLES.get(oid, oid))
