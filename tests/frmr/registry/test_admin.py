from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from frmr.audit.models import AuditAction, AuditEntry
from frmr.nsi import oids
from frmr.registry.models import Department, Organization, Person
from tests.factories import SECTION_FACTORIES, dict_entry, valid_inn_legal, valid_ogrn

CHANGELISTS = [
    "registry_person",
    "registry_organization",
    "registry_department",
    "registry_employmentcard",
    "audit_auditentry",
    "accounts_user",
    "accounts_rolegrant",
]


@pytest.fixture
def admin_client_(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_load_for_admin(admin_client_, worker, operator_a, name: str) -> None:
    assert admin_client_.get(reverse(f"admin:{name}_changelist")).status_code == 200


@pytest.mark.parametrize("name", CHANGELISTS)
def test_anonymous_is_sent_to_login(client: Client, db, name: str) -> None:
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_worker_without_staff_flag_is_refused(client: Client, worker) -> None:
    client.force_login(worker)
    response = client.get(reverse("admin:registry_person_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_person_page_with_all_sections(admin_client_, worker, org_a) -> None:
    for factory in SECTION_FACTORIES.values():
        factory(person=worker.person, organization=org_a)
    response = admin_client_.get(reverse("admin:registry_person_change", args=[worker.person.pk]))
    assert response.status_code == 200
    assert "Паспорт гражданина Российской Федерации" in response.content.decode()


def test_person_search_by_formatted_snils(admin_client_, worker) -> None:
    s = worker.person.snils
    response = admin_client_.get(
        reverse("admin:registry_person_changelist"), {"q": f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}"}
    )
    assert worker.person.full_name in response.content.decode()


def person_form(**overrides):
    data = {
        "snils": "112-233-445 95",
        "last_name": "Орлова",
        "first_name": "Вера",
        "patronymic": "",
        "gender": "2",
        "birth_date": "12.04.1988",
        "birth_place": "",
        "death_date": "",
        "inn": "",
        "citizenship": "",
        "phone": "",
        "email": "",
    }
    for model in [
        "cards",
        "documents",
        "addresses",
        "professional_education",
        "postgraduate_education",
        "additional_education",
        "certificates",
        "accreditations",
        "qualification_categories",
        "awards",
        "general_education",
        "memberships",
        "military_service",
    ]:
        data[f"{model}-TOTAL_FORMS"] = "0"
        data[f"{model}-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


def test_admin_person_with_bad_snils_shows_russian_message(admin_client_) -> None:
    response = admin_client_.post(reverse("admin:registry_person_add"), person_form(snils="112-233-445 96"))
    assert response.status_code == 200
    assert "Контрольное число СНИЛС не совпадает" in response.content.decode()
    assert not Person.objects.exists() and not AuditEntry.objects.exists()
    response = admin_client_.post(reverse("admin:registry_person_add"), person_form(last_name="Orlova"))
    assert "Латинские буквы не допускаются" in response.content.decode()


def test_admin_person_save_goes_through_service(admin_client_, admin_user) -> None:
    response = admin_client_.post(reverse("admin:registry_person_add"), person_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get()
    assert person.snils == "11223344595" and person.oid
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.person) == (AuditAction.CREATE, admin_user, person)

    change = reverse("admin:registry_person_change", args=[person.pk])
    response = admin_client_.post(change, person_form(phone="8 912 345 67 89"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+79123456789"
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).get().changes == {
        "phone": ["", "+79123456789"]
    }

    response = admin_client_.post(reverse("admin:registry_person_add"), person_form(snils="11223344595"))
    assert "Работник с таким СНИЛС уже есть в регистре." in response.content.decode()


def test_admin_organization_with_department_goes_through_services(admin_client_) -> None:
    region = dict_entry(oids.REGIONS, "75", "Забайкальский край")
    data = {
        "oid": "1.2.643.5.1.13.13.12.2.75.7",
        "name_full": "ГУЗ «Городская больница № 7»",
        "name_short": "ГБ № 7",
        "ogrn": valid_ogrn(7),
        "inn": valid_inn_legal(7),
        "kpp": "",
        "region": str(region.pk),
        "address": "",
        "phone": "",
        "email": "",
        "is_active": "on",
        "departments-TOTAL_FORMS": "1",
        "departments-INITIAL_FORMS": "0",
        "departments-0-name": "Приёмное отделение",
        "departments-0-is_active": "on",
    }
    bad = admin_client_.post(reverse("admin:registry_organization_add"), {**data, "ogrn": "1027700132196"})
    assert "Контрольная цифра ОГРН не совпадает" in bad.content.decode()
    assert not Organization.objects.exists()

    response = admin_client_.post(reverse("admin:registry_organization_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    organization = Organization.objects.get()
    assert Department.objects.get().oid == f"{organization.oid}.0.1"
    assert set(AuditEntry.objects.values_list("object_type", flat=True)) == {
        "registry.organization",
        "registry.department",
    }


def test_audit_entries_are_read_only_in_admin(admin_client_, operator_a, org_a, worker) -> None:
    from frmr.registry.services import person_update

    person_update(actor=operator_a, organization=org_a, person=worker.person, data={"birth_place": "Чита"})
    entry = AuditEntry.objects.get()
    assert admin_client_.get(reverse("admin:audit_auditentry_add")).status_code == 403
    page = admin_client_.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and "Место рождения" in page.content.decode()
    assert (
        admin_client_.post(
            reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
