"""The registry services refuse control and invisible characters and malformed passports, for every
caller at once: the cabinet, the API and the admin (issue 13, points 9 and 14)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from frmr.corrections.services import correction_request_create
from frmr.nsi import oids
from frmr.registry.models import Department, IdentityDocument
from frmr.registry.services import department_create, person_update, section_create
from tests.factories import EmploymentCardFactory, PersonFactory, dict_entry


def test_department_name_with_control_characters_is_refused(operator_a, org_a) -> None:
    for name in ("Хирургия\x00", "Хирургия\u202e", "Хирургия\x1b[31m"):
        with pytest.raises(ValidationError) as caught:
            department_create(actor=operator_a, organization=org_a, name=name)
        assert "недопустимый управляющий символ" in caught.value.message_dict["name"][0]
    assert not Department.objects.filter(name__startswith="Хирургия").exists()


def test_personal_data_with_a_bidi_override_is_refused(operator_a, org_a) -> None:
    person = PersonFactory()
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    with pytest.raises(ValidationError) as caught:
        person_update(
            actor=operator_a, organization=org_a, person=person, data={"birth_place": "г. \u202eатиЧ"}
        )
    assert "U+202E" in caught.value.message_dict["birth_place"][0]
    with pytest.raises(ValidationError):
        person_update(
            actor=operator_a, organization=org_a, person=person, data={"last_name": "Ива\u202eнова"}
        )


def _passport(**changes):
    return {
        "document_type": dict_entry(
            oids.IDENTITY_DOCUMENT_TYPES, "1", "Паспорт гражданина Российской Федерации"
        ),
        "series": "7605",
        "number": "123456",
        "issue_date": datetime.date(2005, 4, 1),
        **changes,
    }


def test_passport_series_and_number_format_is_checked(operator_a, org_a) -> None:
    person = PersonFactory()
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    with pytest.raises(ValidationError) as caught:
        section_create(
            actor=operator_a,
            organization=org_a,
            person=person,
            model=IdentityDocument,
            data=_passport(series="76A5", number="12345"),
        )
    assert caught.value.message_dict == {
        "series": ["Серия этого документа — 4 цифры, например 7609."],
        "number": ["Номер этого документа — 6 цифр, например 456987."],
    }
    with pytest.raises(ValidationError) as caught:
        section_create(
            actor=operator_a,
            organization=org_a,
            person=person,
            model=IdentityDocument,
            data=_passport(issued_by="УВД\tЧиты"),
        )
    assert "issued_by" in caught.value.message_dict
    document = section_create(
        actor=operator_a,
        organization=org_a,
        person=person,
        model=IdentityDocument,
        data=_passport(series="76 05", number="123 456"),
    )
    assert (document.series, document.number) == ("7605", "123456")


def test_a_correction_text_keeps_line_breaks_but_not_control_characters(worker, org_a) -> None:
    EmploymentCardFactory(person=worker.person, organization=org_a, department=org_a.departments.get())
    with pytest.raises(ValidationError) as caught:
        correction_request_create(
            actor=worker,
            organization=org_a,
            section="personal",
            text="Ошибка\x07 в фамилии",
            expected_value="Иванова\nс буквой «а»",
        )
    assert list(caught.value.message_dict) == ["text"]
    assert "U+0007" in caught.value.message_dict["text"][0]
