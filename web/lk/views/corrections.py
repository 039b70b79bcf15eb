"""«Сообщить об ошибке»: the worker's correction requests to their employers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frmr.corrections.models import CorrectionRequest
from frmr.corrections.selectors import (
    correction_employers,
    correction_request_get_for_user,
    correction_requests_for_user,
)
from frmr.corrections.services import correction_request_close, correction_request_create
from frmr.documents.pdf import too_large_message
from frmr.documents.responses import serve_private_file
from frmr.documents.uploads import limited_upload, upload_limit
from frmr.registry.catalogue import FileSection
from web.lk.access import AuthenticatedHttpRequest, own_person, worker_required
from web.lk.forms import CorrectionForm


@worker_required
def correction_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    requests = list(correction_requests_for_user(user=request.user))
    return render(request, "lk/corrections.html", {"requests": requests})


def _request_too_large(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The body was not read (so no CSRF token and no typed fields either): nothing is changed here.
    user = request.user
    form = CorrectionForm(employers=correction_employers(person=own_person(user)))
    form.add_error(None, too_large_message())
    return render(request, "lk/correction_new.html", {"form": form}, status=413)


@worker_required
@limited_upload(max_files=1, too_large=_request_too_large)
def correction_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    employers = correction_employers(person=own_person(user))
    if request.method == "POST":
        form = CorrectionForm(request.POST, request.FILES, employers=employers)
        handler = upload_limit(request)
        proof_too_large = handler is not None and "proof" in handler.oversized
        if form.is_valid():
            try:
                correction = correction_request_create(
                    actor=user,
                    organization=form.cleaned_data["organization"],
                    section=form.cleaned_data["section"],
                    text=form.cleaned_data["text"],
                    expected_value=form.cleaned_data["expected_value"],
                    proof=form.cleaned_data["proof"],
                    proof_too_large=proof_too_large,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _(
                        "Запрос № %(pk)s отправлен в %(name_short)s. Ответ появится здесь, а вам придёт "
                        "уведомление."
                    )
                    % {"pk": correction.pk, "name_short": correction.organization.name_short},
                )
                return redirect("lk:correction_detail", request_id=correction.pk)
        elif proof_too_large:
            # Shown with the other mistakes of the form, so that everything is fixed in one go.
            form.add_service_errors(ValidationError({"proof": [too_large_message()]}))
    else:
        initial: dict[str, object] = {}
        section = request.GET.get("section", "")
        if section in FileSection.values:
            initial["section"] = section
        employer_list = list(employers)
        if len(employer_list) == 1:
            initial["organization"] = employer_list[0].pk
        form = CorrectionForm(initial=initial, employers=employers)
    return render(request, "lk/correction_new.html", {"form": form})


@worker_required
def correction_detail(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    try:
        correction = correction_request_get_for_user(user=request.user, request_id=request_id)
    except CorrectionRequest.DoesNotExist:
        raise Http404 from None
    return render(request, "lk/correction_detail.html", {"correction": correction})


@require_POST
@worker_required
def correction_close(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    user = request.user
    try:
        correction = correction_request_get_for_user(user=user, request_id=request_id)
    except CorrectionRequest.DoesNotExist:
        raise Http404 from None
    try:
        correction_request_close(actor=user, correction=correction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Запрос № %(pk)s закрыт.") % {"pk": correction.pk})
    return redirect("lk:correction_detail", request_id=correction.pk)


@worker_required
def correction_proof(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponseBase:
    try:
        correction = correction_request_get_for_user(user=request.user, request_id=request_id)
    except CorrectionRequest.DoesNotExist:
        raise Http404 from None
    if not correction.has_proof:
        raise Http404
    return serve_private_file(
        request, storage_name=correction.proof_storage_name, display_name=correction.proof_name, inline=True
    )
