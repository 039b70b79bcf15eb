"""Validators of Russian identifiers and personal data, with messages a person can act on.

Every validator raises `django.core.exceptions.ValidationError` with a Russian message and a `code`, so
forms, services and the integration API show the same text. Normalizers return the canonical stored form.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import TYPE_CHECKING

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_SEPARATORS = re.compile(r"[\s\-]+")
_DIGITS = re.compile(r"^[0-9]+$")

# ---------------------------------------------------------------------------------------------- СНИЛС

# Numbers up to 001-001-998 were issued before the control number existed, so they carry none to check.
SNILS_CHECK_THRESHOLD = 1_001_998


def snils_checksum(first9: str) -> str:
    """The two control digits of a СНИЛС from its first nine digits."""
    if len(first9) != 9 or not _DIGITS.match(first9):
        raise ValueError("snils_checksum needs exactly 9 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(9, 0, -1), strict=True))
    # The published rule (sum < 100 → sum; 100 and 101 → 00; otherwise sum mod 101, 100 → 00) is the
    # same as this single expression for every possible sum.
    return f"{total % 101 % 100:02d}"


def normalize_snils(value: str) -> str:
    """11 digits without separators; raises ValidationError if there are not 11 digits."""
    digits = _SEPARATORS.sub("", str(value or ""))
    if len(digits) != 11 or not _DIGITS.match(digits):
        raise ValidationError(
            _("СНИЛС должен состоять из 11 цифр (например, 112-233-445 95)."), code="snils_length"
        )
    return digits


def validate_snils(value: str) -> None:
    digits = normalize_snils(value)
    if int(digits[:9]) <= SNILS_CHECK_THRESHOLD:
        return
    if snils_checksum(digits[:9]) != digits[9:]:
        raise ValidationError(
            _("Контрольное число СНИЛС не совпадает: проверьте, нет ли опечатки в номере."),
            code="snils_checksum",
        )


def format_snils(value: str) -> str:
    """`NNN-NNN-NNN NN`, the form printed on the card and used by ЕСИА."""
    d = normalize_snils(value)
    return f"{d[0:3]}-{d[3:6]}-{d[6:9]} {d[9:11]}"


# ------------------------------------------------------------------------------------------- ИНН, ОГРН

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _weighted_check(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def inn_legal_checksum(first9: str) -> str:
    return _weighted_check(first9, _INN10_WEIGHTS)


def inn_person_checksum(first10: str) -> str:
    """The last two digits of a 12-digit ИНН from its first ten."""
    eleventh = _weighted_check(first10, _INN12_WEIGHTS_11)
    return eleventh + _weighted_check(first10 + eleventh, _INN12_WEIGHTS_12)


def _digits_only(value: str, length: int, message: str, code: str) -> str:
    digits = str(value or "").strip()
    if len(digits) != length or not _DIGITS.match(digits):
        raise ValidationError(message, code=code)
    return digits


def validate_inn_legal(value: str) -> None:
    digits = _digits_only(value, 10, _("ИНН организации состоит из 10 цифр."), "inn_length")
    if inn_legal_checksum(digits[:9]) != digits[9]:
        raise ValidationError(
            _("Контрольная цифра ИНН организации не совпадает: проверьте номер."), code="inn_checksum"
        )


def validate_inn_person(value: str) -> None:
    digits = _digits_only(value, 12, _("ИНН физического лица состоит из 12 цифр."), "inn_length")
    if inn_person_checksum(digits[:10]) != digits[10:]:
        raise ValidationError(
            _("Контрольные цифры ИНН физического лица не совпадают: проверьте номер."), code="inn_checksum"
        )


def validate_inn(value: str) -> None:
    """Either kind of ИНН: 10 digits (organization) or 12 digits (person)."""
    digits = str(value or "").strip()
    if len(digits) == 10:
        validate_inn_legal(digits)
    elif len(digits) == 12:
        validate_inn_person(digits)
    else:
        raise ValidationError(
            _("ИНН состоит из 10 цифр (организация) или 12 цифр (физическое лицо)."), code="inn_length"
        )


def ogrn_checksum(first12: str) -> str:
    return str(int(first12) % 11 % 10)


def ogrnip_checksum(first14: str) -> str:
    return str(int(first14) % 13 % 10)


def validate_ogrn(value: str) -> None:
    digits = _digits_only(value, 13, _("ОГРН состоит из 13 цифр."), "ogrn_length")
    if ogrn_checksum(digits[:12]) != digits[12]:
        raise ValidationError(
            _("Контрольная цифра ОГРН не совпадает: проверьте номер."), code="ogrn_checksum"
        )


def validate_ogrnip(value: str) -> None:
    digits = _digits_only(value, 15, _("ОГРНИП состоит из 15 цифр."), "ogrnip_length")
    if ogrnip_checksum(digits[:14]) != digits[14]:
        raise ValidationError(
            _("Контрольная цифра ОГРНИП не совпадает: проверьте номер."), code="ogrnip_checksum"
        )


_KPP = re.compile(r"^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")


def validate_kpp(value: str) -> None:
    if not _KPP.match(str(value or "")):
        raise ValidationError(
            _("КПП состоит из 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры."),
            code="kpp_format",
        )


# ---------------------------------------------------------------------------------- Invisible characters

MULTILINE_CONTROLS = frozenset("\t\n\r")
# The C0 controls and DEL but for the tab and line breaks a multi-line text keeps: what must never be
# stored or queried (PostgreSQL refuses NUL in text and jsonb), for code that screens or cleans text
# rather than refusing it with `validate_printable`.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def mark_control_characters(text: str) -> str:
    """`text` with each of CONTROL_CHARACTERS replaced by «\ufffd», visible and storable."""
    return CONTROL_CHARACTERS.sub("\ufffd", text)


def validate_printable(value: str, *, multiline: bool = False) -> None:
    """No control characters (Unicode Cc) and no invisible format characters (Cf: bidi overrides such
    as U+202E, zero-width spaces, soft hyphens): they make a name look other than it is, break files
    and documents built from the text, and cannot be typed on purpose. A multi-line text may hold tabs
    and line breaks."""
    text = str(value or "")
    if text.isprintable():  # the usual case, decided in C: no character of the "other" categories
        return
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category == "Cf" or (category == "Cc" and not (multiline and char in MULTILINE_CONTROLS)):
            kind = _("перевод строки или табуляция") if char in MULTILINE_CONTROLS else _("невидимый символ")
            raise ValidationError(
                _(
                    "Текст содержит недопустимый управляющий символ (%(kind)s, код U+%(code)s, "
                    "%(position)s-й символ). Удалите его: скопированный из другой программы текст лучше "
                    "ввести заново."
                )
                % {"kind": kind, "code": f"{ord(char):04X}", "position": position},
                code="control_character",
            )


# ------------------------------------------------------------------------------ Identity documents

# Series and number of identity documents whose format is fixed, by code in the dictionary
# 1.2.643.5.1.13.13.99.2.48: (series pattern, series example, number pattern, number example).
_DOCUMENT_FORMATS: dict[str, tuple[str, StrOrPromise, str, StrOrPromise]] = {
    "1": (
        r"[0-9]{4}",
        gettext_lazy("4 цифры, например 7609"),
        r"[0-9]{6}",
        gettext_lazy("6 цифр, например 456987"),
    ),
    "3": (
        r"[IVXLC]{1,6}-[А-ЯЁ]{2}",  # i18n: regular expression
        gettext_lazy("римское число, дефис и две русские буквы, например IV-СП"),
        r"[0-9]{6}",
        gettext_lazy("6 цифр"),
    ),
    "4": (r"[0-9]{2}", gettext_lazy("2 цифры"), r"[0-9]{7}", gettext_lazy("7 цифр")),
    "6": (
        r"[А-ЯЁ]{2}",  # i18n: regular expression
        gettext_lazy("2 русские буквы, например АК"),
        r"[0-9]{7}",
        gettext_lazy("7 цифр"),
    ),
}


def normalize_document_part(document_type_code: str | None, value: str) -> str:
    """Series or number without the spaces people type inside them, for documents of a fixed format."""
    text = str(value or "").strip()
    if document_type_code in _DOCUMENT_FORMATS:
        text = re.sub(r"\s+", "", text).upper()
    return text


def validate_identity_document(*, document_type_code: str | None, series: str, number: str) -> None:
    """The series and number fit the document type's format (паспорт РФ: 4 + 6 digits, …); raises a
    ValidationError keyed by `series` / `number`. Types of no fixed format are not checked."""
    rule = _DOCUMENT_FORMATS.get(str(document_type_code or ""))
    if rule is None:
        return
    series_pattern, series_text, number_pattern, number_text = rule
    errors: dict[str, str] = {}
    if not re.fullmatch(series_pattern, series or ""):
        errors["series"] = _("Серия этого документа — %(format)s.") % {"format": series_text}
    if not re.fullmatch(number_pattern, number or ""):
        errors["number"] = _("Номер этого документа — %(format)s.") % {"format": number_text}
    if errors:
        raise ValidationError(errors, code="document_format")


# ------------------------------------------------------------------------------------------------ ФИО

_FIO_ALLOWED = re.compile(r"^[А-Яа-яЁё\- ']+$")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
FIO_ALLOWED_TEXT = gettext_lazy("Допустимы русские буквы, дефис, пробел и апостроф.")


def validate_fio_part(value: str) -> None:
    """One part of a name (фамилия, имя or отчество) as written in a Russian passport."""
    text = str(value or "")
    if _FIO_ALLOWED.match(text) and re.search(r"[А-Яа-яЁё]", text):
        return
    if _LATIN.search(text):
        problem = _("Латинские буквы не допускаются.")
    elif _DIGIT.search(text):
        problem = _("Цифры не допускаются.")
    elif not re.search(r"[А-Яа-яЁё]", text):
        problem = _("Нужна хотя бы одна буква.")
    else:
        bad = "".join(sorted({ch for ch in text if not _FIO_ALLOWED.match(ch)}))
        problem = _("Недопустимые символы: %(characters)s.") % {"characters": bad}
    raise ValidationError(f"{problem} {FIO_ALLOWED_TEXT}", code="fio_chars")


def normalize_fio_part(value: str) -> str:
    """Trimmed, with runs of spaces collapsed; the letters' case is kept as typed."""
    return re.sub(r"\s+", " ", str(value or "")).strip()


# --------------------------------------------------------------------------------------------- Dates


def validate_not_future(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("Дата не может быть в будущем."), code="date_in_future")


# ----------------------------------------------------------------------------------- Phone and e-mail

# Phone numbers are read by libphonenumber (the `phonenumbers` package): it knows the national prefix 8,
# the spellings with brackets, dots and dashes, and which Russian ranges are mobile. The register keeps a
# number in E.164 (`+79123456789`) and accepts only numbers of the +7 zone (Russia and Kazakhstan share
# it), as the real register does; frmr.core.text.format_phone shows them.
PHONE_REGION = "RU"
_PHONE_FORMAT_MESSAGE = gettext_lazy("Введите номер телефона из 10 цифр после +7, например +7 912 345-67-89.")


def parse_phone(value: str) -> phonenumbers.PhoneNumber | None:
    """The number of the +7 zone written in `value` in any usual way; None if it is not one."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if (
        number.country_code != 7
        or number.extension
        or len(str(number.national_number)) != 10
        or not phonenumbers.is_possible_number(number)
    ):
        return None
    return number


# The import reads tens of thousands of phones per file (bench/import); libphonenumber takes ~50 µs a
# number. A number written as +7 and ten digits, spaces, dashes and brackets aside, is one it returns
# unchanged, so that spelling skips it (tests/frmr/core/test_validators.py holds both to one answer).
_PHONE_SEPARATORS = re.compile(r"[ ()-]+")
_PLAIN_PLUS_7 = re.compile(r"\+7[1-9][0-9]{9}")


def normalize_phone(value: str) -> str:
    """`+7XXXXXXXXXX` from `8 (912) 345-67-89`, `+7 912 345 67 89`, `7912…` and the like."""
    compact = _PHONE_SEPARATORS.sub("", str(value or "").strip())
    if _PLAIN_PLUS_7.fullmatch(compact):
        return compact
    number = parse_phone(value)
    if number is None:
        raise ValidationError(str(_PHONE_FORMAT_MESSAGE), code="phone_format")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_ru_mobile_phone(value: str) -> None:
    number = parse_phone(value)
    if number is None:
        raise ValidationError(str(_PHONE_FORMAT_MESSAGE), code="phone_format")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(
            _("Нужен номер мобильного телефона: после +7 он начинается с 9."), code="phone_not_mobile"
        )


validate_email = EmailValidator(
    message=gettext_lazy("Введите адрес электронной почты в виде name@example.ru."), code="email_format"
)
