"""`<Type>/_history`: the token's organization's change log as FHIR history entries, newest first,
paged by keys that stay put while writers commit (docs/fhir.md «История», docs/sync.md)."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from frmr.audit.actors import SYSTEM
from frmr.changes.models import ChangeEvent
from frmr.registry import models as m
from frmr.registry.services import (
    card_delete,
    card_hire,
    card_update,
    department_create,
    department_update,
    organization_update,
    person_create,
    person_delete,
    person_update,
    section_delete,
    section_update,
)
from frmr.registry.services.employment import HIRE_FIELDS
from tests.changes_helpers import wait_settled
from tests.factories import valid_snils
from tests.frmr.integration.fhir.conftest import Fhir, Staff

# Committed writes: on PostgreSQL the history, like the feed, shows only finished transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def entries(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    assert bundle["type"] == "history"
    return [(e["request"]["method"], e["request"]["url"]) for e in bundle.get("entry", [])]


def link(bundle: dict[str, Any], relation: str) -> str | None:
    return next((x["url"] for x in bundle["link"] if x["relation"] == relation), None)


def _walk(fhir: Fhir, path: str, **query: Any) -> list[tuple[str, str]]:
    """Every entry of a history, following `next` links."""
    bundle = fhir.get(path, **query).body
    seen = entries(bundle)
    while (url := link(bundle, "next")) is not None:
        bundle = fhir.get(url).body
        seen += entries(bundle)
    return seen


def _hire_data(card: m.EmploymentCard, **changes: Any) -> dict[str, Any]:
    return {field: getattr(card, field) for field in HIRE_FIELDS} | changes


def test_roles_created_updated_and_deleted(
    fhir_a: Fhir, fhir_b: Fhir, staff: Staff, operator_a, org_a
) -> None:
    assert entries(fhir_a.get("PractitionerRole/_history").body) == []  # factories write no events
    card_update(actor=operator_a, organization=org_a, card=staff.nina_card, data={"contract_number": "Д-7"})
    card = card_hire(
        actor=operator_a,
        organization=org_a,
        person=staff.oleg,
        data=_hire_data(staff.oleg_card, begin_date=datetime.date(2024, 3, 1)),
    )
    card_update(actor=operator_a, organization=org_a, card=card, data={"contract_number": "Д-8"})
    card_delete(actor=operator_a, organization=org_a, card=card)
    wait_settled()
    bundle = fhir_a.get("PractitionerRole/_history").body
    gone, nina = f"PractitionerRole/{card.pk}", f"PractitionerRole/{staff.nina_card.pk}"
    assert entries(bundle) == [("DELETE", gone), ("PUT", gone), ("POST", gone), ("PUT", nina)]
    deleted, updated, created, current = bundle["entry"]
    # A deletion has no resource (FHIR history rules); the earlier entries of the deleted card have none
    # either: the register keeps no past versions, and the card is gone.
    assert "resource" not in deleted and deleted["response"]["status"] == "204 No Content"
    assert "resource" not in updated and "resource" not in created
    assert created["response"]["status"] == "201 Created"
    assert current["resource"]["id"] == str(staff.nina_card.pk)
    assert current["response"]["status"] == "200 OK"
    event = ChangeEvent.objects.filter(organization_id=org_a.pk, entity_id=str(staff.nina_card.pk)).get()
    assert current["response"]["lastModified"] == event.at.isoformat().replace("+00:00", "Z")
    # Another organization's token sees none of it.
    assert entries(fhir_b.get("PractitionerRole/_history").body) == []


def test_practitioner_history_follows_person_and_qualifications(
    fhir_a: Fhir, fhir_b: Fhir, staff: Staff, operator_a, org_a
) -> None:
    person_update(actor=operator_a, organization=org_a, person=staff.nina, data={"email": "nina@ex.ru"})
    certificate = m.SpecialistCertificate.objects.get(person=staff.nina)
    section_update(actor=SYSTEM, organization=None, section=certificate, data={"number": "0177002"})
    section_delete(
        actor=SYSTEM, organization=None, section=m.ProfessionalEducation.objects.get(person=staff.nina)
    )
    data = {
        "snils": valid_snils(700),
        "last_name": "Новикова",
        "first_name": "Анна",
        "gender": m.Gender.FEMALE,
        "birth_date": datetime.date(1990, 1, 2),
    }
    newcomer = person_create(actor=operator_a, organization=org_a, data=data)
    person_delete(actor=operator_a, organization=org_a, person=newcomer)
    wait_settled()
    bundle = fhir_a.get("Practitioner/_history").body
    nina, gone = f"Practitioner/{staff.nina.oid}", f"Practitioner/{newcomer.oid}"
    assert entries(bundle) == [("DELETE", gone), ("POST", gone), ("PUT", nina), ("PUT", nina), ("PUT", nina)]
    assert "resource" not in bundle["entry"][0]
    latest_nina = bundle["entry"][2]["resource"]
    # Every entry holds the current state: the new certificate number, the diploma gone.
    assert "0177002" in str(latest_nina["qualification"]) and "ВСГ" not in str(latest_nina)
    assert entries(fhir_b.get("Practitioner/_history").body) == []


def test_locations_and_organization(fhir_a: Fhir, fhir_b: Fhir, operator_a, org_a) -> None:
    department = department_create(actor=operator_a, organization=org_a, name="Хирургия")
    department_update(
        actor=operator_a, organization=org_a, department=department, data={"name": "Хирургия 2"}
    )
    organization_update(actor=SYSTEM, organization=org_a, data={"name_short": "Больница А"})
    wait_settled()
    bundle = fhir_a.get("Location/_history").body
    assert entries(bundle) == [("PUT", f"Location/{department.pk}"), ("POST", f"Location/{department.pk}")]
    assert bundle["entry"][0]["resource"]["name"] == "Хирургия 2"
    organization = fhir_a.get("Organization/_history").body
    assert entries(organization) == [("PUT", f"Organization/{org_a.oid}")]
    assert organization["entry"][0]["resource"]["alias"] == ["Больница А"]
    assert entries(fhir_b.get("Location/_history").body) == []
    assert entries(fhir_b.get("Organization/_history").body) == []


def test_since_and_paging(fhir_a: Fhir, operator_a, org_a, django_assert_num_queries: Any) -> None:
    departments = [
        department_create(actor=operator_a, organization=org_a, name=f"Отделение {n}") for n in range(5)
    ]
    wait_settled()
    everything = [("POST", f"Location/{d.pk}") for d in reversed(departments)]
    assert _walk(fhir_a, "Location/_history", _count="2") == everything
    # _since is the events' time: moving the first two into the past leaves the last three.
    past = timezone.now() - datetime.timedelta(days=2)
    ChangeEvent.objects.filter(entity_id__in=[str(d.pk) for d in departments[:2]]).update(at=past)
    since = (past + datetime.timedelta(days=1)).isoformat()
    assert _walk(fhir_a, "Location/_history", _count="2", _since=since) == everything[:3]
    fhir_a.get("Location/_history", _count="1")  # the token's first use writes its time
    # The token's rate limit (1), the event page (1), the page's departments (1), whatever `_count`.
    for count in ("1", "4"):
        with django_assert_num_queries(3):
            fhir_a.get("Location/_history", _count=count)


def test_queries_per_page_are_fixed_for_practitioners(
    fhir_a: Fhir, staff: Staff, operator_a, org_a, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        person_update(actor=operator_a, organization=org_a, person=staff.nina, data={"email": f"{n}@ex.ru"})
        person_update(actor=operator_a, organization=org_a, person=staff.oleg, data={"email": f"{n}@ex.ru"})
    wait_settled()
    fhir_a.get("Practitioner/_history", _count="1")  # the token's first use writes its time
    # Rate limit, events, persons, and their three qualification sections.
    for count in ("1", "5"):
        with django_assert_num_queries(6):
            assert len(entries(fhir_a.get("Practitioner/_history", _count=count).body)) == int(count)


def test_previous_link_reads_what_was_published_since(fhir_a: Fhir, operator_a, org_a) -> None:
    first = fhir_a.get("Location/_history").body
    assert entries(first) == [] and link(first, "previous")
    made = department_create(actor=operator_a, organization=org_a, name="Первое")
    wait_settled()
    page = fhir_a.get(link(first, "previous")).body
    assert entries(page) == [("POST", f"Location/{made.pk}")]
    again = fhir_a.get(link(page, "previous")).body
    assert entries(again) == [] and link(again, "previous")
    later = department_create(actor=operator_a, organization=org_a, name="Второе")
    wait_settled()
    assert entries(fhir_a.get(link(again, "previous")).body) == [("POST", f"Location/{later.pk}")]


@pytest.mark.postgres
def test_late_commit_is_not_skipped(fhir_a: Fhir, staff: Staff, operator_a, org_a) -> None:
    """A writer whose event has the smaller position commits after another: a client reading the history
    meanwhile, then following the `previous` link it got, sees both events once."""
    first = fhir_a.get("PractitionerRole/_history").body
    written, release, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def late() -> None:
        try:
            with transaction.atomic():
                card_update(
                    actor=operator_a,
                    organization=org_a,
                    card=staff.nina_card,
                    data={"contract_number": "Поздно"},
                )
                written.set()
                assert release.wait(30)
        except BaseException as error:  # handed to the test's thread
            errors.append(error)
            written.set()
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=late)
    thread.start()
    assert written.wait(30) and not errors, errors
    card_update(actor=operator_a, organization=org_a, card=staff.oleg_card, data={"contract_number": "Рано"})
    # While the late writer is open, neither event is published: the early one sorts after the late one.
    meanwhile = fhir_a.get(link(first, "previous")).body
    assert entries(meanwhile) == []
    release.set()
    thread.join(30)
    assert done.is_set() and not errors, errors
    wait_settled()
    rest = fhir_a.get(link(meanwhile, "previous")).body
    assert entries(rest) == [
        ("PUT", f"PractitionerRole/{staff.oleg_card.pk}"),
        ("PUT", f"PractitionerRole/{staff.nina_card.pk}"),
    ]
