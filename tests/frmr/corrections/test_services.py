from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from frmr.audit.models import AuditAction, AuditEntry
from frmr.corrections.models import CorrectionRequest, CorrectionStatus
from frmr.corrections.selectors import (
    correction_employers,
    correction_request_get_for_organization,
    correction_request_get_for_user,
    correction_requests_for_organization,
    correction_requests_for_user,
)
from frmr.corrections.services import (
    correction_request_answer,
    correction_request_close,
    correction_request_create,
)
from frmr.notifications.models import Notification
from frmr.nsi import oids
from frmr.registry.catalogue import FileSection
from tests.factories import EmploymentCardFactory, OrganizationFactory, dict_entry


def _send(worker, organization, **overrides) -> CorrectionRequest:
    data = {
        "section": FileSection.EDUCATION,
        "text": "Год окончания 2009",
        "expected_value": "Год окончания 2008",
    }
    data.update(overrides)
    return correction_request_create(actor=worker, organization=organization, **data)


def test_worker_sends_request_to_employer(worker, org_a) -> None:
    correction = _send(worker, org_a)
    assert correction.status == CorrectionStatus.SENT
    assert correction.person == worker.person and correction.author == worker
    entry = AuditEntry.objects.get(object_type="corrections.correctionrequest")
    assert entry.action == AuditAction.CREATE and entry.person == worker.person
    assert entry.changes["status"] == [None, "sent"]


def test_former_employer_is_an_addressee(worker, org_a) -> None:
    former = OrganizationFactory()
    EmploymentCardFactory(
        person=worker.person,
        organization=former,
        begin_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
        end_reason=dict_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию"),
    )
    assert set(correction_employers(person=worker.person)) == {org_a, former}
    assert _send(worker, former).organization == former


def test_foreign_organization_refused(worker, org_b) -> None:
    with pytest.raises(ValidationError) as caught:
        _send(worker, org_b)
    assert "работаете или работали" in caught.value.message_dict["organization"][0]
    assert not CorrectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "  "}, "text"),
        ({"expected_value": ""}, "expected_value"),
        ({"text": "x" * 4001}, "text"),
        ({"section": "salary"}, "section"),
    ],
)
def test_bad_input_refused(worker, org_a, overrides, field) -> None:
    with pytest.raises(ValidationError) as caught:
        _send(worker, org_a, **overrides)
    assert field in caught.value.message_dict
    assert not CorrectionRequest.objects.exists()


def test_missing_organization_refused(worker) -> None:
    with pytest.raises(ValidationError) as caught:
        _send(worker, None)
    assert "Выберите организацию" in caught.value.message_dict["organization"][0]


def test_user_without_file_refused(db) -> None:
    from tests.factories import UserFactory

    with pytest.raises(ValidationError):
        _send(UserFactory(), OrganizationFactory())


def test_double_submit_files_once(worker, org_a) -> None:
    assert _send(worker, org_a) == _send(worker, org_a)
    assert CorrectionRequest.objects.count() == 1


def test_operator_answers_worker_notified_once(
    worker, org_a, operator_a, django_capture_on_commit_callbacks
) -> None:
    worker.person.email = "nina@example.ru"
    worker.person.save()
    correction = _send(worker, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        answered = correction_request_answer(actor=operator_a, correction=correction, answer="Исправили год.")
    assert answered.status == CorrectionStatus.ANSWERED
    assert answered.answered_by == operator_a and answered.answered_at is not None
    notification = Notification.objects.get(recipient=worker)
    assert "Исправили год." in notification.body
    assert notification.link == "" or notification.link.endswith(f"/{correction.pk}/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.ru"]
    transition = AuditEntry.objects.get(action=AuditAction.TRANSITION)
    assert transition.changes["status"] == ["sent", "answered"]
    assert transition.organization == org_a


def test_answer_twice_refused(worker, org_a, operator_a) -> None:
    correction = _send(worker, org_a)
    correction_request_answer(actor=operator_a, correction=correction, answer="Да.")
    with pytest.raises(ValidationError) as caught:
        correction_request_answer(actor=operator_a, correction=correction, answer="Ещё раз.")
    assert "Получен ответ" in caught.value.messages[0]


def test_answer_and_close(worker, org_a, operator_a) -> None:
    correction = correction_request_answer(
        actor=operator_a, correction=_send(worker, org_a), answer="Исправлено.", close=True
    )
    assert correction.status == CorrectionStatus.CLOSED and correction.closed_at is not None


def test_other_organization_cannot_answer(worker, org_a, operator_b, other_worker) -> None:
    correction = _send(worker, org_a)
    for actor in (operator_b, other_worker, worker):
        with pytest.raises(ValidationError):
            correction_request_answer(actor=actor, correction=correction, answer="Нет.")
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.SENT


def test_empty_answer_refused(worker, org_a, operator_a) -> None:
    with pytest.raises(ValidationError) as caught:
        correction_request_answer(actor=operator_a, correction=_send(worker, org_a), answer=" ")
    assert "answer" in caught.value.message_dict


def test_worker_closes_own_request_not_others(worker, org_a, other_worker) -> None:
    correction = _send(worker, org_a)
    with pytest.raises(ValidationError):
        correction_request_close(actor=other_worker, correction=correction)
    closed = correction_request_close(actor=worker, correction=correction)
    assert closed.status == CorrectionStatus.CLOSED
    with pytest.raises(ValidationError):
        correction_request_close(actor=worker, correction=correction)


def test_selectors_are_scoped(worker, other_worker, org_a, org_b) -> None:
    correction = _send(worker, org_a)
    assert list(correction_requests_for_user(user=worker)) == [correction]
    assert list(correction_requests_for_user(user=other_worker)) == []
    with pytest.raises(CorrectionRequest.DoesNotExist):
        correction_request_get_for_user(user=other_worker, request_id=correction.pk)
    assert correction_request_get_for_user(user=worker, request_id=correction.pk) == correction
    assert list(correction_requests_for_organization(organization=org_a)) == [correction]
    assert correction_request_get_for_organization(organization=org_a, request_id=correction.pk) == correction
    with pytest.raises(CorrectionRequest.DoesNotExist):
        correction_request_get_for_organization(organization=org_b, request_id=correction.pk)
    assert (
        list(correction_requests_for_organization(organization=org_a, status=CorrectionStatus.CLOSED)) == []
    )


def _upload(data: bytes, name: str = "диплом.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_request_with_pdf_proof(worker, org_a) -> None:
    from frmr.documents.storage import document_storage
    from tests.pdfs import pdf_bytes

    correction = _send(worker, org_a, proof=_upload(pdf_bytes(), "../../скан диплома.pdf"))
    assert correction.has_proof and correction.proof_name == "скан диплома.pdf"
    assert ".." not in correction.proof_storage_name
    assert document_storage().exists(correction.proof_storage_name)


@pytest.mark.parametrize("kind", ["png", "html", "encrypted"])
def test_proof_checked_by_content(worker, org_a, kind) -> None:
    from tests import pdfs

    data = {"png": pdfs.PNG_BYTES, "html": pdfs.HTML_BYTES, "encrypted": pdfs.encrypted_pdf_bytes()}[kind]
    with pytest.raises(ValidationError) as caught:
        _send(worker, org_a, proof=_upload(data))
    assert "proof" in caught.value.message_dict
    assert not CorrectionRequest.objects.exists()


def test_proof_cut_off_by_upload_limit(worker, org_a) -> None:
    with pytest.raises(ValidationError) as caught:
        _send(worker, org_a, proof_too_large=True)
    assert "МБ" in caught.value.message_dict["proof"][0]


def test_proof_removed_when_row_fails(worker, org_a, monkeypatch) -> None:
    from frmr.corrections import services
    from frmr.documents.storage import document_storage
    from tests.pdfs import pdf_bytes

    stored_names: list[str] = []
    real_store = services.document_store

    def store(**kwargs):
        stored = real_store(**kwargs)
        stored_names.append(stored.storage_name)
        return stored

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "document_store", store)
    monkeypatch.setattr(services, "_create", boom)
    with pytest.raises(RuntimeError):
        _send(worker, org_a, proof=_upload(pdf_bytes()))
    assert stored_names and not document_storage().exists(stored_names[0])
