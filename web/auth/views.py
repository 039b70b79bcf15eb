"""Login through ЕСИА, the role chooser, the "no data about you" page and logout.

Every failure of the exchange with ЕСИА ends on a page of the site with a Russian explanation and
a way forward, never on a server error: ЕСИА's refusal is not our crash.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from frmr.accounts.models import User
from frmr.accounts.selectors import user_roles
from frmr.accounts.services import user_login_from_esia
from frmr.core.observability import metrics
from frmr.esia import (
    EsiaError,
    EsiaStateMismatch,
    EsiaTokenInvalid,
    EsiaUnavailable,
    EsiaUserRefused,
    get_client,
    logout_url,
    new_state,
)
from frmr.esia.errors import CODE_MESSAGES, error_from_response
from web.auth import session as auth_session
from web.auth.access import AuthenticatedHttpRequest, login_required

logger = logging.getLogger(__name__)

STATE_PROBLEMS = {
    "missing": (
        gettext_lazy("Не найден начатый вход"),
        gettext_lazy(
            "Портал не нашёл вход, который вы начинали. Так бывает, если ссылку из Госуслуг открыли "
            "в другом браузере, если браузер не сохраняет файлы cookie этого сайта или если вход уже "
            "был завершён."
        ),
    ),
    "expired": (
        gettext_lazy("Время на вход истекло"),
        gettext_lazy(
            "С начала входа прошло больше {minutes} минут. Из соображений безопасности такой вход не "
            "принимается: начните его заново."
        ),
    ),
    "mismatch": (
        gettext_lazy("Ответ Госуслуг не относится к этому входу"),
        gettext_lazy(
            "Портал получил ответ Госуслуг, который не соответствует начатому в этом браузере входу. "
            "Из соображений безопасности вход прерван: начните его заново."
        ),
    ),
}


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next", ""))
    if request.user.is_authenticated:
        return redirect(next_url or reverse("auth:after_login"))
    state = new_state()
    auth_session.remember_pending_login(request, state=state, next_url=next_url)
    try:
        url = get_client().authorization_url(state=state)
    except (EsiaError, ImproperlyConfigured) as exc:
        logger.exception("ЕСИА: не удалось сформировать запрос на вход")
        return _problem(
            request,
            status=503,
            title=_("Вход временно недоступен"),
            message=_("Портал не смог подготовить запрос к Госуслугам."),
            advice=_(
                "Попробуйте войти через несколько минут. Если ошибка повторится, сообщите в службу "
                "поддержки время, когда она произошла."
            ),
            code=exc.code if isinstance(exc, EsiaError) else None,
        )
    return HttpResponseRedirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    pending = auth_session.take_pending_login(request, state=request.GET.get("state", ""))
    # An error answer is believed only for a login this browser started: anyone can send a person a
    # link to this page with an `error` of their choosing. Even then only its code is used.
    if pending.check != "ok":
        title, message = STATE_PROBLEMS[pending.check]
        minutes = settings.ESIA_STATE_LIFETIME_SECONDS // 60
        return _problem(
            request, status=400, title=str(title), message=message.format(minutes=minutes), advice=""
        )
    error = request.GET.get("error", "")
    if error:
        return _esia_problem(request, error_from_response(error, request.GET.get("error_description", "")))
    code = request.GET.get("code", "")
    if not code:
        return _problem(
            request,
            status=400,
            title=_("Госуслуги не передали код входа"),
            message=_("В ответе Госуслуг нет кода, по которому портал получает данные о вас."),
            advice="",
        )
    try:
        client = get_client()
        # The token request has its own state (a new UUID, as ЕСИА's peers send); ЕСИА echoes it.
        tokens = client.exchange_code(code=code, state=new_state())
        person = client.fetch_person(tokens=tokens)
    except EsiaError as exc:
        return _esia_problem(request, exc)

    user = user_login_from_esia(person=person, auth_method=tokens.auth_method)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[auth_session.ESIA_SESSION_KEY] = {
        "oid": tokens.oid,
        "sid": tokens.session_id,
        "method": tokens.auth_method,
        "id_token": tokens.id_token,
    }
    request.session[auth_session.ORGANIZATIONS_KEY] = [org.name for org in person.organizations]
    return redirect(_destination(request, user, next_url=pending.next_url))


@login_required
@require_GET
def after_login(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where a logged-in user who asks for /login/ again belongs."""
    return redirect(_destination(request, request.user, next_url=""))


@login_required
@require_http_methods(["GET", "POST"])
def choose_role(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = user_roles(user=request.user)
    if not roles:
        return redirect("auth:no_data")
    error = ""
    if request.method == "POST":
        key = request.POST.get("role", "")
        chosen = next((role for role in roles if role.key == key), None)
        home = chosen.home_url if chosen else None
        if chosen and home:
            auth_session.set_active_role(request, chosen)
            return redirect(home)
        error = (
            _("Этот кабинет ещё подключается: выберите другую роль.")
            if chosen
            else _("Такой роли у вас нет: выберите одну из списка.")
        )
    context = {
        "roles": roles,
        "active": auth_session.get_active_role(request),
        "error": error,
    }
    return render(request, "auth/choose_role.html", context, status=400 if error else 200)


@login_required
@require_GET
def no_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    if user_roles(user=request.user):
        return redirect("auth:after_login")
    organizations = request.session.get(auth_session.ORGANIZATIONS_KEY) or []
    return render(request, "auth/no_data.html", {"organizations": organizations})


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect("public:start")
        return render(request, "auth/logout.html")
    logged_in_through_esia = bool(request.session.get(auth_session.ESIA_SESSION_KEY))
    auth_logout(request)
    messages.info(request, _("Вы вышли из личного кабинета."))
    start = request.build_absolute_uri(reverse("public:start"))
    if settings.ESIA_LOGOUT_ENABLED and logged_in_through_esia:
        # Without this the next «Войти» would pass straight through ЕСИА's still-open session.
        return HttpResponseRedirect(logout_url(redirect_url=start))
    return HttpResponseRedirect(start)


def _destination(request: HttpRequest, user: User, *, next_url: str) -> str:
    roles = user_roles(user=user)
    request.session[auth_session.ROLE_COUNT_KEY] = len(roles)
    if not roles:
        return reverse("auth:no_data")
    if len(roles) > 1:
        return reverse("auth:choose_role")
    only = roles[0]
    home = only.home_url
    if home is None:
        return reverse("auth:choose_role")
    auth_session.set_active_role(request, only)
    return next_url or home


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _esia_problem(request: HttpRequest, exc: EsiaError) -> HttpResponse:
    # Only ЕСИА's known codes become labels: a callback's `error` is typed by whoever sends the link.
    code = exc.code if exc.code in CODE_MESSAGES else ("none" if exc.code is None else "other")
    metrics.ESIA_ERRORS.labels(code).inc()
    if isinstance(exc, EsiaUserRefused):
        return _problem(
            request,
            status=403,
            title=_("Вход отменён"),
            message=_(
                "Вы отменили вход на Госуслугах или не разрешили передать порталу сведения о себе. "
                "Ничего страшного: данные не передавались."
            ),
            advice=_(
                "Чтобы войти в личный кабинет, нажмите «Попробовать снова» и подтвердите на Госуслугах "
                "доступ к данным."
            ),
            code=exc.code,
            calm=True,
        )
    if isinstance(exc, EsiaUnavailable):
        logger.warning("ЕСИА недоступна: %s %s", exc.code or "", exc.detail)
        return _problem(
            request,
            status=503,
            title=_("Госуслуги временно недоступны"),
            message=_("Портал не смог связаться с Госуслугами (ЕСИА), поэтому вход сейчас невозможен."),
            advice=_("Попробуйте войти через несколько минут. Ваши данные в регистре от этого не зависят."),
            code=exc.code,
        )
    logger.warning("ЕСИА: вход не выполнен: %s (%s) %s", exc.code or "-", type(exc).__name__, exc.detail)
    if isinstance(exc, EsiaTokenInvalid | EsiaStateMismatch):
        return _problem(
            request,
            status=502,
            title=_("Не удалось проверить ответ Госуслуг"),
            message=_("%(message)s Из соображений безопасности вход прерван.") % {"message": exc.message},
            advice=_(
                "Попробуйте войти ещё раз. Если ошибка повторится, сообщите в службу поддержки время, "
                "когда она произошла."
            ),
        )
    advice = (
        _("Попробуйте войти ещё раз.")
        if exc.user_fixable
        else _(
            "Это ошибка подключения портала к Госуслугам, а не вашей учётной записи. Сообщите в службу "
            "поддержки код ошибки и время, когда она произошла; повторный вход может не помочь."
        )
    )
    return _problem(
        request,
        status=502,
        title=_("Госуслуги не выполнили вход"),
        message=exc.message,
        advice=advice,
        code=exc.code,
    )


def _problem(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    advice: str,
    code: str | None = None,
    calm: bool = False,
) -> HttpResponse:
    context = {"title": title, "message": message, "advice": advice, "code": code, "calm": calm}
    return render(request, "auth/problem.html", context, status=status)
