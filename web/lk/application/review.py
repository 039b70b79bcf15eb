"""«Проверьте заявление» and «Заявление отправлено»: the two pages around sending an application.

The edit form's «Отправить заявление» saves and checks the draft, then shows it read-only here with
«Изменить» links back to each section; sending happens only from this page. The confirmation page says
what happens next and by when (the centre's deadline from the working-day calendar), nothing more.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from frmr.accreditation.models import IN_PROGRESS, Application, ApplicationStatus
from frmr.accreditation.selectors import document_rows
from frmr.accreditation.services.worker import (
    application_resubmit,
    application_send_check,
    application_submit,
    expected_check_deadline,
)
from web.lk.access import AuthenticatedHttpRequest, login_required
from web.lk.application.views import own_application

S = ApplicationStatus


@login_required
def application_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    user = request.user
    if application.status in IN_PROGRESS and application.status != S.RETURNED:
        # Already sent (a double click, the back button): nothing to check any more.
        return redirect("lk:application_sent", pk=application.pk)
    if application.status not in (S.DRAFT, S.RETURNED):
        return redirect("lk:application_detail", pk=application.pk)
    try:
        application_send_check(application=application, actor=user)
    except (ValidationError, PermissionDenied):
        # Something changed since the form was checked: the form shows what is missing.
        messages.error(
            request, _("В заявлении не хватает данных — заполните отмеченные поля и отправьте снова.")
        )
        return redirect("lk:application_edit", pk=application.pk)
    if request.method == "POST":
        try:
            if application.status == S.RETURNED:
                application_resubmit(application=application, actor=user)
            else:
                application_submit(application=application, actor=user)
        except (ValidationError, PermissionDenied):
            messages.error(request, _("Заявление не отправлено — проверьте отмеченные поля."))
            return redirect("lk:application_edit", pk=application.pk)
        return redirect("lk:application_sent", pk=application.pk)
    return render(
        request,
        "lk/application/review.html",
        {
            "application": application,
            "rows": [row for row in document_rows(application=application) if row.document is not None],
            "returned": application.status == S.RETURNED,
            "check_deadline": expected_check_deadline(),
            "check_days": settings.ACCREDITATION_CHECK_DAYS,
        },
    )


@login_required
def application_sent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application: Application = own_application(request, pk)
    if application.status not in (S.SUBMITTED, S.REGISTERED):
        return redirect("lk:application_detail", pk=application.pk)
    return render(
        request,
        "lk/application/sent.html",
        {
            "application": application,
            "check_days": settings.ACCREDITATION_CHECK_DAYS,
            "commission_days": settings.ACCREDITATION_COMMISSION_DAYS,
        },
    )
