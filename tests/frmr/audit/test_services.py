from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditAction, AuditEntry
from frmr.audit.selectors import audit_for_person
from frmr.audit.services import audit_record, describe_changes, diff, field_label, model_snapshot
from frmr.registry.services import person_update
from tests.factories import EmploymentCardFactory, PersonFactory


@pytest.mark.django_db
def test_snapshot_is_json_safe() -> None:
    card = EmploymentCardFactory(rate=Decimal("0.75"), begin_date=datetime.date(2021, 2, 3))
    snapshot = model_snapshot(card)
    assert snapshot["rate"] == "0.75"
    assert snapshot["begin_date"] == "2021-02-03"
    assert snapshot["position_type"] == "1 — основное место работы"
    assert snapshot["department"] == str(card.department)
    assert snapshot["person"] == card.person.full_name
    assert snapshot["end_date"] is None
    assert "created_at" not in snapshot and "id" not in snapshot
    assert model_snapshot(card, fields=["rate"]) == {"rate": "0.75"}


def test_diff() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    assert diff({"a": 1}, {}) == {"a": [1, None]}
    assert diff({"a": 1}, {"a": 1}) == {}


@pytest.mark.django_db
def test_record_and_describe(operator_a, org_a) -> None:
    person = PersonFactory()
    entry = audit_record(
        actor=operator_a,
        organization=org_a,
        action=AuditAction.UPDATE,
        obj=person,
        person=person,
        changes={"gender": [1, 2], "birth_date": ["1980-01-01", "1981-01-01"]},
        reason="по заявлению работника",
    )
    assert entry.actor_label == "Сидорова Анна (operator_a)"
    rows = {row.field: row for row in describe_changes(entry)}
    assert rows["gender"].label == "Пол" and (rows["gender"].old, rows["gender"].new) == (
        "мужской",
        "женский",
    )
    assert rows["birth_date"].label == "Дата рождения"
    assert field_label("registry.person", "nonexistent") == "nonexistent"
    system = audit_record(
        actor=SYSTEM, organization=None, action=AuditAction.CREATE, obj=person, person=person
    )
    assert system.actor_label == "система"


@pytest.mark.django_db
def test_history_reads_yes_no_and_a_dash_for_empty(operator_a, org_a, worker) -> None:
    person_update(
        actor=operator_a,
        organization=org_a,
        person=worker.person,
        data={"is_disabled": True, "covid19": False, "oksm_name": "Россия"},
    )
    entry = AuditEntry.objects.filter(person=worker.person).latest("pk")
    rows = {row.field: (row.old, row.new) for row in describe_changes(entry)}
    assert rows["is_disabled"] == (None, "да") and rows["covid19"] == (None, "нет")
    assert rows["oksm_name"] == (None, "Россия")


def test_history_of_a_person_in_fixed_queries(operator_a, org_a, worker, django_assert_num_queries) -> None:
    for n in range(5):
        person_update(
            actor=operator_a, organization=org_a, person=worker.person, data={"birth_place": f"Город {n}"}
        )
    with django_assert_num_queries(1):
        history = list(audit_for_person(person=worker.person))
        labels = [(entry.actor.username, entry.organization.name_short) for entry in history]
    assert len(history) == 5 and labels[0] == ("operator_a", org_a.name_short)
    assert history[0].changes == {"birth_place": ["Город 3", "Город 4"]}
    assert AuditEntry.objects.count() == 5


@pytest.mark.django_db
def test_history_outlives_a_deleted_person(operator_a, org_a, admin_user, client) -> None:
    from frmr.registry.services import person_create, person_delete

    person = person_create(
        actor=operator_a,
        organization=org_a,
        data={
            "snils": "112-233-445 95",
            "last_name": "Удаляемая",
            "first_name": "Анна",
            "gender": 2,
            "birth_date": datetime.date(1990, 1, 2),
        },
    )
    person_update(actor=operator_a, organization=org_a, person=person, data={"birth_place": "г. Тверь"})
    person_id = person.pk
    person_delete(actor=operator_a, organization=org_a, person=person)

    # Nothing was rewritten: the creation, the change and the deletion all still name the person.
    actions = list(
        AuditEntry.objects.filter(person_id=person_id).order_by("id").values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]

    client.force_login(admin_user)
    listing = client.get("/admin/audit/auditentry/", {"q": "Удаляемая"})
    assert listing.status_code == 200
    assert f"удалён из регистра (№ {person_id})" in listing.content.decode()
    entry = AuditEntry.objects.filter(person_id=person_id).first()
    assert entry is not None
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert f"удалён из регистра (№ {person_id})" in page.content.decode()


@pytest.mark.django_db
def test_admin_audit_log_refused_to_an_operator(operator_a, client) -> None:
    client.force_login(operator_a)
    response = client.get("/admin/audit/auditentry/")
    assert response.status_code == 302  # the admin sends non-staff users to its login page


@pytest.mark.django_db
def test_one_label_for_a_user_everywhere(operator_a, fac_staff, worker) -> None:
    """The accreditation services write through `audit_record` too: «Фамилия Имя Отчество (login)»."""
    from frmr.accreditation.services import application_audit_view
    from frmr.accreditation.services.worker import application_create_draft
    from frmr.audit.actors import Actor, user_label
    from frmr.nsi import oids
    from frmr.nsi.services import dictionaries_load

    dictionaries_load(only=[oids.SPECIALTY_KINDS, oids.SPECIALTIES, oids.ACCREDITATION_KINDS])
    fac_staff.last_name, fac_staff.first_name, fac_staff.patronymic = "Петрова", "Ольга", "Ивановна"
    fac_staff.save()
    application = application_create_draft(actor=worker)
    application_audit_view(actor=fac_staff, application=application, what="личное дело")
    viewed = AuditEntry.objects.filter(action=AuditAction.VIEW).get()
    assert viewed.actor_label == "Петрова Ольга Ивановна (fac_staff)" == user_label(fac_staff)
    assert viewed.actor_id == fac_staff.pk and viewed.person_id == worker.person_id
    created = AuditEntry.objects.filter(action=AuditAction.TRANSITION).get()
    assert created.actor_label == Actor.of_user(worker).label and created.actor_id == worker.pk
