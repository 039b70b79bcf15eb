from __future__ import annotations

from django.test import Client
from django.urls import reverse

from frmr.audit.models import AuditEntry
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Organization, Person, ProfessionalEducation
from tests.factories import ProfessionalEducationFactory


def entry(oid: str, code: str) -> DictionaryEntry:
    return DictionaryEntry.objects.get(dictionary=oid, code=code)


def test_dismissal_before_hire_is_refused_with_the_message(operator_client: Client, employee: Person) -> None:
    card = employee.cards.get()
    reason = entry(oids.DISMISSAL_REASONS, "2")
    response = operator_client.post(
        reverse("mo:dismiss", args=[card.pk]), {"end_date": "2010-01-01", "end_reason": reason.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Дата увольнения не может быть раньше даты приёма." in page
    card.refresh_from_db()
    assert card.end_date is None
    response = operator_client.post(
        reverse("mo:dismiss", args=[card.pk]),
        {"end_date": "2024-01-31", "end_reason": reason.pk, "confirm": "1"},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert str(card.end_date) == "2024-01-31"


def test_hire_transfer_absence(operator_client: Client, employee: Person, org_a: Organization) -> None:
    card = employee.cards.get()
    department = org_a.departments.get()
    position = entry(oids.POSITIONS, "2083")
    response = operator_client.post(
        reverse("mo:transfer", args=[card.pk]),
        {
            "transfer_date": "2022-01-10",
            "end_reason": entry(oids.DISMISSAL_REASONS, "2").pk,
            "department": department.pk,
            "position": position.pk,
            "position_type": entry(oids.POSITION_TYPES, "1").pk,
            "rate": "0.50",
        },
    )
    assert response.status_code == 302
    new = employee.cards.get(end_date__isnull=True)
    assert new.position == position and str(new.rate) == "0.50"
    response = operator_client.post(
        reverse("mo:absence_add", args=[new.pk]),
        {"reason": entry(oids.ABSENCE_REASONS, "1").pk, "begin_date": "2023-02-01", "end_date": "2023-06-20"},
    )
    assert response.status_code == 302 and new.absences.count() == 1
    page = operator_client.get(reverse("mo:person", args=[employee.oid])).content.decode()
    assert "Врач-терапевт" in page and "01.02.2023" in page


def test_sections_add_edit_delete_and_history(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    url = reverse("mo:section_add", args=[employee.oid, "education"])
    data = {
        "education_type": entry(oids.EDUCATION_TYPES, "1").pk,
        "institution_name": "Читинская государственная медицинская академия",
        "begin_year": "2002",
        "end_year": "2001",
        "doc_number": "ВСГ 0123456",
        "doc_date": "2008-06-30",
        "specialty_name": "Лечебное дело",
    }
    page = operator_client.post(url, data).content.decode()
    assert "Год окончания не может быть раньше года поступления." in page
    data["end_year"] = "2008"
    assert operator_client.post(url, data).status_code == 302
    diploma = ProfessionalEducation.objects.get(person=employee)
    data["doc_number"] = "ВСГ 7654321"
    edit = reverse("mo:section_edit", args=[employee.oid, "education", diploma.pk])
    assert operator_client.post(edit, data).status_code == 302
    history = operator_client.get(reverse("mo:history", args=[employee.oid])).content.decode()
    assert "ВСГ 0123456" in history and "ВСГ 7654321" in history and "Городская больница № 1" in history
    delete = reverse("mo:section_delete", args=[employee.oid, "education", diploma.pk])
    assert operator_client.post(delete).status_code == 302
    assert not ProfessionalEducation.objects.filter(pk=diploma.pk).exists()
    assert AuditEntry.objects.filter(person=employee, action="delete").count() == 1


def test_record_of_another_organization_cannot_be_edited(
    operator_client: Client, employee: Person, org_b: Organization
) -> None:
    foreign = ProfessionalEducationFactory(person=employee, organization=org_b)
    page = operator_client.get(reverse("mo:person", args=[employee.oid])).content.decode()
    assert reverse("mo:section_edit", args=[employee.oid, "education", foreign.pk]) not in page
    response = operator_client.get(reverse("mo:section_edit", args=[employee.oid, "education", foreign.pk]))
    assert response.status_code == 403


def test_personal_data_and_departments(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    form = operator_client.get(reverse("mo:personal", args=[employee.oid])).content.decode()
    assert 'value="Кузнецова"' in form
    data = {
        "snils": employee.snils,
        "last_name": "Кузнецова-Орлова",
        "first_name": "Мария",
        "patronymic": "Викторовна",
        "gender": "2",
        "birth_date": "1985-03-14",
        "phone": "8 (912) 345-67-89",
    }
    response = operator_client.post(reverse("mo:personal", args=[employee.oid]), data)
    assert response.status_code == 302, response.context["form"].errors
    employee.refresh_from_db()
    assert employee.last_name == "Кузнецова-Орлова" and employee.phone == "+79123456789"
    response = operator_client.post(reverse("mo:organization"), {"name": "Хирургическое отделение"})
    assert response.status_code == 302
    department = org_a.departments.get(name="Хирургическое отделение")
    assert department.oid.startswith(org_a.oid + ".0.")
    page = operator_client.post(
        reverse("mo:organization"), {"name": "Хирургическое отделение"}
    ).content.decode()
    assert "уже есть подразделение с таким наименованием" in page
    response = operator_client.post(
        reverse("mo:department", args=[department.pk]), {"name": "Хирургия", "is_active": ""}
    )
    department.refresh_from_db()
    assert response.status_code == 302 and department.name == "Хирургия" and not department.is_active
