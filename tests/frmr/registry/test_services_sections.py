from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frmr.audit.models import AuditAction, AuditEntry
from frmr.nsi import oids
from frmr.registry.models import (
    AccreditationRecord,
    AdditionalEducation,
    IdentityDocument,
    QualificationCategory,
)
from frmr.registry.services import section_create, section_delete, section_update
from tests.factories import dict_entry


def passport(**overrides):
    data = {
        "document_type": dict_entry(
            oids.IDENTITY_DOCUMENT_TYPES, "1", "Паспорт гражданина Российской Федерации"
        ),
        "series": "7605",
        "number": "123456",
        "issue_date": datetime.date(2010, 5, 5),
        "issued_by": "ОУФМС России по Забайкальскому краю",
    }
    data.update(overrides)
    return data


def test_create_update_delete_with_audit(operator_a, org_a, worker) -> None:
    person = worker.person
    document = section_create(
        actor=operator_a, organization=org_a, person=person, model=IdentityDocument, data=passport()
    )
    assert document.organization == org_a and document.person == person
    section_update(actor=operator_a, organization=org_a, section=document, data={"number": "654321"})
    section_delete(actor=operator_a, organization=org_a, section=document)
    create, update, delete = AuditEntry.objects.order_by("id")
    assert create.action == AuditAction.CREATE and create.changes["number"] == [None, "123456"]
    assert create.changes["document_type"] == [None, "1 — Паспорт гражданина Российской Федерации"]
    assert update.changes == {"number": ["123456", "654321"]}
    assert delete.action == AuditAction.DELETE and delete.changes["number"] == ["654321", None]
    assert delete.object_id == str(create.object_id) and "№" in delete.object_repr
    assert {e.person for e in (create, update, delete)} == {person}
    assert {e.organization for e in (create, update, delete)} == {org_a}
    assert not IdentityDocument.objects.exists()


def test_refusals_write_nothing(operator_a, org_a, worker) -> None:
    person = worker.person
    section_create(
        actor=operator_a, organization=org_a, person=person, model=IdentityDocument, data=passport()
    )
    before = IdentityDocument.objects.count(), AuditEntry.objects.count()
    cases = [
        (passport(), {"number": ["Такой документ у работника уже записан."]}),
        (
            passport(number="111111", issue_date=datetime.date(2999, 1, 1)),
            {"issue_date": ["Дата не может быть в будущем."]},
        ),
        (
            passport(number="222222", document_type=dict_entry(oids.REGIONS, "77", "г. Москва")),
            {"document_type": ["«г. Москва» — запись другого справочника, а не «вид документа»."]},
        ),
    ]
    for data, expected in cases:
        with pytest.raises(ValidationError) as caught:
            section_create(
                actor=operator_a, organization=org_a, person=person, model=IdentityDocument, data=data
            )
        assert caught.value.message_dict == expected
    assert (IdentityDocument.objects.count(), AuditEntry.objects.count()) == before


def test_date_order_and_ranges_are_field_keyed(operator_a, org_a, worker) -> None:
    with pytest.raises(ValidationError) as caught:
        section_create(
            actor=operator_a,
            organization=org_a,
            person=worker.person,
            model=QualificationCategory,
            data={
                "category": dict_entry(oids.QUALIFICATION_CATEGORIES, "1", "высшая"),
                "begin_date": datetime.date(2020, 1, 1),
                "end_date": datetime.date(2019, 1, 1),
            },
        )
    assert caught.value.message_dict == {"end_date": ["Дата окончания не может быть раньше даты присвоения."]}
    with pytest.raises(ValidationError) as caught:
        section_create(
            actor=operator_a,
            organization=org_a,
            person=worker.person,
            model=AdditionalEducation,
            data={
                "kind": dict_entry(oids.ADDITIONAL_EDUCATION_KINDS, "1", "повышение квалификации"),
                "institution_name": "РМАНПО",
                "theme": "Терапия",
                "hours": 0,
                "doc_number": "1",
                "doc_date": datetime.date(2021, 1, 1),
            },
        )
    assert caught.value.message_dict == {"hours": ["Количество часов должно быть от 1 до 10000."]}


def test_only_the_entering_organization_may_change(
    operator_a, operator_b, org_a, org_b, worker, admin_user
) -> None:
    person = worker.person
    document = section_create(
        actor=operator_a, organization=org_a, person=person, model=IdentityDocument, data=passport()
    )
    # org_b hires the same person, so it may add sections, but not change org_a's.
    person.cards.create(
        organization=org_b,
        department=org_b.departments.get(),
        position=person.cards.get().position,
        position_type=person.cards.get().position_type,
        rate="0.25",
        begin_date=datetime.date(2023, 1, 1),
    )
    with pytest.raises(PermissionDenied, match="внесла другая организация"):
        section_update(actor=operator_b, organization=org_b, section=document, data={"number": "111111"})
    with pytest.raises(PermissionDenied, match="внесла другая организация"):
        section_delete(actor=operator_b, organization=org_b, section=document)
    section_update(actor=admin_user, organization=None, section=document, data={"number": "111111"})
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).get().actor == admin_user


def test_cannot_write_into_invisible_file(operator_b, org_b, worker) -> None:
    with pytest.raises(PermissionDenied, match="работает или работал"):
        section_create(
            actor=operator_b,
            organization=org_b,
            person=worker.person,
            model=IdentityDocument,
            data=passport(),
        )


def test_secretary_records_accreditation_without_organization(secretary, worker) -> None:
    record = section_create(
        actor=secretary,
        organization=None,
        person=worker.person,
        model=AccreditationRecord,
        data={
            "registry_number": "7722 000000001",
            "kind": dict_entry(oids.ACCREDITATION_KINDS, "3", "периодическая"),
            "specialty": dict_entry(oids.SPECIALTIES, "t-therapy", "Терапия"),
            "pass_date": datetime.date(2024, 3, 1),
            "end_date": datetime.date(2029, 3, 1),
            "protocol_number": "12",
            "protocol_date": datetime.date(2024, 3, 1),
        },
    )
    assert record.organization is None
    with pytest.raises(PermissionDenied):
        section_create(
            actor=secretary, organization=None, person=worker.person, model=IdentityDocument, data=passport()
        )
