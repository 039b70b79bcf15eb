from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditAction, AuditEntry
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Person
from frmr.registry.services import PersonData, person_create, person_update
from tests.factories import dict_entry, valid_snils


def person_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "snils": "112-233-445 95",
        "last_name": "Смирнова",
        "first_name": "Ольга",
        "patronymic": "Викторовна",
        "gender": 2,
        "birth_date": datetime.date(1990, 5, 17),
        "inn": "500100732259",
        "citizenship": dict_entry(oids.CITIZENSHIP, "1", "Гражданин Российской Федерации"),
        "phone": "8 (912) 345-67-89",
        "email": "olga@example.ru",
    }
    data.update(overrides)
    return data


def refused(**overrides: Any) -> dict[str, list[str]]:
    """Try to create a person; assert nothing was written; return the field messages."""
    persons, entries = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        person_create(actor=SYSTEM, organization=None, data=person_data(**overrides))
    assert (Person.objects.count(), AuditEntry.objects.count()) == (persons, entries)
    return caught.value.message_dict


def test_create_assigns_oid_normalizes_and_audits(operator_a, org_a) -> None:
    person = person_create(actor=operator_a, organization=org_a, data=person_data())
    assert re.fullmatch(rf"{timezone.localdate().year}\.\d{{7}}", person.oid)
    assert person.snils == "11223344595"
    assert person.phone == "+79123456789"
    assert person.created_by_organization == org_a

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.organization, entry.action, entry.person) == (
        operator_a,
        org_a,
        AuditAction.CREATE,
        person,
    )
    assert entry.object_type == "registry.person" and entry.object_id == str(person.pk)
    assert entry.changes["snils"] == [None, "11223344595"]
    assert entry.changes["birth_date"] == [None, "1990-05-17"]
    assert entry.changes["citizenship"] == [None, "1 — Гражданин Российской Федерации"]
    assert entry.changes["oid"] == [None, person.oid]
    assert all(old is None for old, _ in entry.changes.values())


def test_create_accepts_dataclass(db) -> None:
    data = PersonData(
        snils=valid_snils(5),
        last_name="Ким",
        first_name="Анна",
        gender=2,
        birth_date=datetime.date(1999, 1, 1),
    )
    assert person_create(actor=SYSTEM, organization=None, data=data).last_name == "Ким"


@pytest.mark.django_db
def test_refusals_carry_specific_russian_messages() -> None:
    assert refused(snils="112-233-445 96") == {
        "snils": ["Контрольное число СНИЛС не совпадает: проверьте, нет ли опечатки в номере."]
    }
    assert "11 цифр" in refused(snils="112-233")["snils"][0]
    assert refused(birth_date=timezone.localdate() + datetime.timedelta(days=1)) == {
        "birth_date": ["Дата не может быть в будущем."]
    }
    assert "Латинские буквы" in refused(last_name="Smirnova")["last_name"][0]
    assert "Контрольные цифры ИНН" in refused(inn="500100732250")["inn"][0]
    assert "12 цифр" in refused(inn="7707083893")["inn"][0]
    assert "электронной почты" in refused(email="olga@")["email"][0]
    assert refused(first_name="  ") == {"first_name": ["Заполните поле «имя»."]}
    messages = refused(snils="1", last_name="Smirnova", birth_date=datetime.date(2999, 1, 1))
    assert set(messages) == {"snils", "last_name", "birth_date"}  # all problems at once


@pytest.mark.django_db
def test_duplicate_snils_refused_whatever_the_spelling() -> None:
    person_create(actor=SYSTEM, organization=None, data=person_data())
    assert refused(snils="11223344595") == {"snils": ["Работник с таким СНИЛС уже есть в регистре."]}


@pytest.mark.django_db
def test_dictionary_entry_from_wrong_dictionary_or_retired() -> None:
    wrong = dict_entry(oids.REGIONS, "77", "г. Москва")
    assert "запись другого справочника" in refused(citizenship=wrong)["citizenship"][0]
    retired = DictionaryEntry.objects.create(
        dictionary=oids.CITIZENSHIP, code="9", name="Старая категория", valid_to=datetime.date(2001, 1, 1)
    )
    assert "не действует на" in refused(citizenship=retired)["citizenship"][0]
    assert refused(citizenship="404") == {
        "citizenship": ["В справочнике «гражданство» нет записи с кодом «404»."]
    }
    person = person_create(actor=SYSTEM, organization=None, data=person_data(citizenship="1"))
    assert person.citizenship is not None and person.citizenship.code == "1"


def test_update_records_only_changed_fields(operator_a, worker) -> None:
    person = worker.person
    updated = person_update(
        actor=operator_a,
        organization=operator_a.roles.get().organization,
        person=person,
        data={"phone": "+7 912 000-00-01", "last_name": "Иванова"},
    )
    assert updated.phone == "+79120000001"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.changes == {"phone": ["", "+79120000001"]}
    assert entry.person == person


def test_update_without_changes_writes_nothing(operator_a, org_a, worker) -> None:
    person_update(actor=operator_a, organization=org_a, person=worker.person, data={"last_name": "Иванова"})
    assert not AuditEntry.objects.exists()


def test_update_refused_with_nothing_saved(operator_a, org_a, worker) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(
            actor=operator_a,
            organization=org_a,
            person=worker.person,
            data={"phone": "+7 912 000-00-01", "snils": "112-233-445 96"},
        )
    assert "snils" in caught.value.message_dict
    worker.person.refresh_from_db()
    assert worker.person.phone == "" and not AuditEntry.objects.exists()


def test_update_refuses_duplicate_snils(operator_a, org_a, worker, other_worker) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(
            actor=operator_a,
            organization=org_a,
            person=worker.person,
            data={"snils": other_worker.person.snils},
        )
    assert caught.value.message_dict == {"snils": ["Работник с таким СНИЛС уже есть в регистре."]}


def test_operator_cannot_act_for_another_organization(operator_a, org_b, other_worker) -> None:
    with pytest.raises(PermissionDenied, match="нет роли оператора"):
        person_create(actor=operator_a, organization=org_b, data=person_data())
    with pytest.raises(PermissionDenied, match="работает или работал"):
        person_update(
            actor=operator_a,
            organization=operator_a.roles.get().organization,
            person=other_worker.person,
            data={"phone": "+79120000002"},
        )


def test_admin_may_update_anyone(admin_user, other_worker) -> None:
    person_update(
        actor=admin_user, organization=None, person=other_worker.person, data={"birth_place": "Тверь"}
    )
    assert AuditEntry.objects.get().organization is None
