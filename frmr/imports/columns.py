"""The columns of an employee import file: one row is one person, with an optional passport, diploma
and employment card. docs/import.md lists them with their rules; the template is built from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from frmr.registry.catalogue import BY_ATTRIBUTE


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    example: str
    hint: StrOrPromise = ""


PERSON = "person"
PASSPORT = "passport"
EDUCATION = "education"
CARD = "card"

# A header names a column of the file: the uploaded file's headers are matched against it, so it is
# the file's format, not interface text. The examples are the template's sample row: a fictional
# person's values, the dictionaries' own names among them. Only the hint speaks to the operator.
COLUMNS: tuple[Column, ...] = (
    Column(
        "snils",
        "СНИЛС",  # i18n: file header
        "123-456-789 00",
        gettext_lazy("11 цифр в любом виде, проверяется контрольное число"),
    ),
    Column(
        "last_name",
        "Фамилия",  # i18n: file header
        "Образцова",  # i18n: sample data
        gettext_lazy("для нового работника обязательно"),
    ),
    Column(
        "first_name",
        "Имя",  # i18n: file header
        "Анна",  # i18n: sample data
        gettext_lazy("для нового работника обязательно"),
    ),
    Column(
        "patronymic",
        "Отчество",  # i18n: file header
        "Сергеевна",  # i18n: sample data
    ),
    Column(
        "gender",
        "Пол",  # i18n: file header
        "Ж",  # i18n: sample data
        gettext_lazy("М или Ж; для нового работника обязательно"),
    ),
    Column(
        "birth_date",
        "Дата рождения",  # i18n: file header
        "14.03.1985",
        gettext_lazy("ДД.ММ.ГГГГ; для нового работника обязательно"),
    ),
    Column(
        "birth_place",
        "Место рождения",  # i18n: file header
        "г. Чита",  # i18n: sample data
    ),
    Column(
        "inn",
        "ИНН",  # i18n: file header
        "",
        gettext_lazy("12 цифр"),
    ),
    Column(
        "citizenship",
        "Гражданство",  # i18n: file header
        "",
        gettext_lazy("код или наименование по справочнику"),
    ),
    Column(
        "phone",
        "Телефон",  # i18n: file header
        "+7 912 345-67-89",
    ),
    Column(
        "email",
        "E-mail",  # i18n: file header
        "obraztsova@example.ru",
    ),
    Column(
        "passport_series",
        "Паспорт: серия",  # i18n: file header
        "7605",
    ),
    Column(
        "passport_number",
        "Паспорт: номер",  # i18n: file header
        "123456",
    ),
    Column(
        "passport_issue_date",
        "Паспорт: дата выдачи",  # i18n: file header
        "01.04.2005",
    ),
    Column(
        "passport_issued_by",
        "Паспорт: кем выдан",  # i18n: file header
        "УВД Центрального района г. Читы",  # i18n: sample data
    ),
    Column(
        "passport_division_code",
        "Паспорт: код подразделения",  # i18n: file header
        "750-001",
    ),
    Column(
        "department",
        "Подразделение",  # i18n: file header
        "",
        gettext_lazy("OID или наименование подразделения вашей организации"),
    ),
    Column(
        "position",
        "Должность",  # i18n: file header
        "Врач-терапевт",  # i18n: sample data
        gettext_lazy("код или наименование по справочнику должностей"),
    ),
    Column(
        "position_type",
        "Тип занятости",  # i18n: file header
        "Основное место работы",  # i18n: sample data
        gettext_lazy("код 1–4 или наименование"),
    ),
    Column(
        "rate",
        "Ставка",  # i18n: file header
        "1",
        gettext_lazy("0,25, 0,5, 0,75 или 1"),
    ),
    Column(
        "begin_date",
        "Дата приёма",  # i18n: file header
        "01.09.2020",
        gettext_lazy("ДД.ММ.ГГГГ"),
    ),
    Column(
        "service_number",
        "Табельный номер",  # i18n: file header
        "1024",
    ),
    Column(
        "end_date",
        "Дата увольнения",  # i18n: file header
        "",
        gettext_lazy("ДД.ММ.ГГГГ, только для уволенных"),
    ),
    Column(
        "end_reason",
        "Причина увольнения",  # i18n: file header
        "",
        gettext_lazy("код или наименование; обязательна с датой увольнения"),
    ),
    Column(
        "edu_type",
        "Образование: вид",  # i18n: file header
        "Высшее образование",  # i18n: sample data
        gettext_lazy("код или наименование"),
    ),
    Column(
        "edu_institution",
        "Образование: организация",  # i18n: file header
        "Читинская государственная медицинская академия",  # i18n: sample data
    ),
    Column(
        "edu_end_year",
        "Образование: год окончания",  # i18n: file header
        "2008",
    ),
    Column(
        "edu_doc_series",
        "Образование: серия диплома",  # i18n: file header
        "",
    ),
    Column(
        "edu_doc_number",
        "Образование: номер диплома",  # i18n: file header
        "ВСГ 0123456",  # i18n: sample data
    ),
    Column(
        "edu_doc_date",
        "Образование: дата диплома",  # i18n: file header
        "30.06.2008",
        gettext_lazy("ДД.ММ.ГГГГ"),
    ),
    Column(
        "edu_specialty",
        "Образование: специальность",  # i18n: file header
        "Лечебное дело",  # i18n: sample data
        gettext_lazy("как в дипломе"),
    ),
)

# The example's СНИЛС is reserved for the template: its control number is wrong, so no person can have
# it (every way into the register checks the control number), and a row carrying it is refused as
# the example (frmr.imports.rows.example_row_error).
EXAMPLE_SNILS = "12345678900"
# Templates downloaded before that carried a real-looking, valid СНИЛС (the demo doctor's) under the
# example's name; such a row is recognised by these values together and refused the same way.
LEGACY_EXAMPLE = {
    "snils": "11223344595",
    "last_name": "кузнецова",  # i18n: compared with input
    "first_name": "анна",  # i18n: compared with input
    "birth_date": "14.03.1985",
}

BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]

# Groups: the columns of one section (frmr.registry.catalogue). A group is taken when any of its
# columns is filled; then its `required` columns must be.
GROUP_COLUMNS: dict[str, tuple[str, ...]] = {
    PASSPORT: BY_ATTRIBUTE["documents"].import_columns,
    CARD: BY_ATTRIBUTE["cards"].import_columns,
    EDUCATION: BY_ATTRIBUTE["professional_education"].import_columns,
}
GROUP_REQUIRED: dict[str, tuple[str, ...]] = {
    PERSON: ("last_name", "first_name", "gender", "birth_date"),
    PASSPORT: ("passport_number", "passport_issue_date"),
    CARD: ("department", "position", "position_type", "rate", "begin_date"),
    EDUCATION: (
        "edu_type",
        "edu_institution",
        "edu_end_year",
        "edu_doc_number",
        "edu_doc_date",
        "edu_specialty",
    ),
}


def normalize_header(text: str) -> str:
    text = str(text or "").replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е")  # i18n: letter folding
    return " ".join(text.split()).lower()


HEADER_KEYS = {normalize_header(column.header): column.key for column in COLUMNS}
