"""The worker's download of their accreditation extract (lives outside web/lk, mounted as `lk:extract`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from frmr.accreditation.extract import extract_pdf
from frmr.accreditation.selectors import record_of_worker


@require_GET
@login_required
def download(request: HttpRequest, registry_number: str) -> HttpResponse:
    record = record_of_worker(user=request.user, registry_number=registry_number)
    response = HttpResponse(extract_pdf(record=record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="extract-{record.registry_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
