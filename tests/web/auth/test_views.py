"""The login views against a scriptable ЕСИА stand-in: every refusal ends on a page of the site with a
Russian explanation and the right status, never a 500. The emulator-driven flow is in test_flow_*.py."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings

import gostkit
from frmr.accounts import roles
from frmr.accounts.models import Role, RoleGrant, User
from frmr.audit.models import AuditEntry
from frmr.esia.errors import CODE_MESSAGES
from tests.esia_fake import FakeEsia, Keys, ivanova_json, token_route
from tests.esia_people import IVANOVA_OID, make_ivanova, make_organization
from web.auth import session as auth_session

pytestmark = pytest.mark.django_db

CALLBACK = "/login/esia/callback/"


@pytest.fixture
def esia(keys: Keys, fake_esia: FakeEsia) -> Iterator[FakeEsia]:
    fake_esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, fake_esia))
    fake_esia.routes[f"/rs/prns/{IVANOVA_OID}"] = (200, ivanova_json())
    with override_settings(**keys.settings(fake_esia.url)):
        yield fake_esia


def start_login(client: Client, **params: str) -> str:
    response = client.get("/login/", params)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    return query["state"][0]


def finish_login(client: Client, state: str, **params: str) -> Any:
    return client.get(CALLBACK, {"code": "the-code", "state": state, **params})


def page_text(response: Any) -> str:
    return response.content.decode()


def assert_site_page(response: Any, status: int, *texts: str) -> None:
    assert response.status_code == status
    html = page_text(response)
    assert 'class="site-header"' in html, "error pages keep the site layout"
    for text in texts:
        assert text in html


# --- the way in -------------------------------------------------------------------------------


def test_login_redirects_to_esia_with_a_state_remembered_in_session(client: Client, esia: FakeEsia) -> None:
    response = client.get("/login/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(esia.url + "/aas/oauth2/v2/ac?")
    state = parse_qs(urlsplit(location).query)["state"][0]
    assert state in client.session[auth_session.PENDING_KEY]


def test_worker_login_lands_on_the_cabinet(client: Client, esia: FakeEsia) -> None:
    person = make_ivanova()
    response = finish_login(client, start_login(client))
    assert "Сменить роль" not in page_text(client.get("/lk/")), "one role, nothing to change"
    assert response.status_code == 302 and response["Location"] == "/lk/"
    user = User.objects.get(esia_oid=IVANOVA_OID)
    assert user.person == person
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[auth_session.ESIA_SESSION_KEY]["sid"] == "sid-1"
    assert client.session[auth_session.ACTIVE_ROLE_KEY]["role"] == "worker"
    assert AuditEntry.objects.filter(actor=user, action="login").count() == 1
    page = client.get("/lk/")
    assert_site_page(page, 200, "Иванова Анна Сергеевна", "112-233-445 95")


def test_login_changes_the_session_id(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    state = start_login(client)
    before = client.session.session_key
    finish_login(client, state)
    assert client.session.session_key != before


def test_next_is_honoured_only_for_local_paths(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    response = finish_login(client, start_login(client, next="/lk/?tab=1"))
    assert response["Location"] == "/lk/?tab=1"
    client.logout()
    response = finish_login(client, start_login(client, next="https://evil.example/"))
    assert response["Location"] == "/lk/"


def test_state_is_single_use(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    state = start_login(client)
    assert finish_login(client, state).status_code == 302
    client.logout()
    assert_site_page(finish_login(client, state), 400, "Не найден начатый вход", "Попробовать снова")


def test_two_tabs_each_keep_their_state(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    first, second = start_login(client), start_login(client)
    assert first != second
    assert finish_login(client, first).status_code == 302


def test_person_without_record_sees_no_data_page(client: Client, esia: FakeEsia) -> None:
    organizations = {"elements": [{"fullName": "ГБУЗ «Городская поликлиника № 3»", "ogrn": "1"}]}
    esia.routes[f"/rs/prns/{IVANOVA_OID}"] = (200, ivanova_json(organizations=organizations))
    response = finish_login(client, start_login(client))
    assert response["Location"] == "/no-data/"
    page = client.get("/no-data/")
    assert_site_page(page, 200, "Сведений о вас в регистре пока нет", "работодатель", "К кому обратиться",
                     "ГБУЗ «Городская поликлиника № 3»", "112-233-445 95")  # fmt: skip
    # The header still lets them log out, and «Личные данные» is not offered.
    assert ">Выход</button>" in page_text(page) and "Личные данные" not in page_text(page)
    assert client.get("/lk/")["Location"] == "/no-data/"


def test_several_roles_go_to_the_chooser(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    finish_login(client, start_login(client))
    user = User.objects.get(esia_oid=IVANOVA_OID)
    RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=make_organization())
    RoleGrant.objects.create(user=user, role=Role.ADMIN)
    client.logout()
    response = finish_login(client, start_login(client))
    assert response["Location"] == "/choose-role/"
    page = client.get("/choose-role/")
    expected = ["Медицинский работник", "Оператор медицинской организации",
                "ГБУЗ «Городская клиническая больница № 1»", "Администратор"]  # fmt: skip
    assert_site_page(page, 200, *expected)
    html = page_text(page)
    assert 'value="worker"' in html and 'value="admin"' in html
    assert 'value="operator:' in html, "the employer cabinet (web/mo) exists"
    assert '<a href="/choose-role/">Сменить роль</a>' in html
    chosen = client.post("/choose-role/", {"role": "admin"})
    assert chosen.status_code == 302 and chosen["Location"] == "/admin/"
    assert client.session[auth_session.ACTIVE_ROLE_KEY]["role"] == "admin"


def test_chooser_refuses_a_role_the_user_does_not_have(client: Client) -> None:
    user = User.objects.create(username="w", person=make_ivanova())
    client.force_login(user)
    response = client.post("/choose-role/", {"role": "admin"})
    assert_site_page(response, 400, "Такой роли у вас нет")
    assert auth_session.ACTIVE_ROLE_KEY not in client.session


def test_only_role_without_cabinet_goes_to_chooser_with_note(
    client: Client, esia: FakeEsia, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every role has a cabinet once web/mo is merged: pretend the operator's is still missing.
    monkeypatch.setitem(roles.ROLE_HOMES, Role.OPERATOR.value, "not_built_yet:home")
    user = User.objects.create(username="op", esia_oid=IVANOVA_OID)
    RoleGrant.objects.create(user=user, role=Role.OPERATOR, organization=make_organization())
    response = finish_login(client, start_login(client))
    assert response["Location"] == "/choose-role/"
    assert_site_page(
        client.get("/choose-role/"), 200, "Оператор медицинской организации", "кабинет подключается"
    )


def test_only_role_with_cabinet_goes_straight_there(client: Client, esia: FakeEsia) -> None:
    user = User.objects.create(username="fac", esia_oid=IVANOVA_OID)
    RoleGrant.objects.create(user=user, role=Role.FAC_STAFF)
    response = finish_login(client, start_login(client))
    assert response["Location"] == "/fac/"
    assert client.session[auth_session.ACTIVE_ROLE_KEY]["role"] == "fac_staff"


# --- refusals ---------------------------------------------------------------------------------


def test_mismatched_state(client: Client, esia: FakeEsia) -> None:
    start_login(client)
    response = finish_login(client, "00000000-0000-4000-8000-000000000000")
    assert_site_page(response, 400, "не относится к этому входу", "Попробовать снова")
    assert "_auth_user_id" not in client.session


def test_missing_state(client: Client, esia: FakeEsia) -> None:
    response = client.get(CALLBACK, {"code": "x"})
    assert_site_page(response, 400, "Не найден начатый вход")


def test_expired_state(client: Client, esia: FakeEsia) -> None:
    state = start_login(client)
    session = client.session
    pending = session[auth_session.PENDING_KEY]
    pending[state]["created"] = time.time() - 11 * 60
    session[auth_session.PENDING_KEY] = pending
    session.save()
    response = finish_login(client, state)
    assert_site_page(response, 400, "Время на вход истекло", "10 минут")
    assert not esia.received, "an expired state never reaches ЕСИА"


def test_callback_without_code(client: Client, esia: FakeEsia) -> None:
    state = start_login(client)
    assert_site_page(client.get(CALLBACK, {"state": state}), 400, "не передали код")


def test_forged_token_is_refused(client: Client, keys: Keys, esia: FakeEsia) -> None:
    make_ivanova()
    forger = gostkit.generate_private_key()
    esia.routes["/aas/oauth2/v3/te"] = (200, token_route(keys, esia, key=forger))
    response = finish_login(client, start_login(client))
    assert_site_page(response, 502, "Не удалось проверить ответ Госуслуг", "Подпись")
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_expired_token_is_refused(client: Client, keys: Keys, esia: FakeEsia) -> None:
    past = int(time.time()) - 7200
    esia.routes["/aas/oauth2/v3/te"] = (
        200, token_route(keys, esia, access={"exp": past, "iat": past - 3600, "nbf": past - 3600})
    )  # fmt: skip
    response = finish_login(client, start_login(client))
    assert_site_page(response, 502, "Срок действия ключа доступа истёк")
    assert "_auth_user_id" not in client.session


def test_token_exchange_error_code_is_shown_with_advice(client: Client, esia: FakeEsia) -> None:
    esia.routes["/aas/oauth2/v3/te"] = (
        400, {"error": "invalid_client", "error_description": "ESIA-007053: client_secret неверен"}
    )  # fmt: skip
    response = finish_login(client, start_login(client))
    assert_site_page(response, 502, "ESIA-007053", "Подпись запроса", "службу поддержки")


def test_esia_error_in_callback(client: Client, esia: FakeEsia) -> None:
    state = start_login(client)
    response = client.get(
        CALLBACK,
        {"error": "invalid_request", "error_description": "ESIA-007023: redirect_uri", "state": state},
    )
    assert_site_page(response, 502, "ESIA-007023", "Адрес возврата", "Попробовать снова")
    assert not esia.received


def test_esia_errors_are_counted_by_known_code_only(client: Client, esia: FakeEsia) -> None:
    from frmr.core.observability import metrics

    def count(code: str) -> float:
        return float(metrics.ESIA_ERRORS.labels(code)._value.get())  # type: ignore[attr-defined]

    before = {code: count(code) for code in ("ESIA-007023", "other")}
    for description in ("ESIA-007023: redirect_uri", "ESIA-999999: придумано"):
        client.get(
            CALLBACK,
            {"error": "invalid_request", "error_description": description, "state": start_login(client)},
        )
    assert count("ESIA-007023") == before["ESIA-007023"] + 1
    assert count("other") == before["other"] + 1, "a code ЕСИА does not have is no label of its own"
    assert count("ESIA-999999") == 0


def test_user_refused(client: Client, esia: FakeEsia) -> None:
    state = start_login(client)
    response = client.get(
        CALLBACK,
        {"error": "access_denied", "error_description": "ESIA-007004: Пользователь отказал", "state": state},
    )
    assert_site_page(response, 403, "Вход отменён", "Попробовать снова")
    assert "warning-box" not in page_text(response), "a cancelled login is not an alarm"


def test_broken_client_secret_is_not_shown_as_the_users_refusal(client: Client, esia: FakeEsia) -> None:
    """What the real ЕСИА answers to a wrong signature or certificate hash (issue 10, part 2.1)."""
    state = start_login(client)
    response = client.get(
        CALLBACK,
        {
            "error": "access_denied",
            "error_description": "ESIA-007053: OAuthErrorEnum.clientSecretWrong",
            "state": state,
        },
    )
    assert_site_page(response, 502, "ESIA-007053", "Подпись запроса", "службу поддержки")
    assert "Вход отменён" not in page_text(response)
    assert "OAuthErrorEnum" not in page_text(response)


@pytest.mark.parametrize("code", sorted(CODE_MESSAGES))
def test_every_documented_code_in_the_callback_gets_its_page(
    client: Client, esia: FakeEsia, code: str
) -> None:
    state = start_login(client)
    description = f"{code}: <b>ЕСИА wrote this</b>"
    response = client.get(
        CALLBACK, {"error": "invalid_request", "error_description": description, "state": state}
    )
    html = page_text(response)
    if code == "ESIA-007004":
        assert_site_page(response, 403, "Вход отменён")
    elif code in ("ESIA-007007", "ESIA-007008"):
        assert_site_page(response, 503, "Госуслуги временно недоступны", code)
    else:
        assert_site_page(response, 502, "Госуслуги не выполнили вход", code)
        assert CODE_MESSAGES[code].replace("«", "&laquo;") in html or CODE_MESSAGES[code] in html
    assert "ЕСИА wrote this" not in html
    assert "_auth_user_id" not in client.session
    assert not esia.received


def test_error_answer_without_a_started_login_shows_no_text_of_it(client: Client, esia: FakeEsia) -> None:
    """A link to the callback with a made-up error is not ЕСИА's word (issue 13, point 10)."""
    response = client.get(
        CALLBACK,
        {
            "error": "invalid_request",
            "error_description": "ESIA-007023: Позвоните по номеру 8-800-000-00-00",
            "state": "00000000-0000-4000-8000-000000000000",
        },
    )
    assert_site_page(response, 400, "Не найден начатый вход")
    html = page_text(response)
    assert "8-800" not in html and "ESIA-007023" not in html


def test_error_answer_with_a_foreign_state_shows_no_text_of_it(client: Client, esia: FakeEsia) -> None:
    start_login(client)
    response = client.get(
        CALLBACK,
        {"error": "access_denied", "error_description": "ESIA-007004: Позвоните нам", "state": "чужой"},
    )
    assert_site_page(response, 400, "не относится к этому входу")
    assert "Позвоните" not in page_text(response) and "Вход отменён" not in page_text(response)


def test_unknown_code_shows_our_words_not_esias(client: Client, esia: FakeEsia) -> None:
    state = start_login(client)
    response = client.get(
        CALLBACK,
        {"error": "invalid_request", "error_description": "ESIA-999999: Позвоните нам", "state": state},
    )
    assert_site_page(response, 502, "ESIA-999999", "которую портал не знает")
    assert "Позвоните" not in page_text(response)


@pytest.mark.parametrize("state", ["состояние", "é", "\u2603" * 40, "%ff"])
def test_non_ascii_state_is_a_page_not_a_crash(client: Client, esia: FakeEsia, state: str) -> None:
    """secrets.compare_digest refuses non-ASCII text (issue 13, point 9)."""
    start_login(client)
    response = client.get(CALLBACK, {"code": "x", "state": state})
    assert_site_page(response, 400, "не относится к этому входу")
    response = client.get(CALLBACK, {"error": "access_denied", "state": state})
    assert response.status_code == 400


def test_esia_unreachable(client: Client, keys: Keys) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with override_settings(**keys.settings(closed, ESIA_TIMEOUT_SECONDS=2)):
        response = finish_login(client, start_login(client))
    assert_site_page(response, 503, "Госуслуги временно недоступны")


def test_esia_server_error(client: Client, esia: FakeEsia) -> None:
    esia.routes["/aas/oauth2/v3/te"] = (500, b"oops")
    assert_site_page(finish_login(client, start_login(client)), 503, "Госуслуги временно недоступны")


def test_broken_key_configuration_is_a_page_not_a_crash(client: Client, keys: Keys, tmp_path) -> None:
    with override_settings(**keys.settings("http://127.0.0.1:1", ESIA_KEY_PATH=str(tmp_path / "none.pem"))):
        response = client.get("/login/")
    assert_site_page(response, 503, "Вход временно недоступен")


# --- logout -----------------------------------------------------------------------------------


def test_logout_ends_both_sessions(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    finish_login(client, start_login(client))
    confirm = client.get("/logout/")
    assert_site_page(confirm, 200, "Выйти из личного кабинета?")
    response = client.post("/logout/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(esia.url + "/idp/ext/Logout?")
    assert parse_qs(urlsplit(location).query) == {
        "client_id": ["FRMR01"],
        "redirect_url": ["http://testserver/"],
    }
    assert "_auth_user_id" not in client.session
    assert client.get("/lk/")["Location"].startswith("/login/")


def test_logout_without_esia_logout(client: Client, esia: FakeEsia) -> None:
    make_ivanova()
    finish_login(client, start_login(client))
    with override_settings(ESIA_LOGOUT_ENABLED=False):
        response = client.post("/logout/")
    assert response["Location"] == "http://testserver/"


def test_logout_needs_csrf(esia: FakeEsia) -> None:
    strict = Client(enforce_csrf_checks=True)
    user = User.objects.create(username="w", person=make_ivanova())
    strict.force_login(user)
    assert strict.post("/logout/").status_code == 403
    assert "_auth_user_id" in strict.session


def test_anonymous_logout(client: Client) -> None:
    assert client.get("/logout/")["Location"] == "/"
    assert client.post("/logout/")["Location"] == "http://testserver/"


def test_logout_form_is_allowed_to_redirect_to_esia_by_csp(client: Client, esia: FakeEsia) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if part.strip().startswith("form-action"))
    assert esia.url in form_action and "'self'" in form_action


# --- who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/lk/", "/choose-role/", "/no-data/", "/login/done/"])
def test_anonymous_is_sent_to_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={path}")


def test_logged_in_user_asking_for_login_goes_home(client: Client) -> None:
    client.force_login(User.objects.create(username="w", person=make_ivanova()))
    assert client.get("/login/")["Location"] == "/login/done/"
    assert client.get("/login/done/")["Location"] == "/lk/"


def test_user_with_record_is_not_shown_the_no_data_page(client: Client) -> None:
    client.force_login(User.objects.create(username="w", person=make_ivanova()))
    assert client.get("/no-data/")["Location"] == "/login/done/"
