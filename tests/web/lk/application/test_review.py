"""«Проверьте заявление» before sending and «Заявление отправлено» after (issue 12, point 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import Application, ApplicationStatus
from tests.web.lk.application.conftest import typed_fields

S = ApplicationStatus


def url(name: str, application: Application) -> str:
    return reverse(f"lk:application_{name}", kwargs={"pk": application.pk})


def test_review_shows_the_answers_with_change_links_and_the_deadline(
    login: Any, complete_draft: Application, practising: User, settings: Any
) -> None:
    page = login(practising).get(url("review", complete_draft)).content.decode()
    assert "<h1>Проверьте заявление</h1>" in page
    edit = url("edit", complete_draft)
    for section in ("contacts", "specialty", "kind", "documents", "comment"):
        assert f'href="{edit}#section-{section}"' in page
    assert "+7 912 345-67-89" in page and "doctor@example.ru" in page
    assert "passport.pdf" in page
    deadline = add_working_days(timezone.localdate(), settings.ACCREDITATION_CHECK_DAYS)
    assert f"до {deadline:%d.%m.%Y}" in page
    assert "доставлен" not in page
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.DRAFT


def test_review_of_an_incomplete_draft_goes_back_to_the_form(
    login: Any, draft: Application, practising: User
) -> None:
    client = login(practising)
    response = client.get(url("review", draft))
    assert response.status_code == 302 and response["Location"] == url("edit", draft)
    assert client.post(url("review", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.parametrize("name", ["review", "sent"])
def test_another_worker_gets_404(
    login: Any, complete_draft: Application, other_worker: User, name: str
) -> None:
    client = login(other_worker)
    assert client.get(url(name, complete_draft)).status_code == 404
    assert client.post(url(name, complete_draft)).status_code in (404, 405)
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.DRAFT


def test_review_needs_a_login(client: Any, complete_draft: Application) -> None:
    response = client.post(url("review", complete_draft))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.DRAFT


def test_sent_page_says_what_happens_next_and_by_when(
    login: Any, complete_draft: Application, practising: User
) -> None:
    client = login(practising)
    response = client.post(url("review", complete_draft))
    assert response["Location"] == url("sent", complete_draft)
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.SUBMITTED and complete_draft.check_deadline is not None
    page = client.get(url("sent", complete_draft)).content.decode()
    assert "<h1>Заявление отправлено</h1>" in page
    assert "Что будет дальше" in page
    assert f"до {complete_draft.check_deadline:%d.%m.%Y}" in page
    assert "доставлен" not in page
    detail = client.get(url("detail", complete_draft)).content.decode()
    assert "Срок проверки центром" in detail and f"до {complete_draft.check_deadline:%d.%m.%Y}" in detail


def test_sent_page_of_a_draft_goes_to_the_application(
    login: Any, draft: Application, practising: User
) -> None:
    response = login(practising).get(url("sent", draft))
    assert response.status_code == 302 and response["Location"] == url("detail", draft)


def test_the_send_check_refuses_another_worker(complete_draft: Application, other_worker: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_send_check(application=complete_draft, actor=other_worker)


def test_the_form_never_sends_without_the_review(
    login: Any, complete_draft: Application, practising: User
) -> None:
    login(practising).post(url("edit", complete_draft), typed_fields(action="submit"))
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.DRAFT


def test_a_change_of_kind_keeps_the_attached_files(
    login: Any, complete_draft: Application, practising: User
) -> None:
    client = login(practising)
    response = client.post(
        url("edit", complete_draft), typed_fields(accreditation_kind="1", action="refresh-kind")
    )
    assert response.status_code == 302 and response["Location"].endswith("#section-kind")
    page = client.get(url("edit", complete_draft)).content.decode()
    assert "portfolio.pdf" not in page and "passport.pdf" in page  # primary does not ask for a portfolio
    client.post(url("edit", complete_draft), typed_fields(action="refresh-kind"))
    assert "portfolio.pdf" in client.get(url("edit", complete_draft)).content.decode()


def test_another_worker_cannot_change_the_kind(
    login: Any, complete_draft: Application, other_worker: User
) -> None:
    response = login(other_worker).post(
        url("edit", complete_draft), typed_fields(accreditation_kind="1", action="refresh-kind")
    )
    assert response.status_code == 404
    complete_draft.refresh_from_db()
    assert complete_draft.kind_code == "3"


def test_a_whole_form_post_with_a_new_kind_keeps_files_of_both_lists(
    login: Any, draft: Application, practising: User
) -> None:
    """Without JavaScript the kind and the files come in one post: nothing chosen is lost."""
    from tests.web.lk.application.conftest import pdf_upload

    client = login(practising)
    data = {
        **typed_fields(accreditation_kind="1", action="save"),
        "file-portfolio-0": pdf_upload("портфолио.pdf"),  # asked by the old kind (periodic) only
        "file-foreign_recognition-0": pdf_upload("признание.pdf"),  # by the new kind (primary) only
    }
    response = client.post(url("edit", draft), data)
    assert response.status_code == 302
    kept = sorted(draft.documents.values_list("doc_type", flat=True))
    assert kept == ["foreign_recognition", "portfolio"]
    draft.refresh_from_db()
    assert draft.kind_code == "1"
