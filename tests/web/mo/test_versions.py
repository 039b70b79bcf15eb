"""Two operators edit the same file at once (issue 13, point 6): the second save is refused with the
changes listed, the second operator's input stays in the form, and saving again then goes through."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from frmr.accounts.models import Role, User
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Organization, Person
from tests.factories import ProfessionalEducationFactory, RoleGrantFactory, UserFactory

STATE = re.compile(r'name="loaded_state" value="([^"]+)"')


def _form(client: Client, url: str) -> dict[str, str]:
    """What a browser would post back unchanged: every input's and selected option's value."""
    page = client.get(url).content.decode()
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if name and "csrf" not in name.group(1) and 'type="checkbox"' not in tag:
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = value.group(1) if value else ""
        elif name and 'type="checkbox"' in tag and "checked" in tag:
            data[name.group(1)] = "on"
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected.group(1) if selected else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    return data


def _second_operator(org_a: Organization) -> Client:
    user = UserFactory(username="operator-a-2")
    RoleGrantFactory(user=user, role=Role.OPERATOR, organization=org_a)
    client = Client()
    client.force_login(user)
    return client


def _stale_save(
    first: Client, org_a: Organization, url: str, first_change: dict[str, str], second_change: dict[str, str]
) -> str:
    """Both operators load `url`; the first saves `first_change`, then the second posts
    `second_change` over the form loaded before: the page the second operator gets."""
    other = _second_operator(org_a)
    mine, theirs = _form(first, url), _form(other, url)
    assert first.post(url, mine | first_change).status_code == 302
    return other.post(url, theirs | second_change).content.decode()


def test_second_save_of_personal_data_is_refused_and_keeps_the_input(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    url = reverse("mo:personal", args=[employee.oid])
    other = _second_operator(org_a)
    mine, theirs = _form(operator_client, url), _form(other, url)
    assert mine["loaded_state"] and mine["phone"] == theirs["phone"] == employee.phone

    mine["phone"] = "+7 912 000-00-02"
    assert operator_client.post(url, mine).status_code == 302

    theirs["birth_place"] = "г. Омск, Омская область"
    response = other.post(url, theirs)
    page = response.content.decode()
    assert response.status_code == 200
    assert "изменил другой пользователь" in page
    assert "«Телефон»: сейчас в регистре «+79120000002», у вас было загружено «" in page
    assert 'value="г. Омск, Омская область"' in page  # what the second operator typed is kept
    employee.refresh_from_db()
    assert (employee.phone, employee.birth_place) == ("+79120000002", "г. Чита")

    # Saving again, after seeing the change, is a deliberate choice and goes through.
    retry = dict(theirs, loaded_state=STATE.search(page).group(1), phone="+7 912 000-00-02")
    assert other.post(url, retry).status_code == 302
    employee.refresh_from_db()
    assert (employee.phone, employee.birth_place) == ("+79120000002", "г. Омск, Омская область")


def test_section_form_refuses_a_stale_save(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    diploma = ProfessionalEducationFactory(person=employee, organization=org_a)
    url = reverse("mo:section_edit", args=[employee.oid, "education", diploma.pk])
    page = _stale_save(
        operator_client,
        org_a,
        url,
        {"institution_name": "Читинская медицинская академия"},
        {"doc_number": "ВСГ 7777777"},
    )
    assert "«Образовательная организация»: сейчас в регистре «Читинская медицинская академия»" in page
    assert 'value="ВСГ 7777777"' in page
    diploma.refresh_from_db()
    assert diploma.doc_number != "ВСГ 7777777"


def test_card_form_loaded_before_a_dismissal_is_refused(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    card = employee.cards.get()
    url = reverse("mo:card_edit", args=[card.pk])
    stale = _form(operator_client, url)
    reason = DictionaryEntry.objects.get(dictionary=oids.DISMISSAL_REASONS, code="2")
    response = operator_client.post(
        reverse("mo:dismiss", args=[card.pk]),
        {"end_date": "2024-01-31", "end_reason": reason.pk, "confirm": "1"},
    )
    assert response.status_code == 302
    stale["contract_number"] = "ТД-99"
    page = operator_client.post(url, stale).content.decode()
    assert "изменил другой пользователь" in page and 'value="ТД-99"' in page
    card.refresh_from_db()
    assert card.contract_number != "ТД-99" and card.end_date is not None


def test_department_rename_refuses_a_stale_save(
    operator_client: Client, org_a: Organization, operator_a: User
) -> None:
    department = org_a.departments.get()
    url = reverse("mo:department", args=[department.pk])
    page = _stale_save(
        operator_client, org_a, url, {"name": "Хирургическое отделение"}, {"name": "Терапия № 2"}
    )
    assert "«Наименование»: сейчас в регистре «Хирургическое отделение»" in page
    assert 'value="Терапия № 2"' in page
    department.refresh_from_db()
    assert department.name == "Хирургическое отделение"


def test_a_card_correction_without_a_conflict_is_saved(operator_client: Client, employee: Person) -> None:
    card = employee.cards.get()
    url = reverse("mo:card_edit", args=[card.pk])
    data = _form(operator_client, url)
    data["contract_number"] = "ТД-100"
    assert operator_client.post(url, data).status_code == 302
    card.refresh_from_db()
    assert (card.contract_number, card.version) == ("ТД-100", 2)
