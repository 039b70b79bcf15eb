"""The emulator's index, its certificate, and the OAuth endpoints: /v2/ac and /v3/te, their legacy
twins /ac and /te, and logout."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from esia_emulator import auth, keystore, tokens
from esia_emulator.identifiers import display_phone, format_snils
from esia_emulator.legacy import validate_legacy_authorization_request, validate_legacy_token_request
from esia_emulator.models import LEVEL_TITLES, Account, Client
from esia_emulator.protocol import (
    ClientRequest,
    EsiaError,
    redirect_allowed,
    validate_authorization_request,
    validate_token_request,
)
from esia_emulator.views.session import (
    expired_request,
    finish_login,
    pending_drop,
    pending_get,
    pending_store,
    refusal_response,
    remembered_account,
)

logger = logging.getLogger("esia_emulator.views")


# --- index, certificate ------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    people = []
    for account in Account.objects.order_by("oid"):
        data = account.data
        people.append(
            {
                "oid": account.oid,
                "name": account.full_name,
                "snils": format_snils(account.snils) if account.snils else "",
                # Shown to people: the register's one display format, not the person API's.
                "phone": display_phone(account.phone) if account.phone else "",
                "email": data.get("email", ""),
                "level": LEVEL_TITLES.get(account.level, account.level),
                "note": data.get("note", ""),
            }
        )
    return render(request, "esia_emulator/index.html", {"people": people, "clients": Client.objects.all()})


@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    return HttpResponse(keystore.esia_cert_path().read_bytes(), content_type="application/x-pem-file")


# --- /v2/ac ------------------------------------------------------------------------------------


@never_cache
@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    return _authorize(request, validate_authorization_request)


@never_cache
@require_GET
def legacy_authorize(request: HttpRequest) -> HttpResponse:
    """`/aas/oauth2/ac`: the same login, signed with a detached CMS (see legacy.py)."""
    return _authorize(request, validate_legacy_authorization_request)


def _authorize(request: HttpRequest, validate: Callable[[QueryDict], ClientRequest]) -> HttpResponse:
    try:
        req = validate(request.GET)
    except EsiaError as error:
        return refusal_response(request, error)
    pending = {
        "client_id": req.client.client_id,
        "redirect_uri": req.redirect_uri,
        "scopes": req.scopes,
        "state": req.state,
        "access_type": req.access_type,
    }
    rid = pending_store(request, pending)
    remembered = remembered_account(request)
    if remembered is not None:
        account, info = remembered
        if not auth.level_refusal(account, req.client):
            return finish_login(
                request, rid, pending_get(request, rid) or pending, account, info["amr"], True
            )
    return HttpResponseRedirect(reverse("login", args=[rid]))


@require_GET
def deny(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_get(request, rid)
    if pending is None:
        return expired_request(request)
    pending_drop(request, rid)
    error = EsiaError(
        "007004",
        "Пользователь отказался от входа в систему",
        redirect_uri=pending["redirect_uri"],
        state=pending["state"],
    )
    return HttpResponseRedirect(error.redirect_url())


# --- logout ------------------------------------------------------------------------------------


@never_cache
@require_GET
def logout(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    client = Client.objects.filter(client_id=request.GET.get("client_id", "")).first()
    target = request.GET.get("redirect_url", "")
    if client is not None and target and redirect_allowed(client, target):
        return HttpResponseRedirect(target)
    return render(request, "esia_emulator/logout.html", {"client": client})


# --- /v3/te ------------------------------------------------------------------------------------


@csrf_exempt
@never_cache
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    return _token(request, validate_token_request)


@csrf_exempt
@never_cache
@require_POST
def legacy_token(request: HttpRequest) -> JsonResponse:
    """`/aas/oauth2/te`: the same tokens, the request signed with a detached CMS (see legacy.py)."""
    return _token(request, validate_legacy_token_request)


def _token(request: HttpRequest, validate: Callable[[QueryDict], ClientRequest]) -> JsonResponse:
    issuer = tokens.issuer_for(request)
    try:
        req = validate(request.POST)
        if "code" in req.extra:
            grant, access_type = tokens.redeem_code(
                req.client, req.extra["code"], req.redirect_uri, req.scopes
            )
            answer = tokens.issue(
                grant, state=req.state, with_refresh=access_type == "offline", issuer=issuer
            )
        else:
            grant = tokens.redeem_refresh_token(req.client, req.extra["refresh_token"], req.scopes)
            answer = tokens.issue(grant, state=req.state, with_refresh=True, issuer=issuer)
    except EsiaError as error:
        error.state = error.state or request.POST.get("state", "")
        logger.info("ЕСИА-эмулятор: отказ %s: %s", error.error_description, error.detail)
        return JsonResponse(error.as_json(), status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(answer)
