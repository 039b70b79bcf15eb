"""Login by QR code: the page with the code, its polling, and the phone's confirmation page."""

from __future__ import annotations

import io
import secrets
from datetime import timedelta
from typing import Any

import qrcode
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from esia_emulator import auth
from esia_emulator.conf import conf
from esia_emulator.models import Account, QrLogin
from esia_emulator.views.session import (
    AMR_PASSWORD,
    client_for,
    expired_request,
    finish_login,
    login_context,
    pending_get,
    remembered_account,
)

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
    pending = pending_get(request, rid)
    if pending is None:
        return expired_request(request)
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
    context = login_context(
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
    if qr is None or pending_get(request, rid) is None:
        return JsonResponse({"status": "unknown"}, status=404)
    if _qr_expired(qr) and qr.status == QrLogin.STATUS_PENDING:
        return JsonResponse({"status": "expired"})
    if qr.status == QrLogin.STATUS_CONFIRMED:
        return JsonResponse({"status": "confirmed", "next": reverse("qr_complete", args=[rid])})
    return JsonResponse({"status": qr.status})


@never_cache
@require_GET
def qr_complete(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_get(request, rid)
    qr = _qr_for(request, rid)
    if pending is None or qr is None:
        return expired_request(request)
    with transaction.atomic():
        taken = QrLogin.objects.filter(pk=qr.pk, status=QrLogin.STATUS_CONFIRMED).update(
            status=QrLogin.STATUS_USED
        )
    if not taken or qr.account is None or _qr_expired(qr):
        return HttpResponseRedirect(reverse("login_qr", args=[rid]) + "?check=1")
    refusal = auth.level_refusal(qr.account, client_for(pending))
    if refusal:
        return render(request, "esia_emulator/login.html", login_context(rid, pending, error=refusal))
    return finish_login(request, rid, pending, qr.account, AMR_PASSWORD, False)


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
    remembered = remembered_account(request)
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
