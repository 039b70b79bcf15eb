from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from frmr.nsi import oids
from frmr.registry.catalogue import RECORD_SECTIONS
from frmr.registry.models import Absence, Department, EmploymentCard, Person
from frmr.registry.selectors import (
    absence_get_for_organization,
    card_get_for_organization,
    cards_of_organization,
    department_get_for_organization,
    person_file,
    person_get_by_snils,
    person_get_for_organization,
    persons_visible_to_organization,
    section_record_get,
)
from frmr.registry.services import person_create
from tests.factories import (
    SECTION_FACTORIES,
    AbsenceFactory,
    EmploymentCardFactory,
    PersonFactory,
    dict_entry,
)


def test_organization_sees_current_and_past_employees_only(org_a, org_b, worker, other_worker) -> None:
    former = PersonFactory(last_name="Бывшая")
    EmploymentCardFactory(
        person=former,
        organization=org_a,
        department=org_a.departments.get(),
        end_date=datetime.date(2021, 1, 1),
        end_reason=dict_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию"),
    )
    # A second card in the same organization must not duplicate the person.
    EmploymentCardFactory(person=worker.person, organization=org_a, department=org_a.departments.get())

    visible = list(persons_visible_to_organization(organization=org_a))
    assert sorted(p.pk for p in visible) == sorted([worker.person.pk, former.pk])
    assert other_worker.person not in visible
    assert list(persons_visible_to_organization(organization=org_b)) == [other_worker.person]

    assert person_get_for_organization(organization=org_a, snils=former.snils) == former
    with pytest.raises(Person.DoesNotExist):
        person_get_for_organization(organization=org_a, pk=other_worker.person.pk)

    assert [c.person for c in cards_of_organization(organization=org_a, current_only=True)] == [
        worker.person,
        worker.person,
    ]
    assert len(cards_of_organization(organization=org_a, current_only=False)) == 3


def test_person_created_by_organization_is_visible_to_it(operator_a, org_a, org_b) -> None:
    person = person_create(
        actor=operator_a,
        organization=org_a,
        data={
            "snils": "11223344595",
            "last_name": "Ли",
            "first_name": "Ан",
            "gender": 1,
            "birth_date": datetime.date(1990, 1, 1),
        },
    )
    assert person in persons_visible_to_organization(organization=org_a)
    assert person not in persons_visible_to_organization(organization=org_b)


def test_get_by_snils(worker) -> None:
    snils = worker.person.snils
    assert person_get_by_snils(snils=f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}") == worker.person
    assert person_get_by_snils(snils="112-233-445 95") is None
    with pytest.raises(ValidationError):
        person_get_by_snils(snils="12")


def _fill(person: Person, org, rows: int) -> None:
    for factory in SECTION_FACTORIES.values():
        factory.create_batch(rows, person=person, organization=org)
    for _ in range(rows):
        card = EmploymentCardFactory(person=person, organization=org, department=org.departments.get())
        AbsenceFactory.create_batch(2, card=card)


@pytest.mark.parametrize("rows", [1, 10])
def test_person_file_query_count_is_fixed(org_a, django_assert_num_queries, rows: int) -> None:
    person = PersonFactory()
    _fill(person, org_a, rows)
    # The person, one per section (12 of them), cards and their absences.
    with django_assert_num_queries(15):
        file = person_file(person=person)
        # Touch every link a page would show: none may cost a query.
        for name in (
            "documents",
            "addresses",
            "professional_education",
            "postgraduate_education",
            "additional_education",
            "certificates",
            "accreditations",
            "qualification_categories",
            "awards",
        ):
            rows_of_section = getattr(file, name)
            assert len(rows_of_section) == rows
            for row in rows_of_section:
                str(row.organization)
                for field in row._meta.concrete_fields:
                    if field.is_relation and getattr(row, field.attname) is not None:
                        str(getattr(row, field.name))
        assert len(file.cards) == rows
        for card in file.cards:
            str(card.department), str(card.position), str(card.position_type), str(card.organization)
            assert [str(a.reason) for a in card.absences.all()]
        str(file.person.citizenship)


def test_single_object_selectors_answer_does_not_exist_for_another_organization(org_a, org_b) -> None:
    card = EmploymentCardFactory(organization=org_a, department=org_a.departments.get())
    absence = AbsenceFactory(card=card)
    department = org_a.departments.get()

    assert card_get_for_organization(organization=org_a, card_id=card.pk) == card
    assert absence_get_for_organization(organization=org_a, absence_id=absence.pk) == absence
    assert department_get_for_organization(organization=org_a, department_id=department.pk) == department
    with pytest.raises(EmploymentCard.DoesNotExist):
        card_get_for_organization(organization=org_b, card_id=card.pk)
    with pytest.raises(Absence.DoesNotExist):
        absence_get_for_organization(organization=org_b, absence_id=absence.pk)
    with pytest.raises(Department.DoesNotExist):
        department_get_for_organization(organization=org_b, department_id=department.pk)


def test_section_record_get_answers_does_not_exist_for_another_person(org_a) -> None:
    section = RECORD_SECTIONS[0]
    owner, stranger = PersonFactory(), PersonFactory()
    record = SECTION_FACTORIES[section.record_model](person=owner, organization=org_a)

    assert section_record_get(section=section, person=owner, record_id=record.pk) == record
    with pytest.raises(ObjectDoesNotExist):
        section_record_get(section=section, person=stranger, record_id=record.pk)
