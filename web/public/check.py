"""The public verification page of an accreditation: what the extract's QR code opens."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from frmr.accreditation.selectors import is_valid_on, record_for_public_check


def check(request: HttpRequest, registry_number: str) -> HttpResponse:
    try:
        record = record_for_public_check(registry_number=registry_number)
    except Http404:
        return render(
            request, "public/check_not_found.html", {"registry_number": registry_number}, status=404
        )
    # Only what verifies the accreditation: no СНИЛС, birth date or contacts on a public page.
    return render(request, "public/check.html", {"record": record, "valid": is_valid_on(record)})
