"""The shared rules of frmr.registry.rules: each allowed and refused, at its boundary dates, and held to
the forms the database and the API's one-statement read give them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from frmr.integration.api.reads import persons_with_contacts
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry import rules
from frmr.registry.models import EmploymentCard, Person
from frmr.registry.selectors import persons_visible_to_organization
from tests.factories import EmploymentCardFactory, PersonFactory, dict_entry

D = datetime.date
TODAY = D(2026, 6, 15)
BIRTH = D(1985, 3, 14)


# ------------------------------------------------------------------------------------------------ Hire


def test_hire_up_to_a_year_ahead_is_allowed_a_day_more_is_not() -> None:
    last_allowed = TODAY + datetime.timedelta(days=rules.HIRE_AHEAD_DAYS)
    assert rules.hire_date_problem(TODAY, today=TODAY, birth_date=BIRTH) is None
    assert rules.hire_date_problem(last_allowed, today=TODAY, birth_date=BIRTH) is None
    assert (
        rules.hire_date_problem(last_allowed + datetime.timedelta(days=1), today=TODAY, birth_date=BIRTH)
        == rules.HIRE_TOO_FAR_AHEAD
        == "Дата приёма не может быть позже чем через год от сегодняшнего дня."
    )


def test_hire_on_the_birthday_is_allowed_the_day_before_is_not() -> None:
    assert rules.hire_date_problem(BIRTH, today=TODAY, birth_date=BIRTH) is None
    assert (
        rules.hire_date_problem(BIRTH - datetime.timedelta(days=1), today=TODAY, birth_date=BIRTH)
        == rules.HIRE_BEFORE_BIRTH
        == "Дата приёма не может быть раньше даты рождения работника."
    )
    # Unknown birth date (a row of the import that does not give it): only the year ahead is checked.
    assert rules.hire_date_problem(D(1900, 1, 1), today=TODAY, birth_date=None) is None


# ------------------------------------------------------------------------------------------- Dismissal


def test_dismissal_on_the_hire_day_is_allowed_the_day_before_is_not() -> None:
    begin = D(2020, 9, 1)
    assert rules.dismissal_date_problem(begin=begin, end=begin) is None
    assert rules.dismissal_date_problem(begin=begin, end=None) is None
    assert rules.dismissal_date_problem(begin=None, end=begin) is None
    assert (
        rules.dismissal_date_problem(begin=begin, end=D(2020, 8, 31))
        == rules.DISMISSAL_BEFORE_HIRE
        == "Дата увольнения не может быть раньше даты приёма."
    )


def test_a_card_records_dismissal_date_and_reason_together() -> None:
    day = D(2024, 1, 31)
    assert rules.dismissal_pair_problems(end=None, reason_given=False) == {}
    assert rules.dismissal_pair_problems(end=day, reason_given=True) == {}
    assert rules.dismissal_pair_problems(end=day, reason_given=False) == {
        "end_reason": "При увольнении укажите и дату, и основание."
    }
    assert rules.dismissal_pair_problems(end=None, reason_given=True) == {
        "end_date": "При увольнении укажите и дату, и основание."
    }


def test_the_act_of_dismissal_asks_for_both() -> None:
    assert rules.dismissal_pair_problems(end=D(2024, 1, 31), reason_given=True, dismissing=True) == {}
    assert rules.dismissal_pair_problems(end=None, reason_given=False, dismissing=True) == {
        "end_date": "Укажите дату увольнения.",
        "end_reason": "Укажите основание увольнения.",
    }
    assert rules.dismissal_pair_problems(end=None, reason_given=True, dismissing=True) == {
        "end_date": "Укажите дату увольнения."
    }


def test_transfer_on_the_hire_day_is_allowed_the_day_before_is_not() -> None:
    begin = D(2020, 9, 1)
    assert rules.transfer_date_problem(begin, begin=begin) is None
    assert rules.transfer_date_problem(D(2024, 1, 1), begin=begin) is None
    assert (
        rules.transfer_date_problem(D(2020, 8, 31), begin=begin)
        == "Дата перевода не может быть раньше даты приёма (01.09.2020)."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "with_reason"),
    [
        (None, False),
        (D(2020, 9, 1), True),
        (D(2020, 8, 31), True),
        (D(2024, 1, 31), False),
        (None, True),
    ],
)
def test_the_database_constraints_refuse_what_the_rules_refuse(end: D | None, with_reason: bool) -> None:
    """The constraints on EmploymentCard (a bypass of every service) carry the rules' messages."""
    reason = dict_entry(oids.DISMISSAL_REASONS, "t-own-wish", "по собственному желанию")
    card = EmploymentCard(begin_date=D(2020, 9, 1), end_date=end, end_reason=reason if with_reason else None)
    refused: set[str] = set()
    for constraint in EmploymentCard._meta.constraints:
        if constraint.name.startswith("card_dismissal"):
            try:
                constraint.validate(EmploymentCard, card)
            except ValidationError as error:
                refused.update(error.messages)
    expected = set(rules.dismissal_pair_problems(end=end, reason_given=with_reason).values())
    order = rules.dismissal_date_problem(begin=card.begin_date, end=end)
    if order:
        expected.add(order)
    assert refused == expected


# ---------------------------------------------------------------------------------------- Dictionaries


def test_an_entry_is_in_force_on_both_ends_of_its_validity() -> None:
    entry = DictionaryEntry(
        name="Врач-терапевт участковый", valid_from=D(2000, 1, 1), valid_to=D(2020, 12, 31)
    )
    assert rules.entry_in_force_problem(entry, D(2000, 1, 1)) is None
    assert rules.entry_in_force_problem(entry, D(2020, 12, 31)) is None
    assert (
        rules.entry_in_force_problem(entry, D(2021, 1, 1))
        == "Запись справочника «Врач-терапевт участковый» не действует на 01.01.2021: выберите действующую."
    )
    assert rules.entry_in_force_problem(entry, D(1999, 12, 31)) is not None


def test_an_entry_without_an_end_is_in_force_from_its_start_on() -> None:
    open_ended = DictionaryEntry(name="Лечебное дело", valid_from=D(2010, 1, 1), valid_to=None)
    assert rules.entry_in_force_problem(open_ended, D(2100, 1, 1)) is None
    assert rules.entry_in_force_problem(open_ended, D(2009, 12, 31)) is not None
    always = DictionaryEntry(name="Паспорт", valid_from=None, valid_to=None)
    assert rules.entry_in_force_problem(always, D(1900, 1, 1)) is None


@pytest.mark.django_db
def test_the_choice_lists_offer_the_entries_the_rule_accepts() -> None:
    """`valid_on` (the forms' choices, nsi.selectors) is the query form of the rule on entries."""
    bounds = [(None, None), (D(2000, 1, 1), None), (None, D(2020, 12, 31)), (D(2000, 1, 1), D(2020, 12, 31))]
    entries = [
        dict_entry("t-rules", f"e{n}", f"запись {n}", valid_from=start, valid_to=end)
        for n, (start, end) in enumerate(bounds)
    ]
    for day in (D(1999, 12, 31), D(2000, 1, 1), D(2020, 12, 31), D(2021, 1, 1)):
        offered = set(DictionaryEntry.objects.of("t-rules").valid_on(day).values_list("pk", flat=True))
        accepted = {entry.pk for entry in entries if rules.entry_in_force_problem(entry, day) is None}
        assert offered == accepted
    assert {e.code for e in entries if rules.entry_in_force_problem(e, D(2021, 1, 1)) is None} == {"e0", "e1"}


# ------------------------------------------------------------------------------------------ Visibility


def test_an_organization_sees_whom_it_entered_or_employs() -> None:
    assert rules.person_visible_to(organization_id=1, created_by_organization_id=1, card_organization_ids=[])
    assert rules.person_visible_to(
        organization_id=1, created_by_organization_id=2, card_organization_ids=[2, 1]
    )
    assert rules.person_visible_to(
        organization_id=1, created_by_organization_id=None, card_organization_ids=[1]
    )
    assert not rules.person_visible_to(
        organization_id=1, created_by_organization_id=2, card_organization_ids=[2, 3]
    )
    assert not rules.person_visible_to(
        organization_id=1, created_by_organization_id=None, card_organization_ids=[]
    )


@pytest.mark.django_db
def test_the_selector_and_the_api_read_see_whom_the_rule_sees(org_a, org_b) -> None:
    """The rule's two query forms, the selector (ORM) and the API's one-statement read (SQL), agree."""
    a_department, b_department = org_a.departments.get(), org_b.departments.get()
    entered_here = PersonFactory(created_by_organization=org_a)
    entered_elsewhere = PersonFactory(created_by_organization=org_b)
    works_here = EmploymentCardFactory(organization=org_a, department=a_department).person
    left_here = EmploymentCardFactory(
        organization=org_a,
        department=a_department,
        end_date=D(2024, 1, 31),
        end_reason=dict_entry(oids.DISMISSAL_REASONS, "t-own-wish", "по собственному желанию"),
    ).person
    works_elsewhere = EmploymentCardFactory(organization=org_b, department=b_department).person
    nobody_s = PersonFactory(created_by_organization=None)
    persons = [entered_here, entered_elsewhere, works_here, left_here, works_elsewhere, nobody_s]
    for organization in (org_a, org_b):
        by_rule = {
            p.pk
            for p in Person.objects.filter(pk__in=[p.pk for p in persons]).prefetch_related("cards")
            if rules.person_visible_to(
                organization_id=organization.pk,
                created_by_organization_id=p.created_by_organization_id,
                card_organization_ids=[card.organization_id for card in p.cards.all()],
            )
        }
        by_selector = set(
            persons_visible_to_organization(organization=organization)
            .filter(pk__in=[p.pk for p in persons])
            .values_list("pk", flat=True)
        )
        by_sql = {
            p.pk for p in persons if persons_with_contacts(organization=organization, oid=p.oid, snils=None)
        }
        assert by_rule == by_selector == by_sql
    assert {entered_here.pk, works_here.pk, left_here.pk} == {
        p.pk
        for p in persons
        if rules.person_visible_to(
            organization_id=org_a.pk,
            created_by_organization_id=p.created_by_organization_id,
            card_organization_ids=list(p.cards.values_list("organization_id", flat=True)),
        )
    }
