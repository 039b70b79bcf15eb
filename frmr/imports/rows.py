"""Checking one row of an import file, in Python, with the rules the forms and services apply.

The shared validators of frmr.core (СНИЛС checksum, ФИО letters, ИНН, phone, e-mail, dates not in the
future), the registry's shared rules of frmr.registry.rules (hire not more than a year ahead nor before
birth, dismissal after hire and with a reason, dictionary entries in force on the record's date) and
the services' other checks (allowed rates, departments of this organization and open) are applied here
without a database query per row: the dictionaries and departments are loaded once per file
(`Lookups`). Every problem is reported with the row, the column's header, the value and a Russian
message.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from frmr.core.validators import (
    mark_control_characters,
    normalize_fio_part,
    normalize_phone,
    normalize_snils,
    validate_email,
    validate_fio_part,
    validate_identity_document,
    validate_inn_person,
    validate_not_future,
    validate_printable,
    validate_snils,
)
from frmr.imports.columns import (
    BY_KEY,
    CARD,
    EDUCATION,
    EXAMPLE_SNILS,
    GROUP_COLUMNS,
    GROUP_REQUIRED,
    LEGACY_EXAMPLE,
    PASSPORT,
)
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m
from frmr.registry import rules
from frmr.registry.models.employment import ALLOWED_RATES
from frmr.registry.services.employment import RATE_MESSAGE

EXAMPLE_MESSAGE = gettext_lazy("Это строка-образец из шаблона: удалите её и впишите своих сотрудников.")
# The dictionaries as a row's error names them.
TITLE_CITIZENSHIP = gettext_lazy("Гражданство")
TITLE_EDUCATION_TYPES = gettext_lazy("Тип образования")
TITLE_POSITIONS = gettext_lazy("Должности")
TITLE_POSITION_TYPES = gettext_lazy("Тип занятости")
TITLE_DISMISSAL_REASONS = gettext_lazy("Основания прекращения работы")
PASSPORT_TYPE_CODE = "1"  # Паспорт гражданина Российской Федерации
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_GENDERS = {
    "м": m.Gender.MALE,  # i18n: compared with input
    "муж": m.Gender.MALE,  # i18n: compared with input
    "мужской": m.Gender.MALE,  # i18n: compared with input
    "1": m.Gender.MALE,
    "ж": m.Gender.FEMALE,  # i18n: compared with input
    "жен": m.Gender.FEMALE,  # i18n: compared with input
    "женский": m.Gender.FEMALE,  # i18n: compared with input
    "2": m.Gender.FEMALE,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": shown(self.value), "message": self.message}


SHOWN_CHARS = 200


def shown(value: str) -> str:
    """A raw value as the report shows it: control characters visible as «�», at most 200 characters."""
    text = mark_control_characters(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _key(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).lower()  # i18n: letter folding


class Dictionary:
    """One dictionary in memory: an entry is found by its code or by its name, case aside."""

    def __init__(self, oid: str) -> None:
        self.oid = oid
        self.by_code: dict[str, DictionaryEntry] = {}
        self.by_name: dict[str, DictionaryEntry] = {}
        for entry in DictionaryEntry.objects.filter(dictionary=oid).order_by("-valid_to", "pk"):
            self.by_code[entry.code.lower()] = entry
            # Among entries with one name, a current one wins over a retired one.
            if entry.valid_to is None or _key(entry.name) not in self.by_name:
                self.by_name[_key(entry.name)] = entry

    def find(self, text: str) -> DictionaryEntry | None:
        return self.by_code.get(text.strip().lower()) or self.by_name.get(_key(text))


class Lookups:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self, organization: m.Organization) -> None:
        self.organization = organization
        self.today = timezone.localdate()
        self.positions = Dictionary(oids.POSITIONS)
        self.position_types = Dictionary(oids.POSITION_TYPES)
        self.dismissal_reasons = Dictionary(oids.DISMISSAL_REASONS)
        self.education_types = Dictionary(oids.EDUCATION_TYPES)
        self.citizenship = Dictionary(oids.CITIZENSHIP)
        self.passport_type = DictionaryEntry.objects.filter(
            dictionary=oids.IDENTITY_DOCUMENT_TYPES, code=PASSPORT_TYPE_CODE
        ).first()
        self.departments_by_oid: dict[str, m.Department] = {}
        self.departments_by_name: dict[str, m.Department] = {}
        for department in m.Department.objects.filter(organization=organization):
            department.organization = organization  # the audit snapshot names it without a query
            self.departments_by_oid[department.oid] = department
            self.departments_by_name[_key(department.name)] = department


@dataclass
class ParsedRow:
    """A row that passed every check; only the groups present in the file are set."""

    row: int
    snils: str
    person: dict[str, Any] = field(default_factory=dict)  # only the personal fields given
    passport: dict[str, Any] | None = None
    education: dict[str, Any] | None = None
    card: dict[str, Any] | None = None

    @property
    def full_name(self) -> str:
        parts = (self.person.get(k, "") for k in ("last_name", "first_name", "patronymic"))
        return " ".join(part for part in parts if part)


class RowChecker:
    """Checks one raw row; collects errors keyed by column."""

    def __init__(self, number: int, raw: dict[str, str], lookups: Lookups) -> None:
        self.number = number
        self.raw = {key: text.strip() for key, text in raw.items()}
        self.lookups = lookups
        self.errors: list[RowError] = []

    def value(self, key: str) -> str:
        return self.raw.get(key, "")

    def error(self, key: str, message: StrOrPromise) -> None:
        # The report is stored and pickled between processes: its messages are plain strings.
        self.errors.append(RowError(self.number, BY_KEY[key].header, self.value(key), str(message)))

    def failed(self, key: str) -> bool:
        header = BY_KEY[key].header
        return any(error.column == header for error in self.errors)

    def run(self, key: str, check: Callable[[str], Any]) -> Any:
        """`check(text)` → the clean value; its ValidationError becomes the column's error."""
        try:
            return check(self.value(key))
        except ValidationError as error:
            for message in error.messages:
                self.error(key, message)
            return None

    # ------------------------------------------------------------------------------------ value kinds

    def text(self, key: str, model: type[models.Model], field_name: str) -> str:
        text = " ".join(self.value(key).split())
        # Line breaks in a cell are joined into spaces above; what is left must be visible text.
        self.run(key, lambda _: validate_printable(text))
        limit = _max_length(model, field_name)
        if limit and len(text) > limit:
            self.error(
                key,
                _("Не больше %(limit)s символов (сейчас %(length)s).")
                % {"limit": limit, "length": len(text)},
            )
        return text

    def date(self, key: str, *, not_future: bool = False) -> datetime.date | None:
        text = self.value(key)
        if not text:
            return None
        day = _parse_date(text)
        if day is None:
            self.error(key, _("Укажите дату в виде ДД.ММ.ГГГГ, например 01.09.2020."))
            return None
        if not_future and day > self.lookups.today:
            self.run(key, lambda _: validate_not_future(day))
        return day

    def entry(
        self, key: str, dictionary: Dictionary, title: StrOrPromise, on: datetime.date | None
    ) -> DictionaryEntry | None:
        text = self.value(key)
        if not text:
            return None
        entry = dictionary.find(text)
        if entry is None:
            self.error(
                key,
                _("В справочнике «%(title)s» нет записи с таким кодом или наименованием.") % {"title": title},
            )
            return None
        problem = rules.entry_in_force_problem(entry, on or self.lookups.today)
        if problem:
            self.error(key, problem)
            return None
        return entry

    def required(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            if not self.value(key) and not self.failed(key):
                self.error(key, _("Заполните поле «%(column)s».") % {"column": BY_KEY[key].header})

    def given(self, group: str) -> bool:
        return any(self.value(key) for key in GROUP_COLUMNS[group])


@functools.cache
def _max_length(model: type[models.Model], field_name: str) -> int | None:
    # Cached: looking the field up again for each of 130,000 values showed in the profile.
    return model._meta.get_field(field_name).max_length  # type: ignore[union-attr]


def _parse_date(text: str) -> datetime.date | None:
    # The usual ДД.ММ.ГГГГ without strptime, which is slow enough to matter for 50,000 rows.
    match = _DOTTED_DATE.fullmatch(text)
    try:
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        for pattern in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    except ValueError:
        return None
    return None


def snils_key(text: str) -> str:
    """The СНИЛС as stored (11 digits), or "" if `text` is not a valid one: rows are matched by it."""
    try:
        return normalize_snils(text)
    except ValidationError:
        return ""


def _snils(text: str) -> str:
    validate_snils(text)
    return normalize_snils(text)


def _fio(text: str) -> str:
    text = normalize_fio_part(text)
    validate_fio_part(text)
    return text


def _inn(text: str) -> str:
    validate_inn_person(text)
    return text


def _gender(text: str) -> int:
    gender = _GENDERS.get(text.strip().lower().rstrip("."))
    if gender is None:
        raise ValidationError(_("Укажите пол: М или Ж."))
    return int(gender)


def _rate(text: str) -> Decimal:
    try:
        rate = Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError(RATE_MESSAGE) from None
    if rate not in ALLOWED_RATES:
        raise ValidationError(RATE_MESSAGE)
    return rate


def _year(text: str) -> int:
    if not re.fullmatch(r"(19|20)[0-9]{2}", text):
        raise ValidationError(_("Укажите год четырьмя цифрами, например 2008."))
    return int(text)


def is_example_row(raw: dict[str, str]) -> bool:
    """Whether the row is the template's example, the current one or that of an older template."""
    digits = "".join(ch for ch in raw.get("snils", "") if ch.isdigit())
    if digits == EXAMPLE_SNILS:
        return True
    return digits == LEGACY_EXAMPLE["snils"] and all(
        _key(raw.get(key, "")) == value for key, value in LEGACY_EXAMPLE.items() if key != "snils"
    )


def check_row(
    number: int, raw: dict[str, str], lookups: Lookups, *, existing: m.Person | None
) -> ParsedRow | list[RowError]:
    """The row's clean values, or every problem found in it.

    `existing`: the person the СНИЛС already belongs to; their empty personal fields mean «keep».
    """
    c = RowChecker(number, raw, lookups)
    # Before any other check: a NUL byte must never reach a query. The register's one rule on control
    # characters (frmr.core.validators), with the line breaks a quoted CSV cell may hold.
    for key in c.raw:
        c.run(key, lambda value: validate_printable(value, multiline=True))
    if c.errors:
        return c.errors
    if not c.value("snils"):
        c.required(("snils",))
        return c.errors
    if is_example_row(c.raw):
        # Left in by mistake, the example must never reach a person: refused whatever else it holds.
        c.error("snils", EXAMPLE_MESSAGE)
        return c.errors
    snils = c.run("snils", _snils)
    person: dict[str, Any] = {}
    if existing is None:
        c.required(("last_name", "first_name", "gender", "birth_date"))
    for key in ("last_name", "first_name", "patronymic"):
        if c.value(key):
            value = c.run(key, _fio)
            if value is not None:
                person[key] = c.text(key, m.Person, key)
    if c.value("gender"):
        person["gender"] = c.run("gender", _gender)
    birth_date = c.date("birth_date", not_future=True)
    if birth_date is not None:
        person["birth_date"] = birth_date
    if c.value("birth_place"):
        person["birth_place"] = c.text("birth_place", m.Person, "birth_place")
    if c.value("inn"):
        person["inn"] = c.run("inn", _inn)
    if c.value("citizenship"):
        person["citizenship"] = c.entry("citizenship", lookups.citizenship, TITLE_CITIZENSHIP, None)
    if c.value("phone"):
        person["phone"] = c.run("phone", normalize_phone)
    if c.value("email"):
        email = c.value("email")
        c.run("email", validate_email)
        person["email"] = email

    parsed = ParsedRow(row=number, snils=snils or "", person=person)
    if c.given(PASSPORT):
        c.required(GROUP_REQUIRED[PASSPORT])
        issue_date = c.date("passport_issue_date", not_future=True)
        if lookups.passport_type is None:
            c.error("passport_number", _("В справочнике документов нет паспорта гражданина РФ (код 1)."))
        parsed.passport = {
            "document_type": lookups.passport_type,
            "series": c.text("passport_series", m.IdentityDocument, "series").replace(" ", ""),
            "number": c.text("passport_number", m.IdentityDocument, "number").replace(" ", ""),
            "issue_date": issue_date,
            "issued_by": c.text("passport_issued_by", m.IdentityDocument, "issued_by"),
            "division_code": c.text("passport_division_code", m.IdentityDocument, "division_code"),
        }
        if lookups.passport_type is not None:
            # The same format check as the cabinet's and the API's (sections._check_section).
            try:
                validate_identity_document(
                    document_type_code=lookups.passport_type.code,
                    series=parsed.passport["series"],
                    number=parsed.passport["number"],
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        c.error(f"passport_{field}", message)
    if c.given(EDUCATION):
        c.required(GROUP_REQUIRED[EDUCATION])
        doc_date = c.date("edu_doc_date", not_future=True)
        parsed.education = {
            "education_type": c.entry("edu_type", lookups.education_types, TITLE_EDUCATION_TYPES, doc_date),
            "institution_name": c.text("edu_institution", m.ProfessionalEducation, "institution_name"),
            "end_year": c.run("edu_end_year", _year) if c.value("edu_end_year") else None,
            "doc_series": c.text("edu_doc_series", m.ProfessionalEducation, "doc_series"),
            "doc_number": c.text("edu_doc_number", m.ProfessionalEducation, "doc_number"),
            "doc_date": doc_date,
            "specialty_name": c.text("edu_specialty", m.ProfessionalEducation, "specialty_name"),
        }
    if c.given(CARD):
        _check_card(c, parsed, birth_date or (existing.birth_date if existing else None))
    return c.errors if c.errors else parsed


def _check_card(c: RowChecker, parsed: ParsedRow, birth_date: datetime.date | None) -> None:
    lookups = c.lookups
    c.required(GROUP_REQUIRED[CARD])
    begin = c.date("begin_date")
    end = c.date("end_date")
    department = None
    if c.value("department"):
        text = c.value("department")
        department = lookups.departments_by_oid.get(text) or lookups.departments_by_name.get(_key(text))
        if department is None:
            c.error(
                "department",
                _("В организации «%(organization)s» нет подразделения с таким OID или наименованием.")
                % {"organization": lookups.organization},
            )
        elif not department.is_active:
            c.error(
                "department",
                _("Подразделение «%(department)s» закрыто: выберите действующее.")
                % {"department": department},
            )
    # The services' rules (frmr.registry.rules), against the values loaded once per file.
    if begin is not None:
        problem = rules.hire_date_problem(begin, today=lookups.today, birth_date=birth_date)
        if problem:
            c.error("begin_date", problem)
    order = rules.dismissal_date_problem(begin=begin, end=end)
    if order:
        c.error("end_date", order)
    pair = rules.dismissal_pair_problems(end=end, reason_given=bool(c.value("end_reason")))
    if "end_reason" in pair:
        c.error("end_reason", pair["end_reason"])
    # An unreadable date is already reported: not also as a missing one.
    if "end_date" in pair and not c.failed("end_date"):
        c.error("end_date", pair["end_date"])
    parsed.card = {
        "department": department,
        "position": c.entry("position", lookups.positions, TITLE_POSITIONS, begin),
        "position_type": c.entry("position_type", lookups.position_types, TITLE_POSITION_TYPES, begin),
        "rate": c.run("rate", _rate) if c.value("rate") else None,
        "begin_date": begin,
        "service_number": c.text("service_number", m.EmploymentCard, "service_number"),
        "end_date": end,
        "end_reason": c.entry("end_reason", lookups.dismissal_reasons, TITLE_DISMISSAL_REASONS, end),
    }
