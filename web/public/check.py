"""The public verification of an accreditation: a form to type a number (`/check/`) and the page the
extract's QR code opens (`/check/<number>`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from frmr.accreditation.numbering import registry_number_canonical, registry_number_typed
from frmr.accreditation.selectors import is_valid_on, record_for_public_check
from frmr.core.replicas import replica_reads
from frmr.registry.models import AccreditationRecord


def check_form(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("number")
    if typed is None:
        return render(request, "public/check_form.html", {"number": ""})
    try:
        number = registry_number_typed(typed)
    except ValidationError as error:
        return render(
            request, "public/check_form.html", {"number": typed, "error": error.messages[0]}, status=400
        )
    return redirect("public:check", registry_number=number)


@replica_reads  # a decision registered a moment ago may show a few seconds later: a lag it tolerates
def check(request: HttpRequest, registry_number: str) -> HttpResponse:
    try:
        record = record_for_public_check(registry_number=registry_number)
    except AccreditationRecord.DoesNotExist:
        # The form's hint allows a space between the year and the serial; the register writes a hyphen.
        canonical = registry_number_canonical(registry_number)
        if canonical and canonical != registry_number:
            return redirect("public:check", registry_number=canonical)
        return render(
            request, "public/check_not_found.html", {"registry_number": registry_number}, status=404
        )
    # Only what verifies the accreditation: no СНИЛС, birth date or contacts on a public page.
    return render(request, "public/check.html", {"record": record, "valid": is_valid_on(record)})
