"""The centre's queue selector: the snapshot it reads, every filter, the searches, the cursor pages."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import ApplicantNameWord, Application, ApplicationStatus
from frmr.accreditation.queue import QueueFilters, queue_page
from frmr.accreditation.queue.search import spellings
from frmr.registry.models import Address
from tests.accreditation_helpers import (
    attach,
    fill_draft,
    make_person,
    make_worker,
    registered_application,
    submitted_application,
)
from tests.factories import EmploymentCardFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def applicant(last: str = "Иванова", first: str = "Нина", patronymic: str = "Петровна", **kwargs) -> User:
    return make_worker(person=make_person(last_name=last, first_name=first, patronymic=patronymic, **kwargs))


def pks(page) -> list[int]:
    return [application.pk for application in page.rows]


def test_sending_takes_the_applicants_snapshot_and_words(worker: User) -> None:
    application = submitted_application(worker)
    person = worker.person
    card = person.cards.get()
    assert application.applicant_name == f"{person.last_name} {person.first_name} {person.patronymic}"
    assert application.applicant_snils == person.snils
    assert application.region_id == card.organization.region_id
    assert application.name_words == [w.upper().replace("Ё", "Е") for w in application.applicant_name.split()]
    assert set(application.name_words) <= set(ApplicantNameWord.objects.values_list("word", flat=True))


def test_region_falls_back_to_the_address_without_a_current_job(fac_staff: User) -> None:
    worker = applicant()
    region = Address.objects.none()  # the person has no address yet
    assert not region.exists()
    application = submitted_application(worker)
    assert application.region_id is None
    # A job later: the next sending (after a return) takes it.
    card = EmploymentCardFactory(person=worker.person)
    application = services.application_register(application=application, actor=fac_staff)
    application = services.application_return_for_revision(
        application=application, actor=fac_staff, reason="Нечитаемо", rows=["passport:0"]
    )
    services.application_document_remove(application=application, actor=worker, doc_type="passport", row=0)
    attach(application, worker, "passport", 0)
    application = services.application_resubmit(application=application, actor=worker)
    assert application.region_id == card.organization.region_id


def test_nobody_but_the_centre_sees_the_queue(
    worker: User, operator_a: User, fac_staff: User, secretary: User
) -> None:
    application = submitted_application(worker)
    for user in (worker, operator_a):
        assert queue_page(user=user, filters=QueueFilters()).rows == []
    for user in (fac_staff, secretary):
        assert pks(queue_page(user=user, filters=QueueFilters())) == [application.pk]


def test_status_filters_cover_every_sent_status_but_never_a_withdrawn_draft(fac_staff: User) -> None:
    sent = submitted_application(applicant())
    registered = registered_application(applicant(), fac_staff)
    withdrawn = submitted_application(applicant())
    services.application_withdraw(application=withdrawn, actor=withdrawn.applicant)
    draft_owner = applicant()
    never_sent = fill_draft(services.application_create_draft(actor=draft_owner), draft_owner)
    services.application_withdraw(application=never_sent, actor=draft_owner)

    def shown(status: str) -> set[int]:
        return set(pks(queue_page(user=fac_staff, filters=QueueFilters(status=status))))

    assert shown("") == {sent.pk, registered.pk}
    assert shown("registered") == {registered.pk}
    assert shown("withdrawn") == {withdrawn.pk}
    assert shown("all") == {sent.pk, registered.pk, withdrawn.pk}
    assert shown("draft") == {sent.pk, registered.pk}  # not a choice: «в работе»


def test_deadline_filters(fac_staff: User) -> None:
    today = timezone.localdate()
    late = submitted_application(applicant())
    soon = submitted_application(applicant())
    far = submitted_application(applicant())
    Application.objects.filter(pk=late.pk).update(check_deadline=today - datetime.timedelta(days=1))
    Application.objects.filter(pk=soon.pk).update(check_deadline=today)
    Application.objects.filter(pk=far.pk).update(check_deadline=today + datetime.timedelta(days=60))
    decided = submitted_application(applicant())
    services.application_withdraw(application=decided, actor=decided.applicant)
    Application.objects.filter(pk=decided.pk).update(check_deadline=today - datetime.timedelta(days=5))

    def shown(deadline: str, status: str = "") -> set[int]:
        return set(pks(queue_page(user=fac_staff, filters=QueueFilters(deadline=deadline, status=status))))

    assert shown("overdue") == {late.pk}
    # A withdrawn application has no running deadline, whatever its old date says.
    assert shown("overdue", "all") == {late.pk}
    assert shown("today") == {soon.pk}
    assert shown("3") == {soon.pk}
    assert shown("") == {late.pk, soon.pk, far.pk}


def test_dictionary_filters(worker: User, fac_staff: User) -> None:
    therapy = submitted_application(worker)
    other = submitted_application(applicant(), specialty_code="1002", kind_code="1")
    region = worker.person.cards.get().organization.region.code

    def shown(**filters: str) -> set[int]:
        return set(pks(queue_page(user=fac_staff, filters=QueueFilters(**filters))))

    assert shown(specialty="1002") == {other.pk}
    assert shown(kind="1") == {other.pk}
    assert shown(region=region) == {therapy.pk}
    assert shown(region="no-such-region") == set()


def test_name_search_tolerates_typos_and_word_order(fac_staff: User) -> None:
    ivanova = submitted_application(applicant("Иванова", "Нина", "Петровна"))
    petrova = submitted_application(applicant("Петрова", "Анна", "Сергеевна"))
    yolkina = submitted_application(applicant("Ёлкина", "Мария", "Ивановна"))

    def found(q: str) -> list[int]:
        return pks(queue_page(user=fac_staff, filters=QueueFilters(q=q)))

    assert found("иванова") == [ivanova.pk]
    assert found("Ивнаова") == [ivanova.pk]  # two letters swapped
    assert found("нина иванова") == [ivanova.pk]
    assert found("Петрова Анна Сергевна") == [petrova.pk]
    assert found("елкина") == [yolkina.pk]
    assert found("Иванова Н П") == [ivanova.pk]  # initials
    assert found("Иванова А") == []
    assert found("Сидоренко") == []
    # «Ивановна» is a word someone has: taken as typed, it does not also find «Иванова».
    assert found("Ивановна") == [yolkina.pk]


def test_the_best_match_comes_first(fac_staff: User) -> None:
    near = submitted_application(applicant("Кузнецова", "Ольга", "Игоревна"))
    far = submitted_application(applicant("Кузнецов", "Олег", "Игоревич"))
    page = queue_page(user=fac_staff, filters=QueueFilters(q="Кузнецва Ольга"))
    assert pks(page) == [near.pk, far.pk] or pks(page) == [near.pk]
    assert pks(page)[0] == near.pk


def test_spellings_come_from_the_lexicon(fac_staff: User) -> None:
    submitted_application(applicant("Смирнова", "Ольга", "Игоревна"))
    (own,) = spellings(["СМИРНВОА"])
    assert own[0] == ("СМИРНВОА", 1.0)
    assert "СМИРНОВА" in [word for word, _ in own[1:]]
    assert spellings(["СМИРНОВА"]) == [[("СМИРНОВА", 1.0)]]


def test_number_searches(fac_staff: User) -> None:
    registered = registered_application(applicant(), fac_staff)
    sent = submitted_application(applicant())
    number = registered.registration_number
    assert number
    serial = str(int(number.rsplit("-", 1)[1]))

    def found(q: str) -> list[int]:
        return pks(queue_page(user=fac_staff, filters=QueueFilters(q=q, status="all")))

    assert found(number) == [registered.pk]
    assert found(number.lower().replace("-", " ")) == [registered.pk]
    assert registered.pk in found(serial)
    assert sent.pk in found(str(sent.pk))
    snils = sent.applicant_snils
    assert found(f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}") == [sent.pk]
    assert found("123456789012345") == []


def test_cursor_pages_walk_the_whole_list_both_ways(fac_staff: User) -> None:
    applications = [submitted_application(applicant()) for _ in range(7)]
    now = timezone.now()
    for i, application in enumerate(applications):
        # Two share a sending time: the id breaks the tie.
        Application.objects.filter(pk=application.pk).update(
            submitted_at=now - datetime.timedelta(days=10 - min(i, 5))
        )
    expected = [a.pk for a in sorted(Application.objects.all(), key=lambda a: (a.submitted_at, a.pk))]
    seen: list[int] = []
    page = queue_page(user=fac_staff, filters=QueueFilters(), size=3)
    assert page.first and page.previous_cursor is None and page.total == 7
    pages = [page]
    while True:
        seen += pks(page)
        if not page.next_cursor:
            break
        page = queue_page(user=fac_staff, filters=QueueFilters(), after=page.next_cursor, size=3)
        pages.append(page)
    assert seen == expected
    # Back from the last page.
    back = queue_page(user=fac_staff, filters=QueueFilters(), before=pages[-1].previous_cursor, size=3)
    assert pks(back) == pks(pages[-2])
    # A damaged cursor, or one made for another ordering, starts again from the first page.
    assert pks(queue_page(user=fac_staff, filters=QueueFilters(), after="%%%", size=3)) == expected[:3]
    ranked_cursor = "WyJzIiwxLDIsM10"  # ["s",1,2,3]
    assert (
        pks(queue_page(user=fac_staff, filters=QueueFilters(), after=ranked_cursor, size=3)) == expected[:3]
    )


def test_ranked_search_pages_by_cursor(fac_staff: User) -> None:
    for first in ("Анна", "Инна", "Нина", "Анастасия"):
        submitted_application(applicant("Соколова", first, "Петровна"))
    submitted_application(applicant("Соколов", "Пётр", "Ильич"))
    filters = QueueFilters(q="Соколвоа")
    everything = pks(queue_page(user=fac_staff, filters=filters, size=50))
    assert len(everything) == 5
    first = queue_page(user=fac_staff, filters=filters, size=2)
    second = queue_page(user=fac_staff, filters=filters, after=first.next_cursor, size=2)
    third = queue_page(user=fac_staff, filters=filters, after=second.next_cursor, size=2)
    assert pks(first) + pks(second) + pks(third) == everything
    assert third.next_cursor is None


def test_a_short_surname_with_a_typo_is_found(fac_staff: User) -> None:
    belova = submitted_application(applicant("Белова", "Ольга", "Ильинична"))
    assert pks(queue_page(user=fac_staff, filters=QueueFilters(q="Беолва Ольга"))) == [belova.pk]


@pytest.mark.parametrize("query", ["Соколвоа", "Соколвоа Анна", "Соколова Инан"])
def test_the_ranked_search_read_by_rank_gives_the_pages_of_the_single_query(
    fac_staff: User, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """The tiers (one query per rank) and the single ranked query: the same rows, in the same order, with
    cursors that walk the same pages both ways."""
    # The module, not the function the package exports under the same name.
    queue_search = importlib.import_module("frmr.accreditation.queue.search")

    now = timezone.now()
    names = [("Соколова", "Анна"), ("Соколов", "Анна"), ("Соколова", "Инна"), ("Сокольникова", "Анна")]
    for index in range(9):
        last, first = names[index % len(names)]
        application = submitted_application(applicant(last, first, "Петровна"))
        # Some share a sending time: the id breaks the tie inside a rank.
        Application.objects.filter(pk=application.pk).update(
            submitted_at=now - datetime.timedelta(hours=index // 2)
        )
    filters = QueueFilters(q=query)

    def walk() -> tuple[list[list[int]], list[list[int]]]:
        forward = [queue_page(user=fac_staff, filters=filters, size=2)]
        while forward[-1].next_cursor:
            forward.append(queue_page(user=fac_staff, filters=filters, after=forward[-1].next_cursor, size=2))
        backward = [forward[-1]]
        while backward[-1].previous_cursor:
            backward.append(
                queue_page(user=fac_staff, filters=filters, before=backward[-1].previous_cursor, size=2)
            )
        return [pks(page) for page in forward], [pks(page) for page in backward]

    found = queue_search.search(Application.objects.filter(submitted_at__isnull=False), query)
    assert found.ranked and found.tiers is not None and len(found.tiers) > 1
    tiered = walk()
    monkeypatch.setattr(queue_search, "MAX_TIERS", 0)
    assert queue_search.search(Application.objects.all(), query).tiers is None
    single = walk()
    assert tiered == single
    everything = [pk for page in tiered[0] for pk in page]
    assert everything and len(everything) == len(set(everything))
