"""Control and invisible characters (issue 13, points 9 and 14) and identity document formats."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from frmr.core.validators import normalize_document_part, validate_identity_document, validate_printable


@pytest.mark.parametrize("text", ["Иванова", "г. Чита, ул. Ленина, 1", "Нина\u00a0Петровна", "", "№ 5 «А»"])
def test_visible_text_passes(text: str) -> None:
    validate_printable(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ива\u202eнова", "U+202E"),  # right-to-left override: the name would read backwards
        ("Отделение\x00", "U+0000"),
        ("a\x07b", "U+0007"),
        ("zero\u200bwidth", "U+200B"),
        ("\ufeffBOM", "U+FEFF"),
        ("tab\there", "U+0009"),
        ("line\nbreak", "U+000A"),
    ],
)
def test_control_and_format_characters_are_refused_with_the_code(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_printable(text)
    assert code in caught.value.messages[0] and "недопустимый" in caught.value.messages[0]


def test_multiline_text_keeps_tabs_and_line_breaks_only() -> None:
    validate_printable("Строка 1\r\nСтрока 2\tконец", multiline=True)
    for bad in ("a\x0bb", "a\u202eb", "a\x1bb"):
        with pytest.raises(ValidationError):
            validate_printable(bad, multiline=True)


def test_passport_series_and_number_by_document_type() -> None:
    validate_identity_document(document_type_code="1", series="7609", number="456987")
    with pytest.raises(ValidationError) as caught:
        validate_identity_document(document_type_code="1", series="76 O9", number="45698")
    assert caught.value.message_dict == {
        "series": ["Серия этого документа — 4 цифры, например 7609."],
        "number": ["Номер этого документа — 6 цифр, например 456987."],
    }
    validate_identity_document(document_type_code="3", series="IV-СП", number="123456")
    validate_identity_document(document_type_code="4", series="75", number="1234567")
    # A document of no fixed format (a foreign passport) is not checked.
    validate_identity_document(document_type_code="9", series="", number="X-12/34")
    assert normalize_document_part("1", " 76 09 ") == "7609"
    assert normalize_document_part("9", " AB 12 ") == "AB 12"
