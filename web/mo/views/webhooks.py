"""Webhooks of the organization: register, see the delivery log, replay one, switch on and off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from frmr.webhooks.models import WebhookEndpoint
from frmr.webhooks.selectors import webhook_delivery_log, webhook_endpoints_of_organization
from frmr.webhooks.services import (
    ENTITY_TYPES,
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_set_active,
)
from web.mo.access import Cabinet, operator_required
from web.mo.forms import WebhookForm, apply_service_errors
from web.mo.views.common import page


def _endpoint_or_404(cabinet: Cabinet, endpoint_id: int) -> WebhookEndpoint:
    endpoint = (
        WebhookEndpoint.objects.filter(organization=cabinet.organization, pk=endpoint_id)
        .select_related("organization")
        .first()
    )
    if endpoint is None:
        raise Http404(_("Такого вебхука у вашей организации нет."))
    return endpoint


@never_cache
@operator_required
def webhooks(request: HttpRequest, cabinet: Cabinet) -> HttpResponseBase:
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = webhook_endpoint_create(
                organization=cabinet.organization,
                actor=cabinet.user,
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                entity_types=form.cleaned_data["entity_types"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Вебхук «%(name)s» зарегистрирован. Скопируйте секрет для проверки подписи.")
                % {"name": endpoint.name},
            )
            return redirect("mo:webhook", endpoint.pk)
    endpoints = list(webhook_endpoints_of_organization(organization=cabinet.organization))
    return page(request, cabinet, "mo/webhooks.html", {"endpoints": endpoints, "form": form})


@never_cache
@operator_required
def webhook(request: HttpRequest, cabinet: Cabinet, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint_or_404(cabinet, endpoint_id)
    kinds = [ENTITY_TYPES.get(t, t) for t in endpoint.entity_types]
    return page(
        request,
        cabinet,
        "mo/webhook.html",
        {"endpoint": endpoint, "kinds": kinds, "deliveries": webhook_delivery_log(endpoint=endpoint)},
    )


@require_POST
@operator_required
def replay(request: HttpRequest, cabinet: Cabinet, endpoint_id: int, delivery_id: int) -> HttpResponseBase:
    endpoint = _endpoint_or_404(cabinet, endpoint_id)
    delivery = endpoint.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404(_("Такой отправки у этого вебхука нет."))
    try:
        webhook_delivery_replay(delivery=delivery, actor=cabinet.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Событие %(message_id)s поставлено в очередь на повторную отправку.")
            % {"message_id": delivery.message_id},
        )
    return redirect("mo:webhook", endpoint.pk)


@require_POST
@operator_required
def set_active(request: HttpRequest, cabinet: Cabinet, endpoint_id: int) -> HttpResponseBase:
    endpoint = _endpoint_or_404(cabinet, endpoint_id)
    active = request.POST.get("active") == "1"
    webhook_endpoint_set_active(endpoint=endpoint, actor=cabinet.user, active=active)
    messages.success(
        request,
        _("Вебхук включён.")
        if active
        else _("Вебхук отключён: события копятся и будут отправлены после включения."),
    )
    return redirect("mo:webhook", endpoint.pk)
