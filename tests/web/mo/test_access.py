"""Every page of the cabinet: open to org A's operator, 404 to org B's for A's objects, closed to others."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.corrections.services import correction_request_create
from frmr.imports.services import import_job_create
from frmr.integration.services import api_token_create
from frmr.registry.models import Organization, Person
from tests.factories import AbsenceFactory, ProfessionalEducationFactory

GLOBAL_PAGES = [
    ("mo:home", []),
    ("mo:add", []),
    ("mo:organization", []),
    ("mo:corrections", []),
    ("mo:import", []),
    ("mo:tokens", []),
]


@pytest.fixture
def objects_of_a(
    org_a: Organization, operator_a: User, worker: User, employee: Person, dictionaries: None
) -> dict[str, list[object]]:
    card = employee.cards.get()
    absence = AbsenceFactory(card=card)
    diploma = ProfessionalEducationFactory(person=employee, organization=org_a)
    correction = correction_request_create(
        actor=worker, organization=org_a, section="education", text="Не тот год", expected_value="2008"
    )
    job = import_job_create(
        organization=org_a, actor=operator_a, upload=SimpleUploadedFile("a.csv", "СНИЛС\n".encode())
    )
    token, _ = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    department = org_a.departments.get()
    oid = employee.oid
    return {
        "mo:person": [oid],
        "mo:personal": [oid],
        "mo:history": [oid],
        "mo:hire": [oid],
        "mo:section_add": [oid, "education"],
        "mo:section_edit": [oid, "education", diploma.pk],
        "mo:section_delete": [oid, "education", diploma.pk],
        "mo:card_edit": [card.pk],
        "mo:transfer": [card.pk],
        "mo:dismiss": [card.pk],
        "mo:absence_add": [card.pk],
        "mo:absence_delete": [absence.pk],
        "mo:department": [department.pk],
        "mo:correction": [correction.pk],
        "mo:import_job": [job.pk],
        "mo:import_status": [job.pk],
        "mo:token_revoke": [token.pk],
    }


def test_operator_of_a_opens_every_page(
    client: Client, operator_a: User, objects_of_a: dict[str, list[object]]
) -> None:
    client.force_login(operator_a)
    for name, args in [*GLOBAL_PAGES, *objects_of_a.items()]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)


def test_operator_of_b_gets_404_for_objects_of_a(
    client: Client, operator_b: User, objects_of_a: dict[str, list[object]]
) -> None:
    client.force_login(operator_b)
    for name, args in objects_of_a.items():
        response = client.get(reverse(name, args=args))
        assert response.status_code == 404, (name, response.status_code)
    for name, _ in GLOBAL_PAGES:
        assert client.get(reverse(name)).status_code == 200


def test_worker_gets_403_and_anonymous_goes_to_login(client: Client, worker: User, employee: Person) -> None:
    for name, args in [*GLOBAL_PAGES, ("mo:person", [employee.oid])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith("/login/"), name
    client.force_login(worker)
    for name, args in [*GLOBAL_PAGES, ("mo:person", [employee.oid])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 403, name
        assert "Нет доступа к кабинету организации" in response.content.decode()


def test_switcher_changes_the_organization(
    client: Client, operator_a: User, org_b: Organization, employee: Person, dictionaries: None
) -> None:
    from frmr.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(user=operator_a, role=Role.OPERATOR, organization=org_b)
    client.force_login(operator_a)
    page = client.get(reverse("mo:home")).content.decode()
    assert "Городская больница № 1" in page and 'name="organization"' in page
    assert client.get(reverse("mo:person", args=[employee.oid])).status_code == 200
    client.post(reverse("mo:switch"), {"organization": org_b.pk})
    assert client.get(reverse("mo:person", args=[employee.oid])).status_code == 404
    other = Organization.objects.exclude(pk__in=[org_b.pk, employee.cards.get().organization_id]).first()
    if other is not None:
        assert client.post(reverse("mo:switch"), {"organization": other.pk}).status_code == 404
