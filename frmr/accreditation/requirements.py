"""Which documents an application of each accreditation kind asks for.

The table lives in code, not in the database: it changes only with the law (709н), and the upload form,
the submit check and the back office must all read the same version of it. Kind codes are those of the
dictionary ACCREDITATION_KINDS: "1" первичная, "2" первичная специализированная, "3" периодическая.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from frmr.nsi import codes

KIND_PRIMARY = codes.ACCREDITATION_PRIMARY
KIND_PRIMARY_SPECIALISED = codes.ACCREDITATION_PRIMARY_SPECIALIZED
KIND_PERIODIC = codes.ACCREDITATION_PERIODIC

# The most rows a repeatable type may have: a guard against a form that adds rows forever.
MAX_ROWS = 30

# Periodic accreditation needs this many hours of continuing education over the last five years.
REQUIRED_HOURS = 144
HOURS_PERIOD_YEARS = 5


class DocType(models.TextChoices):
    PASSPORT = "passport", gettext_lazy("Паспорт (документ, удостоверяющий личность)")
    SNILS = "snils", gettext_lazy("СНИЛС")
    NAME_CHANGE = (
        "name_change",
        gettext_lazy("Свидетельство о браке, о расторжении брака или о перемене имени"),
    )
    COURSE_CERTIFICATE = "course_certificate", gettext_lazy("Удостоверение о повышении квалификации")
    DIPLOMA = "diploma", gettext_lazy("Диплом о высшем или среднем профессиональном образовании")
    POSTGRADUATE = (
        "postgraduate",
        gettext_lazy("Документ об окончании ординатуры, профессиональной переподготовки или иного обучения"),
    )
    PREVIOUS_ACCREDITATION = (
        "previous_accreditation",
        gettext_lazy("Свидетельство об аккредитации или сертификат специалиста"),
    )
    EMPLOYMENT_RECORD = (
        "employment_record",
        gettext_lazy("Трудовая книжка или сведения о трудовой деятельности"),
    )
    RETRAINING_DIPLOMA = "retraining_diploma", gettext_lazy("Диплом о профессиональной переподготовке")
    PORTFOLIO = "portfolio", gettext_lazy("Портфолио: отчёт о профессиональной деятельности")
    FOREIGN_RECOGNITION = (
        "foreign_recognition",
        gettext_lazy("Свидетельство о признании иностранного образования"),
    )


@dataclass(frozen=True)
class Requirement:
    doc_type: DocType
    required: bool
    repeatable: bool = False
    hint: StrOrPromise = ""

    @property
    def label(self) -> str:
        return str(self.doc_type.label)

    @property
    def max_rows(self) -> int:
        return MAX_ROWS if self.repeatable else 1


_IDENTITY = [
    Requirement(
        DocType.PASSPORT, required=True, hint=gettext_lazy("Страницы с фотографией и с регистрацией.")
    ),
    Requirement(DocType.SNILS, required=True),
    Requirement(
        DocType.NAME_CHANGE,
        required=False,
        hint=gettext_lazy(
            "Если фамилия, имя или отчество менялись после получения документов об образовании."
        ),
    ),
]

REQUIREMENTS: dict[str, list[Requirement]] = {
    KIND_PRIMARY: [
        *_IDENTITY,
        Requirement(
            DocType.DIPLOMA,
            required=True,
            hint=gettext_lazy(
                "С приложением; либо выписка из протокола государственной экзаменационной комиссии."
            ),
        ),
        Requirement(
            DocType.FOREIGN_RECOGNITION,
            required=False,
            hint=gettext_lazy("Если образование получено за рубежом."),
        ),
    ],
    KIND_PRIMARY_SPECIALISED: [
        *_IDENTITY,
        Requirement(DocType.DIPLOMA, required=True, hint=gettext_lazy("С приложением.")),
        Requirement(
            DocType.POSTGRADUATE,
            required=True,
            repeatable=True,
            hint=gettext_lazy(
                "Диплом об окончании ординатуры, профессиональной переподготовки или иного обучения."
            ),
        ),
        Requirement(DocType.PREVIOUS_ACCREDITATION, required=False),
        Requirement(
            DocType.EMPLOYMENT_RECORD,
            required=False,
            hint=gettext_lazy("Нужна, если допуск основан на стаже работы."),
        ),
        Requirement(
            DocType.FOREIGN_RECOGNITION,
            required=False,
            hint=gettext_lazy("Если образование получено за рубежом."),
        ),
    ],
    KIND_PERIODIC: [
        *_IDENTITY,
        Requirement(
            DocType.COURSE_CERTIFICATE,
            required=True,
            repeatable=True,
            hint=gettext_lazy("Все удостоверения за последние пять лет; каждое — отдельной строкой."),
        ),
        Requirement(DocType.DIPLOMA, required=True, hint=gettext_lazy("С приложением.")),
        Requirement(DocType.PREVIOUS_ACCREDITATION, required=True),
        Requirement(DocType.EMPLOYMENT_RECORD, required=True),
        Requirement(DocType.RETRAINING_DIPLOMA, required=False, repeatable=True),
        Requirement(
            DocType.PORTFOLIO,
            required=True,
            hint=gettext_lazy(
                "Отчёт за последние пять лет, согласованный с руководителем, если вы работаете."
            ),
        ),
    ],
}


def requirements_for(kind_code: str | None) -> list[Requirement]:
    """The document rows of a kind, in the order the form shows them; empty for an unknown kind."""
    if kind_code is None:
        return []
    return REQUIREMENTS.get(kind_code, [])


def requirement_for(kind_code: str | None, doc_type: str) -> Requirement | None:
    return next((item for item in requirements_for(kind_code) if item.doc_type == doc_type), None)


def row_key(doc_type: str, row: int) -> str:
    """The name of one document row, as used in `rows_to_fix` and in form anchors: `passport:0`."""
    return f"{doc_type}:{row}"


def parse_row_key(key: str) -> tuple[str, int | None]:
    """`passport:0` → ("passport", 0); a bare type (`course_certificate`) means every row of it."""
    doc_type, _, row = key.partition(":")
    if not row:
        return doc_type, None
    return doc_type, int(row) if row.isdigit() else -1
