from __future__ import annotations

import datetime

import pytest
from django.test import Client

from frmr.nsi import oids
from frmr.registry.models import AccreditationRecord
from tests.factories import PersonFactory, dict_entry

pytestmark = pytest.mark.django_db


def make_record(number: str, pass_date: datetime.date, end_date: datetime.date) -> AccreditationRecord:
    person = PersonFactory(last_name="Смирнова", first_name="Анна", patronymic="Олеговна")
    return AccreditationRecord.objects.create(
        person=person,
        registry_number=number,
        kind=dict_entry(oids.ACCREDITATION_KINDS, "3", "Периодическая аккредитация"),
        specialty=dict_entry(oids.SPECIALTIES, "1001", "Лечебное дело"),
        pass_date=pass_date,
        end_date=end_date,
        protocol_number="7",
        protocol_date=pass_date,
    )


def test_anonymous_visitor_sees_the_record_and_nothing_else_personal(client: Client) -> None:
    today = datetime.date.today()
    record = make_record(
        "2026-0000001", today - datetime.timedelta(days=10), today + datetime.timedelta(days=100)
    )
    response = client.get(f"/check/{record.registry_number}")
    assert response.status_code == 200
    text = response.content.decode()
    for shown in (
        "Смирнова Анна Олеговна",
        "Лечебное дело",
        "Периодическая аккредитация",
        "действительна сегодня",
    ):
        assert shown in text
    assert record.person.snils not in text
    assert record.person.birth_date.strftime("%d.%m.%Y") not in text


def test_expired_record_is_shown_as_not_valid(client: Client) -> None:
    today = datetime.date.today()
    make_record("2020-0000001", datetime.date(2020, 1, 10), today - datetime.timedelta(days=1))
    assert "сегодня не действительна" in client.get("/check/2020-0000001").content.decode()


def test_unknown_number_is_a_404_page(client: Client) -> None:
    response = client.get("/check/2026-9999999")
    assert response.status_code == 404
    assert "ничего не найдено" in response.content.decode()


# --- issue 12.7: /check/ is a form -------------------------------------------------------------------


def test_check_without_a_number_is_the_form(client: Client) -> None:
    response = client.get("/check/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Номер реестровой записи" in text and 'name="number"' in text


def test_a_typed_number_opens_its_record(client: Client) -> None:
    today = datetime.date.today()
    make_record("2026-0000042", today, today + datetime.timedelta(days=100))
    response = client.get("/check/", {"number": "  2026-0000042 "})
    assert response.status_code == 302 and response["Location"] == "/check/2026-0000042"
    assert "Смирнова Анна Олеговна" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("typed", ["2026 0000042", "2026.0000042", "20260000042"])
def test_a_number_typed_with_a_space_or_without_the_hyphen_finds_the_record(
    client: Client, typed: str
) -> None:
    today = datetime.date.today()
    make_record("2026-0000042", today, today + datetime.timedelta(days=100))
    response = client.get("/check/", {"number": typed}, follow=True)
    assert response.redirect_chain[-1][0] == "/check/2026-0000042"
    assert response.status_code == 200 and "Смирнова Анна Олеговна" in response.content.decode()


def test_a_record_kept_with_a_space_is_found_as_kept(client: Client) -> None:
    today = datetime.date.today()
    make_record("2026 0000043", today, today + datetime.timedelta(days=100))
    response = client.get("/check/", {"number": "2026 0000043"}, follow=True)
    assert response.status_code == 200 and "Смирнова Анна Олеговна" in response.content.decode()


def test_an_empty_number_asks_for_one(client: Client) -> None:
    response = client.get("/check/", {"number": "   "})
    assert response.status_code == 400
    assert "Введите номер реестровой записи" in response.content.decode()


@pytest.mark.parametrize("typed", ["abc", "2026", "2026-00000ХХ", "1" * 60])
def test_a_malformed_number_is_refused_in_russian_and_kept(client: Client, typed: str) -> None:
    response = client.get("/check/", {"number": typed})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Номер реестровой записи состоит из цифр" in text
    assert "error-summary" in text


def test_an_unknown_number_offers_the_form_again(client: Client) -> None:
    response = client.get("/check/", {"number": "2026-9999999"})
    page = client.get(response["Location"])
    assert page.status_code == 404
    assert 'value="2026-9999999"' in page.content.decode()
