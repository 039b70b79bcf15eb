"""Bulk import in the cabinet: the template, upload, the dry run's report, confirmation, progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frmr.imports.columns import COLUMNS
from frmr.imports.models import ImportJob
from frmr.imports.selectors import import_job_get, import_jobs_of_organization
from frmr.imports.services import (
    identity_rows,
    import_job_apply_check,
    import_job_apply_request,
    import_job_create,
)
from frmr.imports.template import template_csv, template_xlsx
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required
from web.mo.forms import ImportUploadForm, apply_service_errors
from web.mo.views.common import page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job_or_404(cabinet: Cabinet, job_id: str) -> ImportJob:
    try:
        return import_job_get(organization=cabinet.organization, job_id=job_id)
    except (ImportJob.DoesNotExist, ValidationError):
        raise Http404(_("Такой загрузки в вашей организации нет.")) from None


@operator_required
def upload(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponseBase:
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                organization=cabinet.organization, actor=cabinet.user, upload=form.cleaned_data.get("file")
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("mo:import_job", job_id=job.pk)
    jobs = list(import_jobs_of_organization(organization=cabinet.organization)[:10])
    return page(request, cabinet, "mo/import.html", {"form": form, "jobs": jobs, "columns": COLUMNS})


@operator_required
def template(request: AuthenticatedHttpRequest, cabinet: Cabinet, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("Шаблон есть в форматах XLSX и CSV."))
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(cabinet.organization), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(template_csv(cabinet.organization), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="frmr-employees-template.{fmt}"'
    return response


def _job_page(request: HttpRequest, cabinet: Cabinet, found: ImportJob, selected: set[str]) -> HttpResponse:
    result = found.apply_result if found.apply_result else found.check_result
    good = 0
    if found.check_result:
        counts = found.check_result.get("counts", {})
        good = sum(v for k, v in counts.items() if k not in ("error", "skipped"))
    changes = [{**row, "checked": row["identity_key"] in selected} for row in identity_rows(found)]
    context = {"job": found, "result": result, "good_rows": good, "identity_rows": changes}
    return page(request, cabinet, "mo/import_job.html", context)


@operator_required
def job(request: AuthenticatedHttpRequest, cabinet: Cabinet, job_id: str) -> HttpResponse:
    return _job_page(request, cabinet, _job_or_404(cabinet, job_id), set())


@operator_required
def job_status(request: AuthenticatedHttpRequest, cabinet: Cabinet, job_id: str) -> JsonResponse:
    found = _job_or_404(cabinet, job_id)
    return JsonResponse(
        {
            "status": found.status,
            "status_label": found.get_status_display(),
            "running": found.is_running,
            "processed": found.processed_rows,
            "total": found.total_rows,
            "percent": found.percent,
        }
    )


@require_POST
@operator_required
def job_apply(request: AuthenticatedHttpRequest, cabinet: Cabinet, job_id: str) -> HttpResponseBase:
    """Two steps: the report's form shows what the application will do; only «Подтвердить» applies.

    The rows whose change of ФИО or birth date the operator ticked travel through both steps as
    hidden fields (and back to the report with «Вернуться», still ticked); others are skipped.
    """
    found = _job_or_404(cabinet, job_id)
    changes = identity_rows(found)
    known = [row["identity_key"] for row in changes]
    if request.POST.get("identity_all"):
        selected = set(known)
    else:
        selected = set(request.POST.getlist("identity")) & set(known)
    if "back" in request.POST:
        return _job_page(request, cabinet, found, selected)
    if request.POST.get("confirm") != "1":
        try:
            import_job_apply_check(job=found, actor=cabinet.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("mo:import_job", job_id=found.pk)
        counts = found.check_result.get("counts", {})
        context = {
            "job": found,
            "result": found.check_result,
            "good_rows": sum(v for k, v in counts.items() if k not in ("error", "skipped")),
            "unconfirmed_count": found.check_result.get("identity_count", 0) - len(selected),
            "confirmed": [row for row in changes if row["identity_key"] in selected],
            "unconfirmed": [row for row in changes if row["identity_key"] not in selected],
            "selected": [key for key in known if key in selected],
        }
        return page(request, cabinet, "mo/import_confirm.html", context)
    try:
        import_job_apply_request(job=found, actor=cabinet.user, identity_confirmed=selected)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("mo:import_job", job_id=found.pk)
