"""The worker's notifications: newest first, unread marked, mark one or all as read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frmr.notifications.models import Notification
from frmr.notifications.selectors import notification_get_for_user, notifications_for_user
from frmr.notifications.services import (
    notification_mark_read,
    notification_settings_of,
    notification_settings_set,
    notifications_mark_all_read,
)
from web.lk.access import AuthenticatedHttpRequest, login_required

PAGE_SIZE = 20


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    paginator = Paginator(notifications_for_user(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    settings = notification_settings_of(user=request.user)
    return render(request, "lk/notifications.html", {"page": page, "settings": settings})


@require_POST
@login_required
def notification_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    user = request.user
    try:
        notification = notification_get_for_user(user=user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None
    notification_mark_read(notification=notification, user=user)
    return redirect("lk:notifications")


@require_POST
@login_required
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    marked = notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("Все уведомления отмечены как прочитанные."))
    return redirect("lk:notifications")


@require_POST
@login_required
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    wanted = request.POST.get("email_on_file_change") == "on"
    notification_settings_set(user=request.user, email_on_file_change=wanted)
    messages.success(
        request,
        _("Письма об изменениях личного дела работодателем включены.")
        if wanted
        else _("Письма об изменениях личного дела отключены: уведомления будут только в кабинете."),
    )
    return redirect("lk:notifications")
