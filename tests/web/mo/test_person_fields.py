"""The employer cabinet's person form carries the real register's person fields, and the education forms
pick the institution from the dictionary of institutions (ФРНСИ 1.2.643.5.1.13.13.11.1124)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.integration.services import api_token_create
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import AdditionalEducation, Organization, Person, ProfessionalEducation
from tests.frmr.integration.api.conftest import ApiClient

PERSONAL = {
    "last_name": "Кузнецова",
    "first_name": "Мария",
    "patronymic": "Викторовна",
    "gender": "2",
    "birth_date": "1985-03-14",
    "mr": "true",
    "student": "false",
    "is_medical_worker": "true",
    "is_pharm_worker": "unknown",
    "oksm_code": "643",
    "oksm_name": "Россия",
    "military_relation": "2",
    "is_disabled": "true",
    "disabled_group": "3",
    "disabled_group_name": "III",
    "disabled_date": "2016-01-22",
    "covid19": "false",
}


def test_form_shows_the_real_register_fields_with_russian_labels(
    operator_client: Client, employee: Person
) -> None:
    page = operator_client.get(reverse("mo:personal", args=[employee.oid])).content.decode()
    for label in (
        "Страна (код ОКСМ)",
        "Работник внесён в ФРМР",
        "Отношение к военной службе",
        "Инвалидность",
        "Группа инвалидности",
        "Группа инвалидности, как в справке",
        "Инвалидность установлена",
        "Обучающийся",
        "Может привлекаться к помощи при угрозе опасных заболеваний",
    ):
        assert label in page, label
    # The register's internal names and bare codes stay out of an HR officer's way.
    for internal in ("признак mr", "(код)", "Код группы", "справочника отношений"):
        assert internal not in page, internal


def test_military_relation_and_disability_group_are_picked_from_lists(
    operator_client: Client, employee: Person
) -> None:
    page = operator_client.get(reverse("mo:personal", args=[employee.oid])).content.decode()
    military = page.split('name="military_relation"', 1)[1].split("</select>", 1)[0]
    assert '<option value="1">Военнообязанный (состоит на воинском учёте)</option>' in military
    assert '<option value="2">Призывник</option>' in military
    assert '<option value="" selected>— не указано —</option>' in military
    group = page.split('name="disabled_group"', 1)[1].split("</select>", 1)[0]
    assert [
        f'<option value="{code}">{name} группа</option>' in group
        for code, name in ((1, "I"), (2, "II"), (3, "III"))
    ] == [True, True, True]


def test_a_picked_military_relation_and_group_round_trip(operator_client: Client, employee: Person) -> None:
    url = reverse("mo:personal", args=[employee.oid])
    data = {**PERSONAL, "snils": employee.snils, "military_relation": "3", "disabled_group": "2"}
    assert operator_client.post(url, data).status_code == 302
    employee.refresh_from_db()
    assert (employee.military_relation, employee.disabled_group) == (3, 2)
    page = operator_client.get(url).content.decode()
    assert '<option value="3" selected>Не военнообязанный (не состоит на воинском учёте)</option>' in page
    assert '<option value="2" selected>II группа</option>' in page
    # «Not stated» goes back to empty, as the real register tells it apart from any code.
    assert (
        operator_client.post(url, {**data, "military_relation": "", "disabled_group": ""}).status_code == 302
    )
    employee.refresh_from_db()
    assert (employee.military_relation, employee.disabled_group) == (None, None)


def test_a_code_sent_through_the_api_outside_the_list_is_kept(
    operator_client: Client, employee: Person
) -> None:
    Person.objects.filter(pk=employee.pk).update(military_relation=7)
    url = reverse("mo:personal", args=[employee.oid])
    page = operator_client.get(url).content.decode()
    assert '<option value="7" selected>код 7</option>' in page
    data = {**PERSONAL, "snils": employee.snils, "military_relation": "7", "phone": "+7 912 345-67-89"}
    assert operator_client.post(url, data).status_code == 302
    employee.refresh_from_db()
    assert employee.military_relation == 7 and employee.phone == "+79123456789"
    # The extra choice belongs to that one form: the next person's form has only the list.
    Person.objects.filter(pk=employee.pk).update(military_relation=1)
    assert "код 7" not in operator_client.get(url).content.decode()


def test_a_military_relation_not_in_the_list_is_refused_in_russian(
    operator_client: Client, employee: Person
) -> None:
    data = {**PERSONAL, "snils": employee.snils, "military_relation": "9"}
    response = operator_client.post(reverse("mo:personal", args=[employee.oid]), data)
    assert response.status_code == 200
    assert "Выберите отношение к военной службе из списка." in response.content.decode()
    employee.refresh_from_db()
    assert employee.military_relation is None


def test_operator_saves_the_new_fields(operator_client: Client, employee: Person) -> None:
    response = operator_client.post(
        reverse("mo:personal", args=[employee.oid]), {**PERSONAL, "snils": employee.snils}
    )
    assert response.status_code == 302, response.context["form"].errors
    employee.refresh_from_db()
    assert (employee.mr, employee.student, employee.is_medical_worker, employee.is_pharm_worker) == (
        True,
        False,
        True,
        None,
    )
    assert (employee.oksm_code, employee.oksm_name, employee.military_relation) == ("643", "Россия", 2)
    assert (employee.is_disabled, employee.disabled_group, employee.disabled_group_name) == (True, 3, "III")
    assert employee.disabled_date == datetime.date(2016, 1, 22) and employee.covid19 is False


def test_the_file_shows_the_filled_in_fields_and_not_the_empty_ones(
    operator_client: Client, employee: Person
) -> None:
    data = {**PERSONAL, "snils": employee.snils, "military_relation": "", "disabled_group_name": ""}
    operator_client.post(reverse("mo:personal", args=[employee.oid]), data)
    page = operator_client.get(reverse("mo:person", args=[employee.oid])).content.decode()
    personal = page.split('id="personal"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Страна (код ОКСМ)</dt><dd>643</dd>" in personal
    assert "<dt>Инвалидность</dt><dd>да</dd>" in personal
    assert "<dt>Инвалидность установлена</dt><dd>22.01.2016</dd>" in personal
    assert "<dt>Обучающийся</dt><dd>нет</dd>" in personal
    # Not stated: no line at all, rather than a row of dashes.
    assert "Фармацевтический работник" not in personal and "Отношение к военной службе" not in personal


def test_bad_codes_are_refused_in_russian_and_the_input_is_kept(
    operator_client: Client, employee: Person
) -> None:
    data = {**PERSONAL, "snils": employee.snils, "oksm_code": "RU", "disabled_group": "7"}
    response = operator_client.post(reverse("mo:personal", args=[employee.oid]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Код страны по ОКСМ — три цифры, например 643." in page
    assert "Выберите группу инвалидности из списка: I, II или III группа." in page
    assert 'value="RU"' in page and 'value="III"' in page and 'value="2016-01-22"' in page
    employee.refresh_from_db()
    assert employee.oksm_code == "" and employee.is_disabled is None


def test_another_organizations_person_is_not_found(operator_client: Client, stranger: Person) -> None:
    url = reverse("mo:personal", args=[stranger.oid])
    assert operator_client.get(url).status_code == 404
    assert operator_client.post(url, {**PERSONAL, "snils": stranger.snils}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.oksm_code == ""


def test_a_person_without_the_cabinet_role_is_not_let_in(client: Client, employee: Person) -> None:
    user = User.objects.create_user(username="no-role", password="пароль-для-тестов")  # type: ignore[attr-defined]
    client.force_login(user)
    response = client.get(reverse("mo:personal", args=[employee.oid]))
    assert response.status_code in (302, 403)


def _diploma(**changes: str) -> dict[str, object]:
    return {
        "education_type": DictionaryEntry.objects.get(dictionary=oids.EDUCATION_TYPES, code="1").pk,
        "institution_code": "",
        "institution_name": "",
        "begin_year": "2002",
        "end_year": "2008",
        "doc_number": "ВСГ 0123456",
        "doc_date": "2008-06-30",
        "specialty_name": "Лечебное дело",
        **changes,
    }


def test_institution_is_picked_from_the_dictionary_and_the_api_reads_its_code(
    operator_client: Client, operator_a: User, employee: Person, org_a: Organization
) -> None:
    chita = DictionaryEntry.objects.get(dictionary=oids.INSTITUTIONS, name__contains="Читинская")
    url = reverse("mo:section_add", args=[employee.oid, "education"])
    form = operator_client.get(url).content.decode()
    assert "Образовательная организация (из справочника)" in form and chita.name in form
    assert operator_client.post(url, _diploma(institution_code=chita.code)).status_code == 302
    diploma = ProfessionalEducation.objects.get(person=employee)
    assert diploma.institution_code == int(chita.code) and diploma.institution_name == chita.name

    _, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    [record] = (
        ApiClient(Client(), raw, org_a.oid).get("person/prof", snils=employee.snils).json_body["content"]
    )
    assert record["institutionId"] == int(chita.code) and record["institutionName"] == chita.name


def test_institution_outside_the_dictionary_is_typed_in(operator_client: Client, employee: Person) -> None:
    url = reverse("mo:section_add", args=[employee.oid, "education"])
    typed = "Читинский государственный медицинский институт"
    assert operator_client.post(url, _diploma(institution_name=typed)).status_code == 302
    diploma = ProfessionalEducation.objects.get(person=employee)
    assert diploma.institution_code is None and diploma.institution_name == typed


def test_institution_neither_picked_nor_typed_is_refused_and_the_input_kept(
    operator_client: Client, employee: Person
) -> None:
    url = reverse("mo:section_add", args=[employee.oid, "education"])
    response = operator_client.post(url, _diploma(institution_code="999999"))
    page = response.content.decode()
    assert response.status_code == 200 and "Выберите организацию из списка." in page
    page = operator_client.post(url, _diploma()).content.decode()
    assert "Выберите образовательную организацию из справочника или впишите её название." in page
    assert 'value="ВСГ 0123456"' in page and 'value="2002"' in page
    assert not ProfessionalEducation.objects.filter(person=employee).exists()


def test_additional_education_requires_the_institution_code(
    operator_client: Client, employee: Person
) -> None:
    url = reverse("mo:section_add", args=[employee.oid, "additional"])
    data = {
        "kind": DictionaryEntry.objects.get(dictionary=oids.ADDITIONAL_EDUCATION_KINDS, code="1").pk,
        "institution_code": "",
        "institution_name": "Учебный центр без кода",
        "theme": "Неотложные состояния в терапии",
        "hours": "36",
        "doc_number": "772400012345",
        "doc_date": "2024-03-15",
    }
    page = operator_client.post(url, data).content.decode()
    assert "в этом разделе регистр хранит её код" in page and 'value="Учебный центр без кода"' in page
    rmanpo = DictionaryEntry.objects.get(dictionary=oids.INSTITUTIONS, name__contains="непрерывного")
    response = operator_client.post(url, {**data, "institution_code": rmanpo.code, "institution_name": ""})
    assert response.status_code == 302, response.context["form"].errors
    record = AdditionalEducation.objects.get(person=employee)
    assert record.institution_code == int(rmanpo.code) and record.institution_name == rmanpo.name


@pytest.mark.parametrize("slug", ["education", "postgraduate", "additional", "certificates"])
def test_the_institution_pick_comes_right_above_the_name_its_hint_points_to(
    operator_client: Client, employee: Person, slug: str
) -> None:
    form = operator_client.get(reverse("mo:section_add", args=[employee.oid, slug])).content.decode()
    pick, name = form.index('name="institution_code"'), form.index('name="institution_name"')
    assert pick < name
    # Nothing but the name's own label and hint between them: no other input.
    assert "<input" not in form[form.index("</select>", pick) : form.rindex("<input", 0, name)]


def _institution_select(client: Client, person: Person, slug: str) -> str:
    form = client.get(reverse("mo:section_add", args=[person.oid, slug])).content.decode()
    return form[form.rindex("<select", 0, form.index('name="institution_code"')) :].split(">", 1)[0]


def test_where_the_register_keeps_the_institution_code_the_pick_is_marked_required(
    operator_client: Client, employee: Person
) -> None:
    assert "required" in _institution_select(operator_client, employee, "certificates")
    assert "required" not in _institution_select(operator_client, employee, "education")
