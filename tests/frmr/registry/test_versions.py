"""Versions of registry rows (issue 13, point 6): a save based on an old version is refused, listing
what changed; every kind of write adds one to the version."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from frmr.audit.models import AuditEntry
from frmr.audit.services import model_snapshot
from frmr.nsi import oids
from frmr.registry.models import Person
from frmr.registry.services import (
    StaleVersionError,
    absence_update,
    card_dismiss,
    card_transfer,
    card_update,
    department_update,
    person_update,
    section_update,
)
from frmr.registry.services.contacts import person_contacts_update
from frmr.registry.services.versions import read_state_token, state_token
from tests.factories import (
    AbsenceFactory,
    EmploymentCardFactory,
    PersonFactory,
    ProfessionalEducationFactory,
    dict_entry,
)

FORM_FIELDS = ("phone", "birth_place", "last_name")


def _loaded_form(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """What a form loaded now sends back with its save: the version and the values it showed."""
    expected_version, loaded = read_state_token(state_token(obj, fields))
    return {"expected_version": expected_version, "loaded": loaded}


@pytest.fixture
def card(org_a):
    return EmploymentCardFactory(
        person=PersonFactory(phone="+79120000001"),
        organization=org_a,
        department=org_a.departments.get(),
    )


def test_each_update_adds_one_and_no_change_adds_nothing(operator_a, org_a, card) -> None:
    person = card.person
    assert person.version == 1
    saved = person_update(actor=operator_a, organization=org_a, person=person, data={"phone": "+79120000002"})
    assert saved.version == 2
    again = person_update(actor=operator_a, organization=org_a, person=person, data={"phone": "+79120000002"})
    assert again.version == 2
    person.refresh_from_db()
    assert person.version == 2
    # The version is bookkeeping, not data: the history does not list it.
    assert all("version" not in entry.changes for entry in AuditEntry.objects.all())


def test_second_editor_with_the_old_version_is_refused_and_told_what_changed(operator_a, org_a, card) -> None:
    person = card.person
    loaded = _loaded_form(person, FORM_FIELDS)
    assert loaded["expected_version"] == 1
    # The first operator saves a new phone.
    person_update(
        actor=operator_a,
        organization=org_a,
        person=person,
        data={"phone": "+79120000002"},
        **loaded,
    )
    # The second operator loaded the same version and saves a new birth place, with the old phone.
    entries = AuditEntry.objects.count()
    with pytest.raises(StaleVersionError) as caught:
        person_update(
            actor=operator_a,
            organization=org_a,
            person=person,
            data={"phone": "+79120000001", "birth_place": "г. Омск"},
            **loaded,
        )
    error = caught.value
    assert (error.expected_version, error.current_version) == (1, 2)
    assert [(c.field, c.label, c.now, c.loaded) for c in error.changes] == [
        ("phone", "Телефон", "+79120000002", "+79120000001")
    ]
    message = error.messages[0]
    assert "изменил другой пользователь" in message
    assert "«Телефон»: сейчас в регистре «+79120000002», у вас было загружено «+79120000001»" in message
    person.refresh_from_db()
    assert (person.phone, person.birth_place, person.version) == ("+79120000002", "г. Чита", 2)
    assert AuditEntry.objects.count() == entries


def test_without_a_version_the_last_writer_wins_as_before(operator_a, org_a, card) -> None:
    person = card.person
    person_update(actor=operator_a, organization=org_a, person=person, data={"phone": "+79120000002"})
    saved = person_update(
        actor=operator_a, organization=org_a, person=person, data={"birth_place": "г. Омск"}
    )
    assert (saved.phone, saved.birth_place, saved.version) == ("+79120000002", "г. Омск", 3)


def test_a_forged_or_missing_state_token_carries_no_version() -> None:
    assert read_state_token("") == (None, None)
    assert read_state_token("1:abc:def") == (None, None)


def test_dictionary_and_date_fields_are_shown_as_a_person_reads_them(operator_a, org_a, card) -> None:
    fields = ("position", "begin_date")
    loaded = _loaded_form(card, fields)
    other = dict_entry(oids.POSITIONS, "t-surgeon", "врач-хирург")
    card_update(
        actor=operator_a,
        organization=org_a,
        card=card,
        data={"position": other, "begin_date": datetime.date(2020, 10, 1)},
    )
    with pytest.raises(StaleVersionError) as caught:
        card_update(
            actor=operator_a,
            organization=org_a,
            card=card,
            data={"contract_number": "ТД-9"},
            **loaded,
        )
    shown = {c.label: (c.now, c.loaded) for c in caught.value.changes}
    assert shown["Должность"] == ("t-surgeon — врач-хирург", "t-therapist — врач-терапевт")
    assert shown["Дата приёма"] == ("01.10.2020", "01.09.2020")


def test_sections_absences_and_departments_are_versioned(operator_a, org_a, card) -> None:
    diploma = ProfessionalEducationFactory(person=card.person, organization=org_a)
    absence = AbsenceFactory(card=card, begin_date=datetime.date(2021, 2, 1), end_date=None)
    department = org_a.departments.get()
    cases = [
        (section_update, {"section": diploma}, {"institution_name": "ЧГМА"}),
        (absence_update, {"absence": absence}, {"end_date": datetime.date(2021, 6, 1)}),
        (department_update, {"department": department}, {"name": "Хирургическое отделение"}),
    ]
    for service, target, data in cases:
        service(actor=operator_a, organization=org_a, data=data, expected_version=1, **target)
        (obj,) = target.values()
        obj.refresh_from_db()
        assert obj.version == 2
        with pytest.raises(StaleVersionError):
            service(actor=operator_a, organization=org_a, data=data, expected_version=1, **target)


def test_dismissal_and_transfer_add_one_so_a_card_form_loaded_before_is_refused(
    operator_a, org_a, card
) -> None:
    loaded = _loaded_form(card, ("contract_number",))
    card_dismiss(
        actor=operator_a,
        organization=org_a,
        card=card,
        end_date=datetime.date(2024, 1, 31),
        end_reason=dict_entry(oids.DISMISSAL_REASONS, "2", "по собственному желанию"),
    )
    card.refresh_from_db()
    assert card.version == 2
    with pytest.raises(StaleVersionError):
        card_update(
            actor=operator_a,
            organization=org_a,
            card=card,
            data={"contract_number": "ТД-9"},
            **loaded,
        )

    other = EmploymentCardFactory(person=card.person, organization=org_a, department=card.department)
    card_transfer(
        actor=operator_a,
        organization=org_a,
        card=other,
        data={
            "transfer_date": datetime.date(2024, 3, 1),
            "end_reason": dict_entry(oids.DISMISSAL_REASONS, "2", "по собственному желанию"),
        },
    )
    other.refresh_from_db()
    assert other.version == 2


def test_the_workers_own_contacts_are_versioned(worker, operator_a, org_a) -> None:
    person = worker.person
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    loaded = _loaded_form(person, ("phone", "email"))
    person_update(actor=operator_a, organization=org_a, person=person, data={"email": "hr@example.ru"})
    with pytest.raises(StaleVersionError) as caught:
        person_contacts_update(
            actor=worker,
            person=person,
            phone="+79120000005",
            email="",
            **loaded,
        )
    assert [c.field for c in caught.value.changes] == ["email"]
    saved = person_contacts_update(actor=worker, person=person, phone="+79120000005", email="hr@example.ru")
    assert saved.version == 3
    assert Person.objects.get(pk=person.pk).version == 3
    assert "version" not in model_snapshot(saved)
