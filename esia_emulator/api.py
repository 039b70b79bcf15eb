"""Person REST API (`/rs/prns/{oid}` and its collections), guarded by the access token's scopes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from esia_emulator import person
from esia_emulator.models import Account
from esia_emulator.tokens import AccessToken, TokenRefused, check_access_token, issuer_for

PersonView = Callable[..., JsonResponse]


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _refuse(status: int, description: str) -> JsonResponse:
    response = _json({"error": "invalid_token" if status == 401 else "insufficient_scope",
                      "error_description": description}, status)  # fmt: skip
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def person_endpoint(view: Callable[..., Any]) -> PersonView:
    """Checks the Bearer token and that it was issued for this very person."""

    @wraps(view)
    def wrapper(request: HttpRequest, oid: int, **kwargs: Any) -> JsonResponse:
        try:
            token = check_access_token(request.headers.get("Authorization", ""), issuer=issuer_for(request))
        except TokenRefused as refused:
            return _refuse(refused.status, refused.description)
        if token.oid != oid:
            return _refuse(403, "Маркер доступа выдан на другого пользователя")
        account = Account.objects.filter(oid=oid).first()
        if account is None:
            return _json({"error": "not_found", "error_description": "Пользователь не найден"}, 404)
        result = view(request, account, token, **kwargs)
        return result if isinstance(result, JsonResponse) else _json(result)

    return require_GET(wrapper)


def _urls(request: HttpRequest, oid: int, segment: str, elements: list[dict[str, Any]]) -> list[str]:
    key = "oid" if segment == "orgs" else "id"
    return [
        request.build_absolute_uri(reverse(f"person_{segment}_element", args=[oid, e[key]])) for e in elements
    ]


@person_endpoint
def person_root(request: HttpRequest, account: Account, token: AccessToken) -> Any:
    if not token.scopes & person.ROOT_SCOPES:
        return _refuse(403, "Маркер доступа не даёт права на данные пользователя")
    doc = person.root(account, token.scopes)
    embeds = person.parse_embed(request.GET.get("embed", ""))
    for segment, (name, needed, render) in person.COLLECTIONS.items():
        if f"{name}.elements" in embeds and token.scopes & needed:
            elements = render(account, token.scopes)
            doc[name] = person.collection(
                elements, _urls(request, account.oid, segment, elements), embed=True
            )
    return doc


@person_endpoint
def person_collection(request: HttpRequest, account: Account, token: AccessToken, segment: str) -> Any:
    _name, needed, render = person.COLLECTIONS[segment]
    if not token.scopes & needed:
        return _refuse(403, "Маркер доступа не даёт права на эти данные")
    elements = render(account, token.scopes)
    embed = "elements" in person.parse_embed(request.GET.get("embed", ""))
    return person.collection(elements, _urls(request, account.oid, segment, elements), embed=embed)


@person_endpoint
def person_element(
    request: HttpRequest, account: Account, token: AccessToken, segment: str, element_id: int
) -> Any:
    _name, needed, render = person.COLLECTIONS[segment]
    if not token.scopes & needed:
        return _refuse(403, "Маркер доступа не даёт права на эти данные")
    key = "oid" if segment == "orgs" else "id"
    for element in render(account, token.scopes):
        if element[key] == element_id:
            return element
    return _json({"error": "not_found", "error_description": "Элемент не найден"}, 404)
