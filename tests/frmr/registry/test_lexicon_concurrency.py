"""Two writers adding the same new name words at once (PostgreSQL).

CI once saw `generate_register --workers 2` die of a deadlock in the roster's lexicon of name words: its
unique key made each writer wait for the other's uncommitted words. Now nobody waits on a word: two
transactions add the same two new words in opposite orders, each inside a still-open transaction, and
both commit. Under the old unique lexicon the second writer waits (here: fails its lock timeout).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from frmr.accreditation.models import ApplicantNameWord
from frmr.core.names import lexicon_add
from frmr.registry import models as m
from frmr.registry.roster import roster_rebuild, roster_refresh
from tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _words(model: type[Any]) -> list[str]:
    return sorted(model.objects.values_list("word", flat=True))


def _run_crosswise(a_steps: list[Any], b_steps: list[Any]) -> dict[str, Any]:
    """Writers A and B each take two steps in one transaction, interleaved A1, B1, A2, B2, so that each
    one's second step meets the other's uncommitted words."""
    gates = [threading.Event() for _ in range(4)]
    outcome: dict[str, Any] = {}

    def writer(name: str, steps: list[Any], waits: list[int], signals: list[int]) -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                for step, wait, signal in zip(steps, waits, signals, strict=True):
                    if wait >= 0:
                        assert gates[wait].wait(10), f"{name} was never let on"
                    step()
                    gates[signal].set()
                # Commit only once the other writer has done both of its steps.
                assert gates[3 if name == "A" else 2].wait(10)
            outcome[name] = "committed"
        except BaseException as exc:
            outcome[name] = exc
            for gate in gates:
                gate.set()
        finally:
            connection.close()

    a = threading.Thread(target=writer, args=("A", a_steps, [-1, 1], [0, 2]))
    b = threading.Thread(target=writer, args=("B", b_steps, [0, 2], [1, 3]))
    a.start()
    b.start()
    a.join(30)
    b.join(30)
    return outcome


def test_two_writers_add_the_same_new_roster_words_crosswise(org_a: m.Organization) -> None:
    # Different persons (a refresh locks its persons), the same new words in opposite orders.
    people = [
        PersonFactory(last_name=last, first_name=first, patronymic="", created_by_organization=org_a)
        for last, first in (("Зюзина", "Ада"), ("Щукина", "Ева"), ("Щукина", "Ада"), ("Зюзина", "Ева"))
    ]
    m.RosterWord.objects.all().delete()

    def refresh(person: m.Person) -> Any:
        return lambda: roster_refresh(person_ids=[person.pk])

    outcome = _run_crosswise(
        [refresh(people[0]), refresh(people[1])], [refresh(people[2]), refresh(people[3])]
    )

    assert outcome == {"A": "committed", "B": "committed"}
    assert set(_words(m.RosterWord)) == {"ЗЮЗИНА", "АДА", "ЩУКИНА", "ЕВА"}
    # A rebuild leaves each word once.
    roster_rebuild()
    assert _words(m.RosterWord) == ["АДА", "ЕВА", "ЗЮЗИНА", "ЩУКИНА"]


def test_two_writers_add_the_same_new_applicant_words_crosswise() -> None:
    def add(word: str) -> Any:
        return lambda: lexicon_add(ApplicantNameWord, [word])

    outcome = _run_crosswise([add("ЗЮЗИНА"), add("ЩУКИНА")], [add("ЩУКИНА"), add("ЗЮЗИНА")])

    assert outcome == {"A": "committed", "B": "committed"}
    assert set(_words(ApplicantNameWord)) == {"ЗЮЗИНА", "ЩУКИНА"}


@pytest.mark.django_db
def test_a_word_already_held_is_not_added_again() -> None:
    lexicon_add(ApplicantNameWord, ["ИВАНОВА", "АННА"])
    lexicon_add(ApplicantNameWord, ["ИВАНОВА", "ИВАНОВА", "", "Я" * 101])
    assert _words(ApplicantNameWord) == ["АННА", "ИВАНОВА"]
