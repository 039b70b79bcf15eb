"""Browser-facing pages of the emulator and its OAuth endpoints."""

from __future__ import annotations

import io
import logging
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import qrcode
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esia_emulator import auth, keystore, tokens
from esia_emulator.conf import conf
from esia_emulator.identifiers import display_phone, format_snils
from esia_emulator.legacy import validate_legacy_authorization_request, validate_legacy_token_request
from esia_emulator.models import LEVEL_TITLES, Account, Client, QrLogin
from esia_emulator.protocol import (
    ClientRequest,
    EsiaError,
    add_query,
    redirect_allowed,
    validate_authorization_request,
    validate_token_request,
)

logger = logging.getLogger(__name__)

AMR_PASSWORD = "PWD"  # noqa: S105 - the ЕСИА name of the login method
AMR_SIGNATURE = "DS"


# --- session helpers --------------------------------------------------------------------------


def _pending(request: HttpRequest, rid: str) -> dict[str, Any] | None:
    item = request.session.get("pending", {}).get(rid)
    if item is None or time.time() - item["created"] > conf.PENDING_TTL_SECONDS:
        return None
    return dict(item)


def _store_pending(request: HttpRequest, data: dict[str, Any]) -> str:
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


def _drop_pending(request: HttpRequest, rid: str) -> None:
    pending = request.session.get("pending", {})
    pending.pop(rid, None)
    request.session["pending"] = pending
    for key in ("qr", "ds"):
        bucket = request.session.get(key, {})
        if rid in bucket:
            bucket.pop(rid)
            request.session[key] = bucket


def _remembered_account(request: HttpRequest) -> tuple[Account, dict[str, Any]] | None:
    info = request.session.get("remembered")
    if not info:
        return None
    account = Account.objects.filter(oid=info["oid"]).first()
    if account is None or account.is_locked():
        return None
    return account, info


def _finish(
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
    _drop_pending(request, rid)
    return HttpResponseRedirect(add_query(pending["redirect_uri"], {"code": code, "state": pending["state"]}))


def _expired_request(request: HttpRequest) -> HttpResponse:
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


def _client_for(pending: dict[str, Any]) -> Client:
    return Client.objects.get(client_id=pending["client_id"])


def _refusal(request: HttpRequest, error: EsiaError) -> HttpResponse:
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
        return _refusal(request, error)
    pending = {
        "client_id": req.client.client_id,
        "redirect_uri": req.redirect_uri,
        "scopes": req.scopes,
        "state": req.state,
        "access_type": req.access_type,
    }
    rid = _store_pending(request, pending)
    remembered = _remembered_account(request)
    if remembered is not None:
        account, info = remembered
        if not auth.level_refusal(account, req.client):
            return _finish(request, rid, _pending(request, rid) or pending, account, info["amr"], True)
    return HttpResponseRedirect(reverse("login", args=[rid]))


@require_GET
def deny(request: HttpRequest, rid: str) -> HttpResponse:
    pending = _pending(request, rid)
    if pending is None:
        return _expired_request(request)
    _drop_pending(request, rid)
    error = EsiaError(
        "007004",
        "Пользователь отказался от входа в систему",
        redirect_uri=pending["redirect_uri"],
        state=pending["state"],
    )
    return HttpResponseRedirect(error.redirect_url())


# --- login with password -----------------------------------------------------------------------


def _login_context(rid: str, pending: dict[str, Any], **extra: Any) -> dict[str, Any]:
    client = _client_for(pending)
    return {"rid": rid, "client": client, "login": "", "error": "", "remember": False, **extra}


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest, rid: str) -> HttpResponse:
    pending = _pending(request, rid)
    if pending is None:
        return _expired_request(request)
    if request.method == "GET":
        return render(request, "esia_emulator/login.html", _login_context(rid, pending))
    login_text = request.POST.get("login", "").strip()
    password = request.POST.get("password", "")
    remember = request.POST.get("remember") == "on"
    error = ""
    if not login_text or not password:
        error = "Введите телефон, почту или СНИЛС и пароль."
    else:
        outcome = auth.password_login(login_text, password)
        if outcome.account is not None:
            error = auth.level_refusal(outcome.account, _client_for(pending))
            if not error:
                return _finish(request, rid, pending, outcome.account, AMR_PASSWORD, remember)
        else:
            error = outcome.error
    context = _login_context(rid, pending, login=login_text, error=error, remember=remember)
    return render(request, "esia_emulator/login.html", context, status=200)


# --- login with an electronic signature --------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login_signature(request: HttpRequest, rid: str) -> HttpResponse:
    pending = _pending(request, rid)
    if pending is None:
        return _expired_request(request)
    context = _login_context(rid, pending, step="login", certificates=[])
    if request.method == "GET":
        return render(request, "esia_emulator/signature.html", context)
    step = request.POST.get("step", "login")
    login_text = request.POST.get("login", "").strip()
    context["login"] = login_text
    account = auth.find_account(login_text) if login_text else None
    if account is None:
        context["error"] = "Учётная запись с таким телефоном, почтой или СНИЛС не найдена."
        return render(request, "esia_emulator/signature.html", context)
    if account.is_locked():
        context["error"] = auth.locked_message(account)
        return render(request, "esia_emulator/signature.html", context)
    context.update(step="pin", certificates=account.data.get("certificates", []))
    if step == "pin":
        remember = request.POST.get("remember") == "on"
        chosen = request.POST.get("certificate", "")
        context.update(chosen=chosen, remember=remember)
        outcome = auth.pin_login(account, chosen, request.POST.get("pin", ""))
        if outcome.account is not None:
            refusal = auth.level_refusal(outcome.account, _client_for(pending))
            if not refusal:
                return _finish(request, rid, pending, outcome.account, AMR_SIGNATURE, remember)
            context["error"] = refusal
        else:
            context["error"] = outcome.error
            if account.is_locked():
                context.update(step="login", certificates=[])
    return render(request, "esia_emulator/signature.html", context)


# --- login by QR code --------------------------------------------------------------------------


def _qr_for(request: HttpRequest, rid: str) -> QrLogin | None:
    poll_id = request.session.get("qr", {}).get(rid)
    return QrLogin.objects.filter(poll_id=poll_id).first() if poll_id else None


def _qr_expired(qr: QrLogin) -> bool:
    return timezone.now() - qr.created_at > timedelta(seconds=conf.QR_TTL_SECONDS)


def _confirm_url(request: HttpRequest, qr: QrLogin) -> str:
    path = reverse("qr_confirm", args=[qr.secret])
    base = conf.PUBLIC_URL.rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


@never_cache
@require_GET
def login_qr(request: HttpRequest, rid: str) -> HttpResponse:
    pending = _pending(request, rid)
    if pending is None:
        return _expired_request(request)
    qr = _qr_for(request, rid)
    if qr is not None and qr.status == QrLogin.STATUS_CONFIRMED and not _qr_expired(qr):
        return HttpResponseRedirect(reverse("qr_complete", args=[rid]))
    notice = ""
    if request.GET.get("check") and qr is not None and not _qr_expired(qr):
        notice = (
            "Вход ещё не подтверждён. Откройте ссылку из QR-кода на другом устройстве и подтвердите вход."
        )
    if qr is None or _qr_expired(qr) or qr.status == QrLogin.STATUS_USED or request.GET.get("renew"):
        qr = QrLogin.objects.create(poll_id=secrets.token_urlsafe(24), secret=secrets.token_urlsafe(24))
        bucket = request.session.get("qr", {})
        bucket[rid] = qr.poll_id
        request.session["qr"] = bucket
    context = _login_context(
        rid,
        pending,
        confirm_url=_confirm_url(request, qr),
        expires_at=timezone.localtime(qr.created_at + timedelta(seconds=conf.QR_TTL_SECONDS)),
        notice=notice,
    )
    return render(request, "esia_emulator/qr.html", context)


@never_cache
@require_GET
def qr_image(request: HttpRequest, rid: str) -> HttpResponse:
    qr = _qr_for(request, rid)
    if qr is None or _qr_expired(qr):
        raise Http404("QR-код устарел")
    image = qrcode.make(_confirm_url(request, qr), box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@never_cache
@require_GET
def qr_status(request: HttpRequest, rid: str) -> JsonResponse:
    qr = _qr_for(request, rid)
    if qr is None or _pending(request, rid) is None:
        return JsonResponse({"status": "unknown"}, status=404)
    if _qr_expired(qr) and qr.status == QrLogin.STATUS_PENDING:
        return JsonResponse({"status": "expired"})
    if qr.status == QrLogin.STATUS_CONFIRMED:
        return JsonResponse({"status": "confirmed", "next": reverse("qr_complete", args=[rid])})
    return JsonResponse({"status": qr.status})


@never_cache
@require_GET
def qr_complete(request: HttpRequest, rid: str) -> HttpResponse:
    pending = _pending(request, rid)
    qr = _qr_for(request, rid)
    if pending is None or qr is None:
        return _expired_request(request)
    with transaction.atomic():
        taken = QrLogin.objects.filter(pk=qr.pk, status=QrLogin.STATUS_CONFIRMED).update(
            status=QrLogin.STATUS_USED
        )
    if not taken or qr.account is None or _qr_expired(qr):
        return HttpResponseRedirect(reverse("login_qr", args=[rid]) + "?check=1")
    refusal = auth.level_refusal(qr.account, _client_for(pending))
    if refusal:
        return render(request, "esia_emulator/login.html", _login_context(rid, pending, error=refusal))
    return _finish(request, rid, pending, qr.account, AMR_PASSWORD, False)


@never_cache
@require_http_methods(["GET", "POST"])
def qr_confirm(request: HttpRequest, secret: str) -> HttpResponse:
    """The page the QR code points to, opened on the "phone": log in there, then confirm."""
    qr = QrLogin.objects.filter(secret=secret).first()
    if qr is None or qr.status != QrLogin.STATUS_PENDING or _qr_expired(qr):
        return render(
            request,
            "esia_emulator/error.html",
            {
                "title": "Ссылка недействительна",
                "code": "",
                "description": "Ссылка из QR-кода устарела или уже использована. "
                "Обновите QR-код на странице входа.",
            },
            status=410,
        )
    confirmers = request.session.get("qr_confirmers", {})
    oid = confirmers.get(secret)
    remembered = _remembered_account(request)
    if oid is None and remembered is not None:
        oid = remembered[0].oid
    context: dict[str, Any] = {"secret": secret, "login": "", "error": "", "account": None}
    if request.method == "POST" and request.POST.get("action") == "confirm" and oid is not None:
        account = Account.objects.get(oid=oid)
        QrLogin.objects.filter(pk=qr.pk, status=QrLogin.STATUS_PENDING).update(
            status=QrLogin.STATUS_CONFIRMED, account=account, confirmed_at=timezone.now()
        )
        confirmers.pop(secret, None)
        request.session["qr_confirmers"] = confirmers
        return render(request, "esia_emulator/qr_done.html", {"account": account})
    if request.method == "POST" and request.POST.get("action") == "login":
        login_text = request.POST.get("login", "").strip()
        context["login"] = login_text
        outcome = auth.password_login(login_text, request.POST.get("password", ""))
        if outcome.account is None:
            context["error"] = outcome.error
        else:
            oid = outcome.account.oid
            confirmers[secret] = oid
            request.session["qr_confirmers"] = confirmers
            request.session.set_expiry(0)
    if oid is not None:
        context["account"] = Account.objects.get(oid=oid)
    return render(request, "esia_emulator/qr_confirm.html", context)


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
