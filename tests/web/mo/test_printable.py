"""The cabinet refuses control characters and malformed passports with Russian messages, keeping the
input (issue 13, points 9 and 14)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Department, IdentityDocument, Organization, Person


def test_department_name_with_control_characters_is_refused(
    operator_client: Client, org_a: Organization
) -> None:
    response = operator_client.post(reverse("mo:organization"), {"name": "Хирургия\u202e\x07"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "недопустимый управляющий символ" in page and "U+202E" in page
    assert not Department.objects.filter(name__startswith="Хирургия").exists()


def test_passport_form_checks_series_and_number(operator_client: Client, employee: Person) -> None:
    url = reverse("mo:section_add", args=[employee.oid, "documents"])
    passport = DictionaryEntry.objects.get(dictionary=oids.IDENTITY_DOCUMENT_TYPES, code="1")
    data = {
        "document_type": passport.pk,
        "series": "76О9",  # a Cyrillic «О» for a zero
        "number": "45698",
        "issue_date": "2006-02-10",
        "issued_by": "УФМС России по Забайкальскому краю",
    }
    response = operator_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Серия этого документа — 4 цифры, например 7609." in page
    assert "Номер этого документа — 6 цифр, например 456987." in page
    assert 'value="76О9"' in page and 'value="45698"' in page
    assert not IdentityDocument.objects.filter(person=employee).exists()
    data.update(series="76 09", number="456987")
    assert operator_client.post(url, data).status_code == 302
    assert IdentityDocument.objects.get(person=employee).series == "7609"
