"""Who sees which audit entries of a person (issue 13, point 2; docs/audit.md «Who sees which entries»).

One person works at МО A and МО B. Every kind of entry is made once, through the real services, with a
marker text; each role's page is then checked for exactly the markers it may show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.accounts.services import user_login_from_esia
from frmr.accreditation import services as accreditation
from frmr.accreditation.models import Application
from frmr.accreditation.services import application_audit_view
from frmr.audit.models import AuditEntry
from frmr.audit.selectors import audit_for_person_seen_by_organization
from frmr.corrections.services import correction_request_create
from frmr.esia.data import EsiaPerson
from frmr.registry.models import EmploymentCard, Organization, Person
from frmr.registry.services import card_update, person_update
from tests.accreditation_helpers import registered_application
from tests.factories import EmploymentCardFactory

A_FILE = "Мытищи-маркер-А"  # a personal-file change made by МО A
B_FILE = "marker-b@example.ru"  # a personal-file change made by МО B
B_CARD = "ДОГ-Б-777"  # a change of МО B's card
TO_A = "Текст-обращения-в-А"  # the text of a correction request to МО A
TO_B = "Текст-обращения-в-Б"  # … to МО B
RETURN_REASON = "Причина-возврата-ФАЦ"  # the centre's reason in an accreditation transition
VIEWED = "заявление и личное дело"  # the label of a centre staff's view of the file
LOGIN = "вход через ЕСИА"  # the reason of a login entry

ALL = {A_FILE, B_FILE, B_CARD, TO_A, TO_B, RETURN_REASON, VIEWED, LOGIN}


@dataclass
class Story:
    person: Person
    application: Application
    entries: dict[str, AuditEntry]


def _entry(**filters: object) -> AuditEntry:
    return AuditEntry.objects.filter(**filters).latest("id")


def _make_story(
    worker: User,
    operator_a: User,
    operator_b: User,
    fac_staff: User,
    org_a: Organization,
    org_b: Organization,
) -> Story:
    person = worker.person
    assert person is not None
    card_b = EmploymentCardFactory(
        person=person,
        organization=org_b,
        department=org_b.departments.get(),
        begin_date=datetime.date(2021, 1, 11),
    )
    person_update(actor=operator_a, organization=org_a, person=person, data={"birth_place": A_FILE})
    person_update(actor=operator_b, organization=org_b, person=person, data={"email": B_FILE})
    card_update(actor=operator_b, organization=org_b, card=card_b, data={"contract_number": B_CARD})
    correction_request_create(
        actor=worker, organization=org_a, section="personal", text=TO_A, expected_value="Как должно быть"
    )
    correction_request_create(
        actor=worker, organization=org_b, section="personal", text=TO_B, expected_value="Как должно быть"
    )
    application = registered_application(worker, fac_staff)
    accreditation.application_return_for_revision(
        application=application, actor=fac_staff, reason=RETURN_REASON, rows=["passport:0"]
    )
    application_audit_view(actor=fac_staff, application=application, what=VIEWED)
    user_login_from_esia(
        person=EsiaPerson(
            oid=worker.esia_oid or "",
            last_name=person.last_name,
            first_name=person.first_name,
            snils="".join(ch for ch in person.snils if ch.isdigit()),
        ),
        auth_method="PWD",
    )
    entries = {
        A_FILE: _entry(person=person, object_type="registry.person", organization=org_a),
        B_FILE: _entry(person=person, object_type="registry.person", organization=org_b),
        B_CARD: _entry(person=person, object_type="registry.employmentcard", object_id=str(card_b.pk)),
        TO_A: _entry(person=person, object_type="corrections.correctionrequest", changes__text__1=TO_A),
        TO_B: _entry(person=person, object_type="corrections.correctionrequest", changes__text__1=TO_B),
        RETURN_REASON: _entry(person=person, reason=RETURN_REASON),
        VIEWED: _entry(person=person, action="view"),
        LOGIN: _entry(person=person, action="login"),
    }
    return Story(person=person, application=application, entries=entries)


@pytest.fixture
def story(
    worker: User,
    operator_a: User,
    operator_b: User,
    fac_staff: User,
    org_a: Organization,
    org_b: Organization,
    dictionaries: None,
) -> Story:
    return _make_story(worker, operator_a, operator_b, fac_staff, org_a, org_b)


def _page(client: Client, user: User, url: str) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def _shown(html: str) -> set[str]:
    return {marker for marker in ALL if marker in html}


# What each operator's history may show: the shared personal file, and their own organization's things.
SEEN_BY_A = {A_FILE, B_FILE, TO_A}
SEEN_BY_B = {A_FILE, B_FILE, B_CARD, TO_B}


def test_the_selector_keeps_to_each_organization(
    story: Story, org_a: Organization, org_b: Organization
) -> None:
    for organization, expected in ((org_a, SEEN_BY_A), (org_b, SEEN_BY_B)):
        seen = set(audit_for_person_seen_by_organization(person=story.person, organization=organization))
        marked = {marker for marker, entry in story.entries.items() if entry in seen}
        assert marked == expected, organization
        # Entries not marked above (the hire of the fixtures, the other transitions of the application)
        # follow the same rule: nothing of the centre's or the login's kind slips through.
        assert not {entry.object_type for entry in seen} & {"accreditation.application", "accounts.user"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("operator_a", SEEN_BY_A), ("operator_b", SEEN_BY_B)],
)
def test_each_operator_sees_only_the_file_and_its_own_actions(
    story: Story, client: Client, request: pytest.FixtureRequest, role: str, expected: set[str]
) -> None:
    status, html = _page(
        client, request.getfixturevalue(role), reverse("mo:history", args=[story.person.oid])
    )
    assert status == 200
    assert _shown(html) == expected
    assert str(story.application) not in html


@pytest.mark.parametrize("role", ["worker", "other_worker", "fac_staff", "secretary", "admin_user"])
def test_no_other_role_opens_the_employers_history(
    story: Story, client: Client, request: pytest.FixtureRequest, role: str
) -> None:
    status, html = _page(
        client, request.getfixturevalue(role), reverse("mo:history", args=[story.person.oid])
    )
    assert status == 403
    assert _shown(html) == set()


def test_an_operator_of_neither_employer_gets_404(story: Story, client: Client) -> None:
    from frmr.accounts.models import Role, RoleGrant
    from tests.factories import OrganizationFactory, UserFactory

    outsider = UserFactory(username="operator_c")
    RoleGrant.objects.create(user=outsider, role=Role.OPERATOR, organization=OrganizationFactory())
    status, html = _page(client, outsider, reverse("mo:history", args=[story.person.oid]))
    assert status == 404 and _shown(html) == set()


def test_the_administrator_sees_every_entry_in_the_admin(
    story: Story, client: Client, admin_user: User
) -> None:
    client.force_login(admin_user)
    listing = client.get("/admin/audit/auditentry/", {"q": story.person.oid})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == AuditEntry.objects.filter(person=story.person).count()
    for entry in story.entries.values():
        detail = client.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
        assert entry.object_repr.split(" — ")[0][:20] in detail


@pytest.mark.parametrize("role", ["worker", "operator_a", "fac_staff", "secretary"])
def test_the_admin_audit_log_is_closed_to_others(
    story: Story, client: Client, request: pytest.FixtureRequest, role: str
) -> None:
    client.force_login(request.getfixturevalue(role))
    response = client.get("/admin/audit/auditentry/", {"q": story.person.oid})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_centre_sees_its_application_and_nothing_of_the_employers(
    story: Story, client: Client, fac_staff: User
) -> None:
    status, html = _page(client, fac_staff, reverse("fac:application", args=[story.application.pk]))
    assert status == 200
    assert RETURN_REASON in html
    assert _shown(html) & {B_CARD, TO_A, TO_B, LOGIN} == set()


def test_the_worker_sees_their_own_requests_and_application(
    story: Story, client: Client, worker: User
) -> None:
    from frmr.corrections.models import CorrectionRequest

    for correction in CorrectionRequest.objects.filter(person=story.person):
        _, detail = _page(client, worker, reverse("lk:correction_detail", args=[correction.pk]))
        assert correction.text in detail and _shown(detail) == {correction.text}
    _, application = _page(client, worker, reverse("lk:application_detail", args=[story.application.pk]))
    assert RETURN_REASON in application
    assert LOGIN not in application and VIEWED not in application


def test_the_history_page_runs_a_fixed_number_of_queries(
    story: Story,
    client: Client,
    operator_b: User,
    worker: User,
    fac_staff: User,
    org_b: Organization,
    django_assert_max_num_queries: object,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(operator_b)
    url = reverse("mo:history", args=[story.person.oid])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    card_b = EmploymentCard.objects.get(person=story.person, organization=org_b)
    for n in range(15):
        person_update(
            actor=operator_b, organization=org_b, person=story.person, data={"birth_place": f"г. {n}"}
        )
        card_update(actor=operator_b, organization=org_b, card=card_b, data={"contract_number": f"Д-{n}"})
        application_audit_view(actor=fac_staff, application=story.application, what=VIEWED)
    with django_assert_max_num_queries(len(few)):  # type: ignore[operator]
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="panel mo-history"') == 30  # one full page
    assert len(few) <= 12
