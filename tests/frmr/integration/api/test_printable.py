"""The API refuses invisible characters and malformed passports with the registry's own messages
(issue 13, point 14): the same validator as the cabinet's."""

from __future__ import annotations

import pytest

from tests.frmr.integration.api.conftest import EXAMPLE_PERSON, assert_envelope_error, example_person

pytestmark = pytest.mark.django_db


def test_a_bidi_override_in_a_name_is_refused(api_a) -> None:
    response = api_a.post("person", example_person(lastName="Ива\u202eнова"))
    assert_envelope_error(response, 422, "U+202E")


def test_a_tab_in_a_single_line_field_is_refused_by_the_service(api_a) -> None:
    assert api_a.post("person", EXAMPLE_PERSON).status_code == 200
    response = api_a.put("person", example_person(birthPlace="г.\tЧита"), snils=EXAMPLE_PERSON["snils"])
    assert_envelope_error(response, 422, "U+0009")


def test_passport_series_and_number_are_checked_by_document_type(api_a) -> None:
    document = {**EXAMPLE_PERSON["documents"][0], "serial": "76", "number": "4569870"}
    response = api_a.post("person", example_person(documents=[document]))
    body = assert_envelope_error(response, 422, "Серия этого документа — 4 цифры")
    assert {item["message"] for item in body["errors"]} >= {
        "Номер этого документа — 6 цифр, например 456987."
    }
