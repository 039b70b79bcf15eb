"""Russian error pages in the site's layout, with DEBUG off (the default, `make run` included)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from frmr.accounts.models import User

pytestmark = pytest.mark.django_db

LEAKS = ("Traceback", "Using the URLconf", "config.urls", "hunter2", "db.internal", "10.0.0.9", "5432")


def _no_leak(body: str) -> None:
    for fragment in LEAKS:
        assert fragment not in body


def test_debug_is_off_in_the_test_run_as_in_development() -> None:
    assert settings.DEBUG is False


@pytest.mark.parametrize("logged_in", [False, True])
def test_an_unknown_address_gets_the_russian_404_page_without_the_url_patterns(
    client: Client, worker: User, logged_in: bool
) -> None:
    if logged_in:
        client.force_login(worker)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Страница не найдена</h1>" in body
    assert 'class="site-header"' in body and "На главную страницу" in body
    assert ("user-menu" in body) is logged_in  # the layout, with the user menu for a logged-in user
    _no_leak(body)
    assert "&lt;str:" not in body and "&lt;int:" not in body  # no pattern of the URLconf


@override_settings(ROOT_URLCONF="tests.web.errors.urls")
def test_a_refusal_gets_the_russian_403_page(client: Client, worker: User) -> None:
    client.force_login(worker)
    response = client.get("/test-refused/")
    assert response.status_code == 403
    assert "<h1>Доступ закрыт</h1>" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_russian_403_page(worker: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    response = client.post("/logout/")
    assert response.status_code == 403
    assert "<h1>Форма устарела</h1>" in response.content.decode()


def test_a_wrong_method_gets_the_russian_405_page_with_allow(client: Client, fac_staff: User) -> None:
    client.force_login(fac_staff)
    response = client.delete("/choose-role/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "<h1>Действие недоступно</h1>" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.web.errors.urls")
def test_a_failing_view_gets_the_russian_500_page_without_details(worker: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(worker)
    response = client.get("/test-boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Ошибка на сервере</h1>" in body and 'class="site-header"' in body
    _no_leak(body)


@override_settings(ROOT_URLCONF="tests.web.errors.urls")
def test_a_database_failure_in_a_view_is_503_with_retry_after(client: Client) -> None:
    response = client.get("/test-database-gone/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>Регистр временно недоступен</h1>" in body
    _no_leak(body)


def test_the_500_and_503_pages_render_without_a_request_or_the_database(
    django_assert_num_queries: object,
) -> None:
    from django.template import loader

    for name in ("500.html", "503.html"):
        with django_assert_num_queries(0):  # type: ignore[operator]
            body = loader.get_template(name).render()
        assert "/static/css/frmr.css" in body and "user-menu" not in body
