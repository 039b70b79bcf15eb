"""The worker's accreditation applications: the list, starting one, the read-only page, withdrawal and
the documents' download. The form is in edit.py, the pages around sending in review.py.

The rules live in frmr.accreditation (the model's `can_withdraw` / `row_editable`, the selectors, the
services in services/worker.py); this package only translates requests into service calls and the
answers into pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from frmr.accreditation.models import EDITABLE, Application, ApplicationDocument, ApplicationStatus
from frmr.accreditation.selectors import (
    application_get_for_worker,
    application_history,
    applications_of_worker,
    deadline_of,
    default_kind_code,
    document_get_for_user,
    document_rows,
)
from frmr.accreditation.services import application_audit_view
from frmr.accreditation.services.worker import application_create_draft, application_withdraw
from frmr.documents.responses import serve_private_file
from web.lk.access import AuthenticatedHttpRequest, login_or_not_found, login_required

S = ApplicationStatus


# --- list, start, detail, withdraw ------------------------------------------------------------------


@login_required
@require_GET
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = list(applications_of_worker(user=request.user))
    return render(
        request,
        "lk/application/list.html",
        {"applications": applications, "has_person": request.user.person_id is not None},
    )


@login_required
def application_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            application = application_create_draft(
                actor=user, kind_code=default_kind_code(person_id=user.person_id)
            )
        except ValidationError as error:
            return render(request, "lk/application/new.html", {"error": first_message(error)}, status=200)
        return redirect("lk:application_edit", pk=application.pk)
    draft = applications_of_worker(user=user).filter(status=S.DRAFT).first()
    return render(
        request, "lk/application/new.html", {"draft": draft, "has_person": user.person_id is not None}
    )


@login_required
@require_GET
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    return render(
        request,
        "lk/application/detail.html",
        {
            "application": application,
            "history": application_history(application=application),
            "rows": document_rows(application=application),
            "can_withdraw": application.can_withdraw(),
            "editable": application.status in EDITABLE,
            "deadline": deadline_of(application),
        },
    )


@login_required
@require_POST
def application_withdraw_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    try:
        application_withdraw(application=application, actor=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("Заявление отозвано. По этой специальности можно подать новое."))
    return redirect("lk:application_detail", pk=application.pk)


def own_application(request: AuthenticatedHttpRequest, pk: int) -> Application:
    """The worker's own application; anybody else's is «not found», never «forbidden»."""
    try:
        return application_get_for_worker(user=request.user, pk=pk)
    except Application.DoesNotExist:
        raise Http404(_("Заявление не найдено.")) from None


# --- documents ---------------------------------------------------------------------------------------


@login_or_not_found
@require_GET
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The owner, the centre's staff and the commission's secretaries; everyone else gets 404."""
    try:
        document = document_get_for_user(user=request.user, pk=pk)
    except ApplicationDocument.DoesNotExist:
        raise Http404(_("Документ не найден.")) from None
    if document.application.applicant_id != request.user.pk:
        application_audit_view(
            actor=request.user,
            application=document.application,
            what=_("документ «%(document)s»") % {"document": document},
        )
    return serve_private_file(
        request,
        storage_name=document.storage_name,
        display_name=document.original_name,
        inline=request.GET.get("inline") == "1",
    )


def first_message(error: ValidationError | PermissionDenied) -> str:
    """The one refusal a page shows for a service's error."""
    if isinstance(error, PermissionDenied):
        return str(error) or _("Недостаточно прав.")
    return error.messages[0] if error.messages else _("Ошибка.")
