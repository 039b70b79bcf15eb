from __future__ import annotations

import pytest
from django.test import Client

from frmr.accounts.models import User
from tests.esia_people import make_card, make_ivanova, make_organization, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivanova_client(client: Client) -> Client:
    person = make_ivanova()
    user = User.objects.create(
        username="esia-1000000001", esia_oid="1000000001", last_name="Иванова", first_name="Анна",
        patronymic="Сергеевна", person=person,
    )  # fmt: skip
    client.force_login(user)
    return client


def test_main_page_shows_own_name_snils_and_current_work(ivanova_client: Client) -> None:
    response = ivanova_client.get("/lk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Личный кабинет медицинского работника" in html
    assert '<h1 id="lk-full-name">Иванова Анна Сергеевна</h1>' in html
    # Issue 12.10: the name once in the page's content, one call to apply.
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("Иванова Анна Сергеевна") == 1
    assert main.count("Подать заявление на аккредитацию") == 1
    assert '<dd id="lk-snils">112-233-445 95</dd>' in html
    assert "ГБУЗ «Городская клиническая больница № 1»" in html
    assert "врач-терапевт участковый" in html
    # A closed card is history, not a current place of work.
    assert "Поликлиника № 5" not in html


def test_header_has_the_name_and_the_menu(ivanova_client: Client) -> None:
    html = ivanova_client.get("/lk/").content.decode()
    assert (
        'title="Иванова Анна Сергеевна"><span class="user-menu__name">Иванова Анна Сергеевна</span></summary>'
        in html
    )
    assert '<a href="/lk/file/personal/">Личные данные</a>' in html
    assert 'action="/logout/"' in html and ">Выход</button>" in html


def test_worker_sees_only_their_own_data(ivanova_client: Client) -> None:
    other = make_person(snils="19056783401", last_name="Новиков", first_name="Павел", patronymic="", n=9)
    make_card(other, make_organization("ГБУЗ «Больница Новикова»", n=9))
    html = ivanova_client.get("/lk/", {"person": other.pk, "snils": other.snils}).content.decode()
    assert "Новиков" not in html and "190-567-834 01" not in html and "Больница Новикова" not in html
    assert "Иванова Анна Сергеевна" in html


def test_anonymous_goes_to_login(client: Client) -> None:
    response = client.get("/lk/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/lk/"


def test_user_without_record_goes_to_no_data_page(client: Client) -> None:
    client.force_login(User.objects.create(username="novikov", esia_oid="1000000009"))
    assert client.get("/lk/")["Location"] == "/no-data/"


def test_worker_without_current_cards_is_told_what_to_do(client: Client) -> None:
    person = make_person()
    client.force_login(User.objects.create(username="w", person=person))
    html = client.get("/lk/").content.decode()
    assert "нет открытых карточек" in html


def test_post_is_not_allowed(ivanova_client: Client) -> None:
    assert ivanova_client.post("/lk/").status_code == 405
