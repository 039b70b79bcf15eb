"""A withdrawn, refused or decided application frees its specialty: the worker's form sends a new one."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application, ApplicationStatus
from frmr.accreditation.requirements import requirements_for
from tests.web.lk.application.conftest import pdf_upload, typed_fields

S = ApplicationStatus


def send_a_new_application(client: Any, worker: User) -> Any:
    """Start a new application from the list and send it in one whole-form post, files included."""
    client.post(reverse("lk:application_new"))
    draft = Application.objects.get(applicant=worker, status=S.DRAFT)
    files = {
        f"file-{requirement.doc_type}-0": pdf_upload(f"{requirement.doc_type}.pdf")
        for requirement in requirements_for("3")
        if requirement.required
    }
    url = reverse("lk:application_edit", kwargs={"pk": draft.pk})
    response = client.post(url, {**typed_fields(action="submit"), **files})
    if response.status_code == 302 and response["Location"].endswith("/review/"):
        # The «Проверьте заявление» page: sending happens there.
        response = client.post(response["Location"])
    return draft, response


@pytest.mark.parametrize("ending", ["withdrawn", "refused", "not_accredited"])
def test_the_specialty_is_free_again(
    login: Any, complete_draft: Application, practising: User, fac_staff: User, secretary: User, ending: str
) -> None:
    client = login(practising)
    first = services.application_submit(application=complete_draft, actor=practising)
    if ending == "withdrawn":
        client.post(reverse("lk:application_withdraw", kwargs={"pk": first.pk}))
    elif ending == "refused":
        services.application_refuse_registration(application=first, actor=fac_staff, reason="Чужой паспорт")
    else:
        services.application_register(application=first, actor=fac_staff)
        services.application_pass_to_commission(application=first, actor=fac_staff)
        services.application_record_decision(
            application=first,
            actor=secretary,
            accredited=False,
            protocol_number="9",
            protocol_date=timezone.localdate(),
            reason="Не сдан этап тестирования",
        )
    first.refresh_from_db()
    assert first.status in (S.WITHDRAWN, S.REFUSED_REGISTRATION, S.NOT_ACCREDITED)

    second, response = send_a_new_application(client, practising)
    assert response.status_code == 302 and response["Location"] == reverse(
        "lk:application_sent", kwargs={"pk": second.pk}
    )
    second.refresh_from_db()
    assert second.status == S.SUBMITTED and second.specialty_id == first.specialty_id


def test_while_one_is_in_progress_the_form_refuses_the_second(
    login: Any, complete_draft: Application, practising: User
) -> None:
    client = login(practising)
    services.application_submit(application=complete_draft, actor=practising)
    second, response = send_a_new_application(client, practising)
    assert response.status_code == 200
    assert "отправлять его повторно не нужно" in response.content.decode()
    second.refresh_from_db()
    assert second.status == S.DRAFT
