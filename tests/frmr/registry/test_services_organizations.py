from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frmr.audit.models import AuditAction, AuditEntry
from frmr.nsi import oids
from frmr.registry.models import Department, Organization
from frmr.registry.services import (
    department_create,
    department_update,
    organization_create,
    organization_update,
)
from tests.factories import dict_entry, valid_inn_legal, valid_ogrn


def org_data(**overrides):
    data = {
        "oid": "1.2.643.5.1.13.13.12.2.75.555",
        "name_full": "ГУЗ «Краевая клиническая больница»",
        "name_short": "ККБ",
        "ogrn": valid_ogrn(555),
        "inn": valid_inn_legal(555),
        "kpp": "753601001",
        "region": dict_entry(oids.REGIONS, "75", "Забайкальский край"),
    }
    data.update(overrides)
    return data


def test_create_and_update_organization(admin_user) -> None:
    organization = organization_create(actor=admin_user, data=org_data())
    organization_update(actor=admin_user, organization=organization, data={"phone": "+7 3022 00-00-00"})
    create, update = AuditEntry.objects.order_by("id")
    assert create.action == AuditAction.CREATE and create.changes["ogrn"] == [None, organization.ogrn]
    assert update.changes == {"phone": ["", "+7 3022 00-00-00"]}


def test_organization_refusals(admin_user, operator_a) -> None:
    with pytest.raises(ValidationError) as caught:
        organization_create(actor=admin_user, data=org_data(ogrn="1027700132196", inn="7707083894", kpp="12"))
    assert set(caught.value.message_dict) == {"ogrn", "inn", "kpp"}
    assert "ОГРН" in caught.value.message_dict["ogrn"][0]
    organization_create(actor=admin_user, data=org_data())
    with pytest.raises(ValidationError) as caught:
        organization_create(actor=admin_user, data=org_data(oid="1.2.3"))
    assert caught.value.message_dict == {"ogrn": ["Организация с таким ОГРН уже есть в регистре."]}
    with pytest.raises(PermissionDenied):
        organization_create(actor=operator_a, data=org_data(ogrn=valid_ogrn(556)))
    assert Organization.objects.count() == 2  # org_a of operator_a and the one created above


def test_department_oids_follow_the_organization(operator_a, org_a) -> None:
    first = department_create(actor=operator_a, organization=org_a, name="Хирургическое отделение")
    second = department_create(actor=operator_a, organization=org_a, name="Приёмное отделение")
    assert first.oid == f"{org_a.oid}.0.2" and second.oid == f"{org_a.oid}.0.3"
    with pytest.raises(ValidationError) as caught:
        department_create(actor=operator_a, organization=org_a, name="Приёмное отделение")
    assert caught.value.message_dict == {
        "name": ["В организации уже есть подразделение с таким наименованием."]
    }
    department_update(actor=operator_a, organization=org_a, department=second, data={"is_active": False})
    assert AuditEntry.objects.filter(object_type="registry.department").count() == 3


def test_department_of_another_organization(operator_b, org_a, org_b) -> None:
    with pytest.raises(PermissionDenied):
        department_create(actor=operator_b, organization=org_a, name="Лаборатория")
    with pytest.raises(PermissionDenied):
        department_update(
            actor=operator_b,
            organization=org_b,
            department=org_a.departments.get(),
            data={"name": "Лаборатория"},
        )
    assert Department.objects.count() == 2
