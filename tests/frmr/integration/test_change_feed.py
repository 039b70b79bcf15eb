"""The change log and its feed (docs/sync.md): every write path logs its changes, the feed shows them in
order to the organizations concerned only, and a cursor never skips or repeats an event."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from frmr.accreditation import services as accreditation
from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditEntry
from frmr.changes.models import ChangeEvent
from frmr.changes.selectors import change_feed
from frmr.imports.columns import COLUMNS, HEADERS
from frmr.imports.engine import run_import
from frmr.integration.services import api_token_create
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.nsi.services import dictionaries_load
from frmr.registry.models import Organization, Person, ProfessionalEducation
from frmr.registry.services import person_update
from tests.accreditation_helpers import at_commission_application
from tests.changes_helpers import wait_settled
from tests.factories import valid_snils

# Committed writes: on PostgreSQL the feed shows only events of finished transactions, and a test
# inside one open transaction would see none of its own.
pytestmark = pytest.mark.django_db(transaction=True)

FEED = "/api/frmr/changes"
KINDS = {"create": "created", "update": "updated", "delete": "deleted"}


@pytest.fixture(autouse=True)
def dictionaries(db: None) -> None:
    dictionaries_load()


def _token(organization: Organization) -> str:
    return api_token_create(organization=organization, actor=SYSTEM, name="МИС")[1]


def _get(client: Client, raw: str, **params: Any) -> Any:
    return client.get(FEED, params, headers={"Authorization": f"Bearer {raw}"})


def _read_api(client: Client, raw: str, *, limit: int) -> list[tuple[str, str, str]]:
    """The whole feed through the API, page by page, passing back each answer's `after`."""
    seen: list[tuple[str, str, str]] = []
    after = 0
    while True:
        response = _get(client, raw, after=after, limit=limit)
        assert response.status_code == 200, response.content.decode()
        body = json.loads(response.content)
        if not body["content"]:
            assert body["after"] == after
            return seen
        seen += [(e["entityType"], e["entityId"], e["kind"]) for e in body["content"]]
        positions = [e["position"] for e in body["content"]]
        assert body["after"] == positions[-1]
        after = body["after"]


def _read_log() -> list[tuple[str, str, str]]:
    """The register-wide log read from position 0, page by page."""
    seen: list[tuple[str, str, str]] = []
    after = 0
    while True:
        page = change_feed(organization_id=None, after=after, limit=4)
        if not page.events:
            return seen
        seen += [(e.entity_type, e.entity_id, e.kind) for e in page.events]
        after = page.after


def _audited_changes() -> list[tuple[str, str, str]]:
    """What the audit log says changed in the register, in the order it was committed."""
    entries = AuditEntry.objects.filter(object_type__startswith="registry.", action__in=list(KINDS))
    return [(e.object_type, e.object_id, KINDS[e.action]) for e in entries.order_by("id")]


def _csv(path: Path, snils: str) -> Path:
    values = {column.key: column.example for column in COLUMNS}
    values.update(snils=snils, department="Терапевтическое отделение")
    path.write_bytes(
        (";".join(HEADERS) + "\r\n" + ";".join(values[c.key] for c in COLUMNS) + "\r\n").encode()
    )
    return path


def _admin_person_form(snils: str, phone: str = "") -> dict[str, str]:
    data = {
        "snils": snils,
        "last_name": "Орлова",
        "first_name": "Вера",
        "patronymic": "",
        "gender": "2",
        "birth_date": "12.04.1988",
        "birth_place": "",
        "death_date": "",
        "inn": "",
        "citizenship": "",
        "phone": phone,
        "email": "",
    }
    for inline in (
        "cards",
        "documents",
        "addresses",
        "professional_education",
        "postgraduate_education",
        "additional_education",
        "certificates",
        "accreditations",
        "qualification_categories",
        "awards",
        "general_education",
        "memberships",
        "military_service",
    ):
        data[f"{inline}-TOTAL_FORMS"] = "0"
        data[f"{inline}-INITIAL_FORMS"] = "0"
    return data


def test_every_write_path_is_in_the_feed_in_commit_order(
    tmp_path: Path,
    org_a: Organization,
    org_b: Organization,
    worker: Any,
    other_worker: Any,
    operator_a: Any,
    operator_b: Any,
    admin_user: Any,
    fac_staff: Any,
    secretary: Any,
) -> None:
    rng = random.Random(20261207)
    raw_a, raw_b = _token(org_a), _token(org_b)
    api = Client()
    admin = Client()
    admin.force_login(admin_user)
    numbers = iter(range(500, 600))
    admin_persons: dict[int, str] = {}  # the admin's persons: id → СНИЛС

    def cabinet() -> None:  # what the employer cabinet's form calls
        person_update(
            actor=operator_a,
            organization=org_a,
            person=worker.person,
            data={"email": f"w{rng.randrange(10**6)}@example.ru"},
        )

    removed: list[int] = []
    cabinet_client = Client()
    cabinet_client.force_login(operator_a)

    def cabinet_pages() -> None:  # the employer cabinet's own pages: add, correct, remove a diploma
        oid = worker.person.oid
        data = {
            "education_type": DictionaryEntry.objects.get(dictionary=oids.EDUCATION_TYPES, code="1").pk,
            "institution_name": "Читинская государственная медицинская академия",
            "begin_year": "2002",
            "end_year": "2008",
            "doc_number": f"ВСГ {rng.randrange(10**6, 10**7)}",
            "doc_date": "2008-06-30",
            "specialty_name": "Лечебное дело",
        }
        added = cabinet_client.post(reverse("mo:section_add", args=[oid, "education"]), data)
        assert added.status_code == 302
        diploma = ProfessionalEducation.objects.filter(person=worker.person).latest("pk")
        data["doc_number"] = f"ВСГ {rng.randrange(10**6, 10**7)}"
        edit = reverse("mo:section_edit", args=[oid, "education", diploma.pk])
        assert cabinet_client.post(edit, data).status_code == 302
        if not removed or rng.random() < 0.5:
            removed.append(diploma.pk)
            delete = reverse("mo:section_delete", args=[oid, "education", diploma.pk])
            assert cabinet_client.post(delete).status_code == 302

    def other_cabinet() -> None:  # another organization's worker: not in org A's feed
        person_update(
            actor=operator_b,
            organization=org_b,
            person=other_worker.person,
            data={"email": f"o{rng.randrange(10**6)}@example.ru"},
        )

    def api_create_and_hire() -> None:
        body = {
            "snils": valid_snils(next(numbers)),
            "lastName": "Иванова",
            "firstName": "Нина",
            "gender": 2,
            "birthDate": "1986-01-22",
        }
        headers = {"Authorization": f"Bearer {raw_a}"}
        created = api.post(
            f"/api/frmr/person?mo={org_a.oid}",
            json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            headers=headers,
        )
        assert created.status_code == 200, created.content.decode()
        oid = json.loads(created.content)["content"]["oid"]
        changed = api.put(
            f"/api/frmr/person?mo={org_a.oid}&oid={oid}",
            json.dumps({**body, "email": "nina@example.ru"}, ensure_ascii=False),
            content_type="application/json",
            headers=headers,
        )
        assert changed.status_code == 200, changed.content.decode()

    def import_file() -> None:
        path = _csv(tmp_path / f"{rng.randrange(10**6)}.csv", valid_snils(next(numbers)))
        before = ChangeEvent.objects.count()
        checked = run_import(organization=org_a, actor=operator_a, path=path, name=path.name, dry_run=True)
        assert checked.errors == [] and checked.file_errors == []
        assert ChangeEvent.objects.count() == before  # a dry run changes nothing and logs nothing
        applied = run_import(organization=org_a, actor=operator_a, path=path, name=path.name, dry_run=False)
        assert applied.errors == []

    def admin_save() -> None:
        if admin_persons and rng.random() < 0.5:
            pk, snils = rng.choice(sorted(admin_persons.items()))
            phone = f"8 912 345 {rng.randrange(10, 99)} 89"
            response = admin.post(
                reverse("admin:registry_person_change", args=[pk]), _admin_person_form(snils, phone)
            )
        else:
            snils = valid_snils(next(numbers))
            response = admin.post(reverse("admin:registry_person_add"), _admin_person_form(snils))
        assert response.status_code == 302, response.content.decode()[:2000]
        admin_persons.update(Person.objects.filter(last_name="Орлова").values_list("pk", "snils"))

    decided: list[bool] = []

    def accreditation_decision() -> None:
        if decided:
            return cabinet()
        application = at_commission_application(worker, fac_staff)
        accreditation.application_record_decision(
            application=application,
            actor=secretary,
            accredited=True,
            protocol_number="7",
            protocol_date=timezone.localdate() - datetime.timedelta(days=1),
        )
        decided.append(True)

    paths = [
        cabinet,
        cabinet_pages,
        other_cabinet,
        api_create_and_hire,
        import_file,
        admin_save,
        accreditation_decision,
    ]
    steps = paths + [rng.choice(paths) for _ in range(8)]
    rng.shuffle(steps)
    for step in steps:
        step()

    wait_settled()
    audited = _audited_changes()
    kinds = {kind for _, _, kind in audited}
    types = {entity for entity, _, _ in audited}
    assert kinds == {"created", "updated", "deleted"}
    assert {"registry.person", "registry.employmentcard", "registry.accreditationrecord"} <= types
    # The whole register's log is the audit log's changes, one for one, in commit order.
    assert _read_log() == audited

    # Organization A's feed: the same, less what concerns only organization B's worker.
    other = {("registry.person", str(other_worker.person.pk))}
    hidden = {("registry.employmentcard", str(card.pk)) for card in other_worker.person.cards.all()}
    # The administrator's persons have no card and were entered by no organization: nobody's feed.
    nobodys = {("registry.person", str(pk)) for pk in admin_persons}
    assert nobodys
    expected_a = [c for c in audited if (c[0], c[1]) not in other | hidden | nobodys]
    assert _read_api(api, raw_a, limit=3) == expected_a
    # Organization B sees its own worker's changes and nothing of A's.
    expected_b = [c for c in audited if (c[0], c[1]) in other | hidden]
    assert expected_b and _read_api(api, raw_b, limit=2) == expected_b


def test_feed_access_and_scope(
    client: Client, org_a: Organization, org_b: Organization, worker: Any, operator_a: Any
) -> None:
    raw_a, raw_b = _token(org_a), _token(org_b)
    person_update(actor=operator_a, organization=org_a, person=worker.person, data={"email": "a@example.ru"})
    wait_settled()

    allowed = _get(client, raw_a)
    assert allowed.status_code == 200
    content = json.loads(allowed.content)["content"]
    assert {(e["entityType"], e["personOid"], e["kind"]) for e in content} >= {
        ("registry.person", worker.person.oid, "updated")
    }
    # Another organization's token: nothing of this one.
    denied = json.loads(_get(client, raw_b).content)
    assert all(e["personOid"] != worker.person.oid for e in denied["content"])
    # Asking for another organization's feed by `mo`, without a token, with a cursor from elsewhere.
    assert _get(client, raw_b, mo=org_a.oid).status_code == 403
    assert client.get(FEED).status_code == 401
    foreign = ChangeEvent.objects.filter(organization_id=org_a.pk).latest("position").position
    refused = _get(client, raw_b, after=foreign)
    assert refused.status_code == 404
    assert "нет события" in json.loads(refused.content)["message"]


def test_feed_reads_a_page_in_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, org_a: Organization, worker: Any, operator_a: Any
) -> None:
    raw = _token(org_a)
    for n in range(3):
        person_update(
            actor=operator_a, organization=org_a, person=worker.person, data={"email": f"{n}@ex.ru"}
        )
    wait_settled()
    # The token's first use is remembered; later requests are the steady state.
    first = json.loads(_get(client, raw, limit=1).content)["after"]
    with CaptureQueriesContext(connection) as small:
        assert len(json.loads(_get(client, raw, after=first, limit=1).content)["content"]) == 1
    for n in range(3, 9):
        person_update(
            actor=operator_a, organization=org_a, person=worker.person, data={"email": f"{n}@ex.ru"}
        )
    wait_settled()
    with django_assert_num_queries(len(small.captured_queries)):
        page = json.loads(_get(client, raw, after=first, limit=100).content)
    assert len(page["content"]) >= 8


def test_import_through_the_worker_process_logs_each_entry(tmp_path: Path, org_a: Organization) -> None:
    """The import's fast path (rows prepared by the worker process, written with COPY on PostgreSQL)
    logs the same changes as its audit entries, in the organization's feed too."""
    values = {column.key: column.example for column in COLUMNS}
    values["department"] = "Терапевтическое отделение"
    lines = [";".join(HEADERS)]
    for n in range(700, 706):
        values["snils"] = valid_snils(n)
        lines.append(";".join(values[c.key] for c in COLUMNS))
    path = tmp_path / "many.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    result = run_import(
        organization=org_a, actor=SYSTEM, path=path, name=path.name, dry_run=False, pipeline=True
    )
    assert result.errors == [] and result.counts["create"] == 6
    wait_settled()
    audited = _audited_changes()
    assert len(audited) == 6 * 4  # person, passport, diploma, card
    assert _read_log() == audited
    raw = _token(org_a)
    assert _read_api(Client(), raw, limit=7) == audited
    oids = set(Person.objects.values_list("oid", flat=True))
    assert set(ChangeEvent.objects.values_list("person_oid", flat=True)) == oids
