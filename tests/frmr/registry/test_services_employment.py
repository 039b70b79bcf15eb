from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frmr.audit.models import AuditAction, AuditEntry
from frmr.nsi import oids
from frmr.registry.models import Absence, EmploymentCard
from frmr.registry.services import (
    absence_add,
    absence_delete,
    absence_update,
    card_dismiss,
    card_hire,
    card_transfer,
    card_update,
)
from tests.factories import DepartmentFactory, PersonFactory, dict_entry


def hire_data(org, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "department": org.departments.order_by("pk").first(),
        "position": dict_entry(oids.POSITIONS, "t-nurse", "медицинская сестра"),
        "position_type": dict_entry(oids.POSITION_TYPES, "1", "основное место работы"),
        "rate": Decimal("0.5"),
        "begin_date": datetime.date(2023, 2, 1),
        "contract_number": "15/23",
        "contract_date": datetime.date(2023, 1, 30),
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int]:
    return EmploymentCard.objects.count(), Absence.objects.count(), AuditEntry.objects.count()


def refused_hire(operator_a, org_a, **overrides: Any) -> dict[str, list[str]]:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        card_hire(
            actor=operator_a, organization=org_a, person=PersonFactory(), data=hire_data(org_a, **overrides)
        )
    assert counts() == before
    return caught.value.message_dict


def test_hire_creates_card_and_audit(operator_a, org_a) -> None:
    person = PersonFactory()
    card = card_hire(actor=operator_a, organization=org_a, person=person, data=hire_data(org_a))
    assert card.organization == org_a and card.rate == Decimal("0.5") and card.position_type.code == "1"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.person, entry.organization, entry.actor) == (
        AuditAction.CREATE,
        person,
        org_a,
        operator_a,
    )
    assert entry.changes["rate"] == [None, "0.50"]
    assert entry.changes["position_type"] == [None, "1 — основное место работы"]
    assert entry.reason == "Приём на работу"


def test_hire_refusals(operator_a, org_a, org_b) -> None:
    assert refused_hire(operator_a, org_a, rate=Decimal("1.5")) == {
        "rate": ["Ставка должна быть 0,25, 0,5, 0,75 или 1."]
    }
    assert refused_hire(operator_a, org_a, rate=0.3)["rate"] == ["Ставка должна быть 0,25, 0,5, 0,75 или 1."]
    foreign = org_b.departments.get()
    assert refused_hire(operator_a, org_a, department=foreign) == {
        "department": [f"Подразделение «{foreign}» относится к другой организации."]
    }
    far = timezone.localdate() + datetime.timedelta(days=400)
    assert refused_hire(operator_a, org_a, begin_date=far) == {
        "begin_date": ["Дата приёма не может быть позже чем через год от сегодняшнего дня."]
    }
    wrong_dictionary = dict_entry(oids.SPECIALTIES, "t-therapy", "Терапия")
    assert (
        "запись другого справочника"
        in refused_hire(operator_a, org_a, position=wrong_dictionary)["position"][0]
    )
    retired = dict_entry(
        oids.POSITIONS, "t-old", "фельдшер-лаборант (устар.)", valid_to=datetime.date(2010, 1, 1)
    )
    assert "не действует на 01.02.2023" in refused_hire(operator_a, org_a, position=retired)["position"][0]
    closed = DepartmentFactory(organization=org_a, is_active=False)
    assert "закрыто" in refused_hire(operator_a, org_a, department=closed)["department"][0]


def test_hire_in_a_few_months_is_allowed(operator_a, org_a) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=90)
    card = card_hire(
        actor=operator_a, organization=org_a, person=PersonFactory(), data=hire_data(org_a, begin_date=soon)
    )
    assert card.begin_date == soon


def test_dismiss(operator_a, org_a, worker) -> None:
    card = worker.person.cards.get()
    reason = dict_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию")

    before = counts()
    with pytest.raises(ValidationError) as caught:
        card_dismiss(
            actor=operator_a,
            organization=org_a,
            card=card,
            end_date=datetime.date(2019, 1, 1),
            end_reason=reason,
        )
    assert caught.value.message_dict == {"end_date": ["Дата увольнения не может быть раньше даты приёма."]}
    assert counts() == before

    with pytest.raises(ValidationError) as caught:
        card_dismiss(actor=operator_a, organization=org_a, card=card, end_date=None, end_reason=None)
    assert set(caught.value.message_dict) == {"end_date", "end_reason"}

    dismissed = card_dismiss(
        actor=operator_a, organization=org_a, card=card, end_date=datetime.date(2024, 3, 31), end_reason="1"
    )
    assert dismissed.end_reason == reason and not dismissed.is_current
    entry = AuditEntry.objects.get()
    assert entry.changes == {
        "end_date": [None, "2024-03-31"],
        "end_reason": [None, "1 — по собственному желанию"],
    }
    assert entry.reason == "Увольнение"

    with pytest.raises(ValidationError, match=r"уже уволен с этой должности 31\.03\.2024"):
        card_dismiss(
            actor=operator_a,
            organization=org_a,
            card=card,
            end_date=datetime.date(2024, 4, 1),
            end_reason=reason,
        )


def test_transfer_closes_old_card_and_opens_new(operator_a, org_a, worker) -> None:
    card = worker.person.cards.get()
    surgery = DepartmentFactory(organization=org_a, name="Хирургическое отделение")
    dict_entry(oids.DISMISSAL_REASONS, "7", "перевод")
    new = card_transfer(
        actor=operator_a,
        organization=org_a,
        card=card,
        data={"transfer_date": datetime.date(2024, 1, 10), "end_reason": "7", "department": surgery},
    )
    card.refresh_from_db()
    assert card.end_date == datetime.date(2024, 1, 10) and card.end_reason.code == "7"
    assert new.begin_date == datetime.date(2024, 1, 10) and new.department == surgery
    assert new.position == card.position and new.rate == card.rate
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "object_id", "reason"))
    assert actions == [
        (AuditAction.UPDATE, str(card.pk), "Перевод"),
        (AuditAction.CREATE, str(new.pk), "Перевод"),
    ]


def test_transfer_refusals(operator_a, org_a, org_b, worker) -> None:
    card = worker.person.cards.get()
    dict_entry(oids.DISMISSAL_REASONS, "7", "перевод")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        card_transfer(
            actor=operator_a,
            organization=org_a,
            card=card,
            data={"transfer_date": datetime.date(2019, 1, 1), "department": org_b.departments.get()},
        )
    assert set(caught.value.message_dict) == {"transfer_date", "end_reason", "department"}
    with pytest.raises(ValidationError) as caught:
        card_transfer(
            actor=operator_a,
            organization=org_a,
            card=card,
            data={"transfer_date": datetime.date(2024, 1, 1), "end_reason": "7", "rate": Decimal("1.25")},
        )
    assert caught.value.message_dict == {"rate": ["Ставка должна быть 0,25, 0,5, 0,75 или 1."]}
    assert counts() == before


def test_update_card(operator_a, org_a, worker) -> None:
    card = worker.person.cards.get()
    card_update(actor=operator_a, organization=org_a, card=card, data={"rate": Decimal("0.75")})
    assert AuditEntry.objects.get().changes == {"rate": ["1.00", "0.75"]}
    with pytest.raises(ValidationError):
        card_update(actor=operator_a, organization=org_a, card=card, data={"rate": Decimal("1.5")})
    card.refresh_from_db()
    assert card.rate == Decimal("0.75")


def test_organization_touches_only_its_own_cards(operator_a, operator_b, org_a, org_b, worker) -> None:
    card = worker.person.cards.get()
    with pytest.raises(PermissionDenied, match="карточка другой организации"):
        card_update(actor=operator_b, organization=org_b, card=card, data={"rate": Decimal("0.5")})
    with pytest.raises(PermissionDenied, match="нет роли оператора"):
        card_update(actor=operator_b, organization=org_a, card=card, data={"rate": Decimal("0.5")})
    with pytest.raises(PermissionDenied):
        card_hire(actor=operator_b, organization=org_a, person=worker.person, data=hire_data(org_a))


def test_absences(operator_a, org_a, worker) -> None:
    card = worker.person.cards.get()
    maternity = dict_entry(oids.ABSENCE_REASONS, "1", "отпуск по беременности и родам")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        absence_add(
            actor=operator_a,
            organization=org_a,
            card=card,
            data={
                "reason": maternity,
                "begin_date": datetime.date(2022, 2, 1),
                "end_date": datetime.date(2022, 1, 1),
            },
        )
    assert caught.value.message_dict == {"end_date": ["Дата окончания не может быть раньше даты начала."]}
    with pytest.raises(ValidationError, match="раньше приёма"):
        absence_add(
            actor=operator_a,
            organization=org_a,
            card=card,
            data={"reason": maternity, "begin_date": datetime.date(2019, 2, 1)},
        )
    assert counts() == before

    absence = absence_add(
        actor=operator_a,
        organization=org_a,
        card=card,
        data={"reason": maternity, "begin_date": datetime.date(2022, 2, 1)},
    )
    absence_update(
        actor=operator_a, organization=org_a, absence=absence, data={"end_date": datetime.date(2022, 6, 20)}
    )
    absence_delete(actor=operator_a, organization=org_a, absence=absence)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    assert entries[1].changes == {"end_date": [None, "2022-06-20"]}
    assert entries[2].changes["begin_date"] == ["2022-02-01", None]
    assert all(e.person == worker.person for e in entries)
    assert not Absence.objects.exists()
