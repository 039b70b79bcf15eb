"""The login pages: with a password and with an electronic signature."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from esia_emulator import auth
from esia_emulator.views.session import (
    AMR_PASSWORD,
    AMR_SIGNATURE,
    client_for,
    expired_request,
    finish_login,
    login_context,
    pending_get,
)

# --- login with password -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_get(request, rid)
    if pending is None:
        return expired_request(request)
    if request.method == "GET":
        return render(request, "esia_emulator/login.html", login_context(rid, pending))
    login_text = request.POST.get("login", "").strip()
    password = request.POST.get("password", "")
    remember = request.POST.get("remember") == "on"
    error = ""
    if not login_text or not password:
        error = "Введите телефон, почту или СНИЛС и пароль."
    else:
        outcome = auth.password_login(login_text, password)
        if outcome.account is not None:
            error = auth.level_refusal(outcome.account, client_for(pending))
            if not error:
                return finish_login(request, rid, pending, outcome.account, AMR_PASSWORD, remember)
        else:
            error = outcome.error
    context = login_context(rid, pending, login=login_text, error=error, remember=remember)
    return render(request, "esia_emulator/login.html", context, status=200)


# --- login with an electronic signature --------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login_signature(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_get(request, rid)
    if pending is None:
        return expired_request(request)
    context = login_context(rid, pending, step="login", certificates=[])
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
            refusal = auth.level_refusal(outcome.account, client_for(pending))
            if not refusal:
                return finish_login(request, rid, pending, outcome.account, AMR_SIGNATURE, remember)
            context["error"] = refusal
        else:
            context["error"] = outcome.error
            if account.is_locked():
                context.update(step="login", certificates=[])
    return render(request, "esia_emulator/signature.html", context)
