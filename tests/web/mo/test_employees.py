from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from frmr.audit.models import AuditEntry
from frmr.registry.models import Organization, Person
from tests.factories import EmploymentCardFactory, PersonFactory, valid_snils


def names(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_search_by_name_and_snils_in_any_format(
    operator_client: Client, employee: Person, stranger: Person
) -> None:
    page = names(operator_client.get(reverse("mo:home"), {"q": "кузнецова мария"}))
    assert employee.full_name in page and stranger.full_name not in page
    dashed = f"{employee.snils[:3]}-{employee.snils[3:6]}-{employee.snils[6:9]} {employee.snils[9:]}"
    assert employee.full_name in names(operator_client.get(reverse("mo:home"), {"q": dashed}))
    # Another organization's employee is not found even by an exact СНИЛС.
    assert stranger.full_name not in names(operator_client.get(reverse("mo:home"), {"q": stranger.snils}))


def test_typo_in_the_surname_finds_the_person_on_every_database(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    other = PersonFactory(last_name="Петров", first_name="Иван", patronymic="Сергеевич")
    EmploymentCardFactory(person=other, organization=org_a, department=org_a.departments.get())
    page = names(operator_client.get(reverse("mo:home"), {"q": "Кузнецвоа"}))
    assert employee.full_name in page and other.full_name not in page
    assert "Можно с опечаткой" in page
    assert "баз" not in page.split('id="q-hint">')[1].split("</span>")[0]  # no word about databases


def test_typo_search_ranks_the_closest_name_first(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    near = PersonFactory(last_name="Кузнецов", first_name="Мартин", patronymic="Викторович")
    EmploymentCardFactory(person=near, organization=org_a, department=org_a.departments.get())
    # A misspelt surname and the start of a first name: both are found, the closer spelling first.
    page = names(operator_client.get(reverse("mo:home"), {"q": "Кузнецва Ма"}))
    assert page.index(employee.full_name) < page.index(near.full_name)
    # Ё and е are one letter for the search.
    yo = PersonFactory(last_name="Королёва", first_name="Алёна", patronymic="Петровна")
    EmploymentCardFactory(person=yo, organization=org_a, department=org_a.departments.get())
    assert yo.full_name in names(operator_client.get(reverse("mo:home"), {"q": "королева алена"}))


def test_short_words_match_as_parts_of_the_name(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    li = PersonFactory(last_name="Ли", first_name="Анна", patronymic="")
    EmploymentCardFactory(person=li, organization=org_a, department=org_a.departments.get())
    page = names(operator_client.get(reverse("mo:home"), {"q": "ли анна"}))
    assert li.full_name in page and employee.full_name not in page


@pytest.mark.postgres
def test_the_search_asks_for_index_ranges_and_whole_words(employee: Person, org_a: Organization) -> None:
    from frmr.registry import models as m
    from frmr.registry.search import search_by_prefix, search_by_words, search_spellings

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    entries = m.RosterEntry.objects.filter(organization=org_a)
    spellings, last_is_word = search_spellings(["КУЗНЕЦОВА"])
    found = search_by_prefix(entries, ["КУЗНЕЦОВА"], spellings)
    assert found is not None
    # The prefix is also a range, which an index on (organization, search_name) can read.
    assert "search_name)::text >= 'КУЗНЕЦОВА'" in found[0].explain()
    spellings, last_is_word = search_spellings(["МАРИЯ", "КУЗНЕЦОВА"])
    assert last_is_word
    # Whole words in any order: the word index's query, the last word not taken as a prefix.
    plan = search_by_words(entries, spellings, last_is_word).explain()
    assert "мария" in plan and "кузнецова" in plan and ":*" not in plan


@pytest.mark.postgres
def test_a_shorter_spelling_reaches_names_past_the_typed_word(org_a: Organization) -> None:
    """«Романвоа»: the spelling «РОМАН» covers «РОМАНОВА …», which sorts after «РОМАНВОА»."""
    from frmr.registry import models as m
    from frmr.registry.search import search_by_prefix, search_spellings

    romanova = PersonFactory(last_name="Романова", first_name="Анна", patronymic="")
    roman = PersonFactory(last_name="Петров", first_name="Роман", patronymic="")
    for person in (romanova, roman):
        EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    spellings, _ = search_spellings(["РОМАНВОА"])
    assert ("РОМАН", 0.5) in spellings[0]
    found = search_by_prefix(m.RosterEntry.objects.filter(organization=org_a), ["РОМАНВОА"], spellings)
    assert found is not None
    assert [entry.person_id for entry in found[0]] == [romanova.pk]


def test_filters_by_status_department_and_position(
    operator_client: Client, employee: Person, org_a: Organization
) -> None:
    card = employee.cards.get()
    dismissed = PersonFactory(last_name="Орлова")
    EmploymentCardFactory(
        person=dismissed,
        organization=org_a,
        department=org_a.departments.get(),
        end_date=datetime.date(2023, 1, 1),
        end_reason=__import__("tests.factories", fromlist=["dict_entry"]).dict_entry(
            "1.2.643.5.1.13.13.99.2.196", "2", "Соглашение сторон"
        ),
    )
    current = names(operator_client.get(reverse("mo:home"), {"status": "current"}))
    assert employee.full_name in current and "Орлова" not in current
    gone = names(operator_client.get(reverse("mo:home"), {"status": "dismissed"}))
    assert "Орлова" in gone and employee.full_name not in gone
    by_department = names(operator_client.get(reverse("mo:home"), {"department": card.department_id}))
    assert employee.full_name in by_department
    assert employee.full_name not in names(operator_client.get(reverse("mo:home"), {"position": 999999}))


def test_a_dismissed_card_is_marked_dismissed_with_its_date_not_working(
    operator_client: Client, org_a: Organization
) -> None:
    dismissed = PersonFactory(last_name="Орлова")
    EmploymentCardFactory(
        person=dismissed,
        organization=org_a,
        department=org_a.departments.get(),
        end_date=datetime.date(2023, 1, 1),
        end_reason=__import__("tests.factories", fromlist=["dict_entry"]).dict_entry(
            "1.2.643.5.1.13.13.99.2.196", "2", "Соглашение сторон"
        ),
    )
    page = names(operator_client.get(reverse("mo:home"), {"status": "dismissed"}))
    row = page.split("Орлова", 1)[1].split("</tr>", 1)[0]
    assert "уволена 01.01.2023" in row and "работает" not in row


def test_add_existing_person_of_another_employer_shows_only_public_data(
    operator_client: Client, stranger: Person
) -> None:
    response = operator_client.post(reverse("mo:add"), {"snils": stranger.snils})
    assert response["Location"] == reverse("mo:found")
    page = names(operator_client.get(reverse("mo:found")))
    assert stranger.full_name in page and "14.03.1985" in page and "Принять на работу" in page
    assert stranger.inn not in page and "г. Чита" not in page
    # The full file stays closed until the hire.
    assert operator_client.get(reverse("mo:person", args=[stranger.oid])).status_code == 404
    hire_page = operator_client.get(reverse("mo:hire", args=[stranger.oid]))
    assert hire_page.status_code == 200


def test_add_new_person_creates_them_with_audit(
    operator_client: Client, operator_a: object, org_a: Organization
) -> None:
    snils = valid_snils(777)
    response = operator_client.post(reverse("mo:add"), {"snils": snils})
    assert response["Location"] == reverse("mo:person_new")
    form = names(operator_client.get(reverse("mo:person_new")))
    assert f'value="{snils}"' in form
    response = operator_client.post(
        reverse("mo:person_new"),
        {
            "snils": snils,
            "last_name": "Белова",
            "first_name": "Дарья",
            "patronymic": "Олеговна",
            "gender": "2",
            "birth_date": "1990-05-06",
        },
    )
    person = Person.objects.get(snils=snils)
    assert response["Location"] == reverse("mo:person", args=[person.oid])
    entry = AuditEntry.objects.get(person=person, action="create")
    assert entry.actor == operator_a and entry.organization == org_a


def test_bad_snils_and_bad_name_are_explained(operator_client: Client) -> None:
    page = names(operator_client.post(reverse("mo:add"), {"snils": "112-233-445 96"}))
    assert "Контрольное число СНИЛС не совпадает" in page and "error-summary" in page
    operator_client.post(reverse("mo:add"), {"snils": valid_snils(778)})
    page = names(
        operator_client.post(
            reverse("mo:person_new"),
            {
                "snils": valid_snils(778),
                "last_name": "Ivanova",
                "first_name": "Дарья",
                "gender": "2",
                "birth_date": "1990-05-06",
            },
        )
    )
    assert "Латинские буквы не допускаются" in page
    assert 'value="Ivanova"' in page  # the input is kept
    assert 'href="#id_last_name"' in page  # the summary links to the field


def test_the_list_shows_only_the_organizations_rows(
    operator_client: Client, employee: Person, stranger: Person, org_a: Organization
) -> None:
    from frmr.registry.models import RosterEntry

    # The stranger has a roster row — of the other organization; no filter or search reaches it.
    assert RosterEntry.objects.filter(person=stranger).exclude(organization=org_a).exists()
    for params in ({}, {"status": "current"}, {"q": "Смирнова"}, {"q": "Смирнва Ольга"}, {"q": "Ольга"}):
        page = names(operator_client.get(reverse("mo:home"), params))
        assert stranger.full_name not in page, params
    assert employee.full_name in names(operator_client.get(reverse("mo:home")))


def test_a_department_pages_through_in_name_order_with_cursors(
    org_a: Organization, org_b: Organization
) -> None:
    """The department filter reads the facets' index in name order; its cursors page without gaps."""
    from frmr.registry import models as m
    from frmr.registry.models import Department
    from frmr.registry.roster import roster_refresh
    from frmr.registry.search import employees_page

    ward = Department.objects.create(organization=org_a, oid=f"{org_a.oid}.0.77", name="Хирургия")
    other = org_a.departments.exclude(pk=ward.pk).first()
    inside = []
    for number in range(30):
        person = PersonFactory(last_name=f"Сотрудникова{chr(0x430 + number % 26)}", first_name="Анна")
        # Two cards in the ward (one closed): the person is listed once.
        EmploymentCardFactory(person=person, organization=org_a, department=ward)
        if number % 3 == 0:
            EmploymentCardFactory(
                person=person,
                organization=org_a,
                department=ward,
                begin_date=datetime.date(2015, 1, 1),
                end_date=datetime.date(2016, 1, 1),
                end_reason=__import__("tests.factories", fromlist=["dict_entry"]).dict_entry(
                    "1.2.643.5.1.13.13.99.2.196", "2", "Соглашение сторон"
                ),
            )
        inside.append(person)
    outside = PersonFactory(last_name="Аааева")
    EmploymentCardFactory(person=outside, organization=org_a, department=other)
    # Another organization's person never shows, whatever the filter.
    EmploymentCardFactory(
        person=PersonFactory(last_name="Ааабова"), organization=org_b, department=org_b.departments.get()
    )

    first = employees_page(organization=org_a, department_id=ward.pk)
    assert first.total == 30 and len(first.rows) == 25 and first.next_cursor
    second = employees_page(organization=org_a, department_id=ward.pk, after=first.next_cursor)
    seen = [row.person_id for row in [*first.rows, *second.rows]]
    expected = sorted(inside, key=lambda p: (p.full_name.upper(), p.pk))
    assert seen == [p.pk for p in expected]
    back = employees_page(organization=org_a, department_id=ward.pk, before=second.previous_cursor)
    assert [row.person_id for row in back.rows] == seen[:25]
    # With a position and a status as well.
    position_id = inside[0].cards.first().position_id
    both = employees_page(
        organization=org_a, department_id=ward.pk, position_id=position_id, status="current"
    )
    assert both.total == 30
    assert employees_page(organization=org_a, department_id=ward.pk, position_id=999_999).total == 0
    assert employees_page(organization=org_a, department_id=ward.pk, status="dismissed").total == 0
    # Dismissed from the ward's only open card: counted and listed as dismissed.
    card = inside[1].cards.get(end_date__isnull=True)
    reason = __import__("tests.factories", fromlist=["dict_entry"]).dict_entry(
        "1.2.643.5.1.13.13.99.2.196", "2", "Соглашение сторон"
    )
    m.EmploymentCard.objects.filter(pk=card.pk).update(end_date=datetime.date(2024, 1, 1), end_reason=reason)
    roster_refresh(person_ids=[inside[1].pk])
    gone = employees_page(organization=org_a, department_id=ward.pk, status="dismissed")
    assert gone.total == 1 and [row.person_id for row in gone.rows] == [inside[1].pk]
    assert employees_page(organization=org_a, department_id=ward.pk, status="current").total == 29
