from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry

pytestmark = pytest.mark.usefixtures("loaded")
URL = "/admin/nsi/dictionaryentry/"


@pytest.fixture
def admin_client_ru(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("nsi-admin", "nsi@example.org", "Пароль-для-теста-1")
    client.force_login(user)
    return client


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_superuser_sees_dictionary_filtered_and_searched(admin_client_ru: Client) -> None:
    response = admin_client_ru.get(URL, {"dictionary": oids.REGIONS, "q": "Татарстан"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Республика Татарстан (Татарстан)" in html
    assert "Субъекты Российской Федерации" in html  # the filter shows human names
    assert "Москва" not in html.split("result_list")[1]


def test_entries_cannot_be_deleted_but_can_be_retired(admin_client_ru: Client) -> None:
    entry = DictionaryEntry.objects.of(oids.AWARD_KINDS).get(code="1")
    assert admin_client_ru.get(f"{URL}{entry.pk}/delete/").status_code == 403
    response = admin_client_ru.post(URL, {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert DictionaryEntry.objects.filter(pk=entry.pk).exists()
    response = admin_client_ru.post(
        URL, {"action": "retire_today", "_selected_action": [entry.pk]}, follow=True
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.valid_to is not None


def test_change_form_keeps_dictionary_and_code_read_only(admin_client_ru: Client) -> None:
    entry = DictionaryEntry.objects.of(oids.REGIONS).get(code="77")
    html = admin_client_ru.get(f"{URL}{entry.pk}/change/").content.decode()
    assert 'name="code"' not in html
    assert 'name="name"' in html


def test_filter_offers_imported_dictionaries_the_register_has_no_name_for(admin_client_ru: Client) -> None:
    for code in ("1", "2"):
        DictionaryEntry.objects.create(dictionary="1.2.643.5.1.13.13.11.1461", code=code, name=f"МО {code}")
    html = admin_client_ru.get(URL).content.decode()
    assert html.count("?dictionary=1.2.643.5.1.13.13.11.1461") == 1
