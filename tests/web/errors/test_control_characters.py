"""A NUL byte (or another control character) in a path or query is a 400, never a 500.

PostgreSQL refuses NUL in any text value, so these were 500s there; run on PostgreSQL to see them fail
without web.errors.middleware.RejectControlCharactersMiddleware. The sweep opens every URL pattern of
the site with %00 in each path parameter, and with `?q=%00`, as every role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from frmr.accounts.models import User

pytestmark = pytest.mark.django_db

REPORTED = [
    ("/check/%00", None),
    ("/mo/?q=%00", "operator_a"),
    ("/mo/employees/%00/", "operator_a"),
    ("/mo/employees/%00/history/", "operator_a"),
    ("/fac/?status=%00", "fac_staff"),
    ("/lk/accreditation/%00/extract.pdf", "worker"),
]
ROLES = ["worker", "operator_a", "fac_staff", "secretary", "admin_user"]
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-4000-8000-000000000000", "path": "x"}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # the admin's two regular expressions: covered by "admin/<…>" routes around them
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        else:
            yield route


def _addresses() -> list[str]:
    """Every route with %00 in one text parameter at a time (the others sampled), and each with ?q=%00."""
    found: set[str] = set()
    for route in _routes(get_resolver().url_patterns):
        parameters = list(_PARAMETER.finditer(route))
        sample = _PARAMETER.sub(lambda m: _SAMPLE.get(m["converter"] or "str", "x"), route)
        found.add(f"/{sample}?q=%00&status=%00")
        for parameter in parameters:
            if (parameter["converter"] or "str") not in ("str", "path", "slug"):
                continue  # int and uuid converters never match a NUL

            def fill(match: re.Match[str], nul_at: int = parameter.start()) -> str:
                return "%00" if match.start() == nul_at else _SAMPLE.get(match["converter"] or "str", "x")

            filled = _PARAMETER.sub(fill, route)
            found.add(f"/{filled}")
    return sorted(found)


@pytest.mark.parametrize(("url", "role"), REPORTED)
def test_the_reported_addresses_answer_400_in_russian(
    request: pytest.FixtureRequest, url: str, role: str | None
) -> None:
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code == 400
    assert "Адрес содержит недопустимые символы" in response.content.decode()


def test_other_control_characters_in_a_path_are_refused_but_a_tab_in_a_search_is_not(
    operator_a: User,
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(operator_a)
    assert client.get("/mo/employees/%01/").status_code == 400
    assert client.get("/mo/employees/a%7Fb/").status_code == 400
    assert client.get("/mo/?q=%1B").status_code == 400
    assert client.get("/mo/?q=%D0%98%D0%B2%09%D0%B0").status_code == 200


def test_the_api_refuses_a_nul_in_its_error_body() -> None:
    response = Client(raise_request_exception=False).get("/api/frmr/person?snils=%00")
    assert response.status_code == 400
    body = response.json()
    assert body["content"] is None and "недопустимые символы" in body["errorUserMessage"]


def test_the_sweep_covers_the_reported_routes() -> None:
    addresses = _addresses()
    assert len(addresses) > 60
    for url, _role in REPORTED:
        path = url.split("?")[0]
        assert any(address.split("?")[0] == path for address in addresses), path


@pytest.mark.slow
@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_address_with_a_nul_is_a_server_error_for_any_role(
    request: pytest.FixtureRequest, role: str | None
) -> None:
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(request.getfixturevalue(role))
    failures = []
    for url in _addresses():
        status = client.get(url).status_code
        if status >= 500:
            failures.append(f"{url}: {status}")
    assert failures == []


def test_the_apis_own_handler_refuses_a_nul_too() -> None:
    """config.wsgi_api (the API's process group) has its own middleware list."""
    import config.wsgi_api
    from tests.frmr.integration.api.test_wsgi import call

    status, _headers, body = call(config.wsgi_api.application, "/api/frmr/person", "snils=%00")
    assert status == 400
    assert "недопустимые символы" in body.decode()
