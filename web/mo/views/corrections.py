"""The inbox of correction requests workers address to this organization: read, fix, answer, close."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from frmr.corrections.models import CorrectionRequest, CorrectionStatus
from frmr.corrections.selectors import (
    correction_request_get_for_organization,
    correction_requests_for_organization,
)
from frmr.corrections.services import correction_request_answer, correction_request_close
from frmr.documents.responses import serve_private_file
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required
from web.mo.forms import AnswerForm, apply_service_errors
from web.mo.sections import BY_SLUG
from web.mo.views.common import page

FILTERS = {
    "open": gettext_lazy("Ожидают ответа"),
    "answered": gettext_lazy("С ответом"),
    "closed": gettext_lazy("Закрытые"),
    "all": gettext_lazy("Все"),
}


def _request_or_404(cabinet: Cabinet, request_id: int) -> CorrectionRequest:
    try:
        return correction_request_get_for_organization(
            organization=cabinet.organization, request_id=request_id
        )
    except CorrectionRequest.DoesNotExist:
        raise Http404(_("Такого запроса к вашей организации нет.")) from None


@operator_required
def inbox(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponse:
    shown = request.GET.get("show", "open")
    shown = shown if shown in FILTERS else "open"
    requests = correction_requests_for_organization(organization=cabinet.organization)
    if shown == "open":
        requests = requests.filter(status=CorrectionStatus.SENT)
    elif shown == "answered":
        requests = requests.filter(status=CorrectionStatus.ANSWERED)
    elif shown == "closed":
        requests = requests.filter(status=CorrectionStatus.CLOSED)
    current = Paginator(requests, 25).get_page(request.GET.get("page"))
    return page(
        request,
        cabinet,
        "mo/corrections.html",
        {"page": current, "shown": shown, "filters": list(FILTERS.items())},
    )


@operator_required
def detail(request: AuthenticatedHttpRequest, cabinet: Cabinet, request_id: int) -> HttpResponseBase:
    correction = _request_or_404(cabinet, request_id)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            correction_request_answer(
                actor=cabinet.user,
                correction=correction,
                answer=form.cleaned_data["answer"],
                close=form.cleaned_data["close"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ответ отправлен работнику."))
            return redirect("mo:correction", request_id=correction.pk)
    section = BY_SLUG.get(correction.section)
    return page(
        request,
        cabinet,
        "mo/correction.html",
        {
            "correction": correction,
            "form": form,
            "section_anchor": section.slug if section else correction.section,
            "can_answer": correction.status == CorrectionStatus.SENT,
        },
    )


@require_POST
@operator_required
def close(request: AuthenticatedHttpRequest, cabinet: Cabinet, request_id: int) -> HttpResponseBase:
    correction = _request_or_404(cabinet, request_id)
    try:
        correction_request_close(actor=cabinet.user, correction=correction)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Запрос закрыт."))
    return redirect("mo:correction", request_id=correction.pk)


@operator_required
def proof(request: AuthenticatedHttpRequest, cabinet: Cabinet, request_id: int) -> HttpResponseBase:
    correction = _request_or_404(cabinet, request_id)
    if not correction.has_proof:
        raise Http404(_("К запросу не приложен документ."))
    return serve_private_file(
        request, storage_name=correction.proof_storage_name, display_name=correction.proof_name, inline=True
    )
