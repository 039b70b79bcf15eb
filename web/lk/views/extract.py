"""The worker's download of their accreditation extract (`lk:extract`)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from frmr.accreditation.extract import extract_pdf
from frmr.accreditation.selectors import record_of_worker
from frmr.registry.models import AccreditationRecord
from web.lk.access import AuthenticatedHttpRequest, login_required


@require_GET
@login_required
def extract_download(request: AuthenticatedHttpRequest, registry_number: str) -> HttpResponse:
    try:
        record = record_of_worker(user=request.user, registry_number=registry_number)
    except AccreditationRecord.DoesNotExist:
        raise Http404(_("Запись об аккредитации не найдена.")) from None
    response = HttpResponse(extract_pdf(record=record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="extract-{record.registry_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
