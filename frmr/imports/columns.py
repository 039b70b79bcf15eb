"""The columns of an employee import file: one row is one person, with an optional passport, diploma
and employment card. docs/import.md lists them with their rules; the template is built from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from frmr.registry.catalogue import BY_ATTRIBUTE


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    example: str
    hint: str = ""


PERSON = "person"
PASSPORT = "passport"
EDUCATION = "education"
CARD = "card"

COLUMNS: tuple[Column, ...] = (
    Column("snils", "СНИЛС", "123-456-789 00", "11 цифр в любом виде, проверяется контрольное число"),
    Column("last_name", "Фамилия", "Образцова", "для нового работника обязательно"),
    Column("first_name", "Имя", "Анна", "для нового работника обязательно"),
    Column("patronymic", "Отчество", "Сергеевна"),
    Column("gender", "Пол", "Ж", "М или Ж; для нового работника обязательно"),
    Column("birth_date", "Дата рождения", "14.03.1985", "ДД.ММ.ГГГГ; для нового работника обязательно"),
    Column("birth_place", "Место рождения", "г. Чита"),
    Column("inn", "ИНН", "", "12 цифр"),
    Column("citizenship", "Гражданство", "", "код или наименование по справочнику"),
    Column("phone", "Телефон", "+7 912 345-67-89"),
    Column("email", "E-mail", "obraztsova@example.ru"),
    Column("passport_series", "Паспорт: серия", "7605"),
    Column("passport_number", "Паспорт: номер", "123456"),
    Column("passport_issue_date", "Паспорт: дата выдачи", "01.04.2005"),
    Column("passport_issued_by", "Паспорт: кем выдан", "УВД Центрального района г. Читы"),
    Column("passport_division_code", "Паспорт: код подразделения", "750-001"),
    Column("department", "Подразделение", "", "OID или наименование подразделения вашей организации"),
    Column("position", "Должность", "Врач-терапевт", "код или наименование по справочнику должностей"),
    Column("position_type", "Тип занятости", "Основное место работы", "код 1–4 или наименование"),
    Column("rate", "Ставка", "1", "0,25, 0,5, 0,75 или 1"),
    Column("begin_date", "Дата приёма", "01.09.2020", "ДД.ММ.ГГГГ"),
    Column("service_number", "Табельный номер", "1024"),
    Column("end_date", "Дата увольнения", "", "ДД.ММ.ГГГГ, только для уволенных"),
    Column("end_reason", "Причина увольнения", "", "код или наименование; обязательна с датой увольнения"),
    Column("edu_type", "Образование: вид", "Высшее образование", "код или наименование"),
    Column("edu_institution", "Образование: организация", "Читинская государственная медицинская академия"),
    Column("edu_end_year", "Образование: год окончания", "2008"),
    Column("edu_doc_series", "Образование: серия диплома", ""),
    Column("edu_doc_number", "Образование: номер диплома", "ВСГ 0123456"),
    Column("edu_doc_date", "Образование: дата диплома", "30.06.2008", "ДД.ММ.ГГГГ"),
    Column("edu_specialty", "Образование: специальность", "Лечебное дело", "как в дипломе"),
)

# The example's СНИЛС is reserved for the template: its control number is wrong, so no person can have
# it (every way into the register checks the control number), and a row carrying it is refused as
# the example (frmr.imports.rows.example_row_error).
EXAMPLE_SNILS = "12345678900"
# Templates downloaded before that carried a real-looking, valid СНИЛС (the demo doctor's) under the
# example's name; such a row is recognised by these values together and refused the same way.
LEGACY_EXAMPLE = {
    "snils": "11223344595",
    "last_name": "кузнецова",
    "first_name": "анна",
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
    return " ".join(str(text or "").replace("\ufeff", "").replace("ё", "е").replace("Ё", "Е").split()).lower()


HEADER_KEYS = {normalize_header(column.header): column.key for column in COLUMNS}
