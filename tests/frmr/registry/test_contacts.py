from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from frmr.audit.models import AuditAction, AuditEntry
from frmr.registry.services.contacts import person_contacts_update


def test_worker_changes_phone_and_email_audited(worker) -> None:
    person = person_contacts_update(
        actor=worker, person=worker.person, phone="8 (912) 345-67-89", email=" nina@example.ru "
    )
    assert (person.phone, person.email) == ("+79123456789", "nina@example.ru")
    entry = AuditEntry.objects.get(object_type="registry.person", object_id=str(person.pk))
    assert entry.action == AuditAction.UPDATE
    assert entry.actor == worker and entry.person == person
    assert entry.changes == {"phone": ["", "+79123456789"], "email": ["", "nina@example.ru"]}


def test_no_change_writes_no_audit(worker) -> None:
    person_contacts_update(actor=worker, person=worker.person, phone="+79123456789", email="")
    person_contacts_update(actor=worker, person=worker.person, phone="+7 912 345 67 89", email="")
    assert AuditEntry.objects.filter(object_type="registry.person").count() == 1


def test_contacts_may_be_emptied(worker) -> None:
    person_contacts_update(actor=worker, person=worker.person, phone="+79123456789", email="a@b.ru")
    person = person_contacts_update(actor=worker, person=worker.person, phone="", email="")
    assert (person.phone, person.email) == ("", "")


@pytest.mark.parametrize(
    ("phone", "email", "field", "message"),
    [
        ("+7 495 123-45-67", "", "phone", "мобильного"),
        ("12345", "", "phone", "10 цифр"),
        ("", "not-an-address", "email", "name@example.ru"),
        ("", "x@", "email", "name@example.ru"),
    ],
)
def test_bad_input_refused_nothing_saved(worker, phone, email, field, message) -> None:
    with pytest.raises(ValidationError) as caught:
        person_contacts_update(actor=worker, person=worker.person, phone=phone, email=email)
    assert message in " ".join(caught.value.message_dict[field])
    worker.person.refresh_from_db()
    assert (worker.person.phone, worker.person.email) == ("", "")
    assert not AuditEntry.objects.exists()


def test_one_bad_field_saves_neither(worker) -> None:
    with pytest.raises(ValidationError):
        person_contacts_update(actor=worker, person=worker.person, phone="+79123456789", email="bad")
    worker.person.refresh_from_db()
    assert worker.person.phone == ""


def test_only_the_person_themselves(worker, other_worker, operator_a) -> None:
    for actor in (other_worker, operator_a):
        with pytest.raises(ValidationError):
            person_contacts_update(actor=actor, person=worker.person, phone="+79123456789", email="")
