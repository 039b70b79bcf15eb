"""The state of a login in progress, kept in the session, and how a login ends: with a code for the
client system, or with a refusal."""

from __future__ import annotations

import logging
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from esia_emulator import tokens
from esia_emulator.conf import conf
from esia_emulator.models import Account, Client
from esia_emulator.protocol import EsiaError, add_query

logger = logging.getLogger("esia_emulator.views")


AMR_PASSWORD = "PWD"  # noqa: S105 - the ЕСИА name of the login method
AMR_SIGNATURE = "DS"


# --- session helpers --------------------------------------------------------------------------


def pending_get(request: HttpRequest, rid: str) -> dict[str, Any] | None:
    item = request.session.get("pending", {}).get(rid)
    if item is None or time.time() - item["created"] > conf.PENDING_TTL_SECONDS:
        return None
    return dict(item)


def pending_store(request: HttpRequest, data: dict[str, Any]) -> str:
    rid = secrets.token_urlsafe(16)
    now = time.time()
    # Drop stale requests so that a long-lived remembered session does not grow without bound.
    pending = {
        key: value
        for key, value in request.session.get("pending", {}).items()
        if now - value["created"] <= conf.PENDING_TTL_SECONDS
    }
    pending[rid] = {**data, "created": now}
    request.session["pending"] = pending
    return rid


def pending_drop(request: HttpRequest, rid: str) -> None:
    pending = request.session.get("pending", {})
    pending.pop(rid, None)
    request.session["pending"] = pending
    for key in ("qr", "ds"):
        bucket = request.session.get(key, {})
        if rid in bucket:
            bucket.pop(rid)
            request.session[key] = bucket


def remembered_account(request: HttpRequest) -> tuple[Account, dict[str, Any]] | None:
    info = request.session.get("remembered")
    if not info:
        return None
    account = Account.objects.filter(oid=info["oid"]).first()
    if account is None or account.is_locked():
        return None
    return account, info


def finish_login(
    request: HttpRequest, rid: str, pending: dict[str, Any], account: Account, amr: str, remember: bool
) -> HttpResponse:
    """Login succeeded: issue the code and send the browser back to the client system."""
    client = Client.objects.get(client_id=pending["client_id"])
    remembered = request.session.get("remembered")
    if remembered and remembered.get("oid") == account.oid:
        sid, auth_time = remembered["sid"], remembered["auth_time"]
    else:
        request.session.cycle_key()
        sid, auth_time = tokens.new_sid(), time.time()
    if remember:
        request.session["remembered"] = {"oid": account.oid, "sid": sid, "amr": amr, "auth_time": auth_time}
        request.session.set_expiry(conf.REMEMBER_SECONDS)
    elif not remembered or remembered.get("oid") != account.oid:
        # Not remembered: nothing of this login survives for the next /v2/ac, and the cookie dies
        # with the browser.
        request.session.pop("remembered", None)
        request.session.set_expiry(0)
    code = tokens.create_code(
        client,
        account,
        pending["scopes"],
        pending["redirect_uri"],
        pending["access_type"],
        sid=sid,
        amr=amr,
        auth_time=datetime.fromtimestamp(auth_time, tz=UTC),
    )
    pending_drop(request, rid)
    return HttpResponseRedirect(add_query(pending["redirect_uri"], {"code": code, "state": pending["state"]}))


def expired_request(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "esia_emulator/error.html",
        {
            "title": "Сеанс входа устарел",
            "code": "",
            "description": "Страница входа открыта слишком давно или уже использована. "
            "Вернитесь в систему, из которой пришли, и начните вход заново.",
        },
        status=400,
    )


def client_for(pending: dict[str, Any]) -> Client:
    return Client.objects.get(client_id=pending["client_id"])


def refusal_response(request: HttpRequest, error: EsiaError) -> HttpResponse:
    """Back to a registered redirect URI with ЕСИА's code and text; otherwise the emulator's own page,
    which also says in Russian what exactly was wrong (ЕСИА's answer does not)."""
    logger.info("ЕСИА-эмулятор: отказ %s: %s", error.error_description, error.detail)
    if error.redirect_uri:
        return HttpResponseRedirect(error.redirect_url())
    return render(
        request,
        "esia_emulator/error.html",
        {
            "title": "Ошибка запроса на вход",
            "code": f"ESIA-{error.code}",
            "wire": error.error_description,
            "description": error.detail,
        },
        status=400,
    )


def login_context(rid: str, pending: dict[str, Any], **extra: Any) -> dict[str, Any]:
    client = client_for(pending)
    return {"rid": rid, "client": client, "login": "", "error": "", "remember": False, **extra}
