"""The search form of names computed by the database (the roster's refresh) is `normalize_name`'s."""

from __future__ import annotations

import pytest
from django.db import connection

from frmr.core.names import (
    name_similarity,
    normalize_name,
    normalize_name_sql,
    spelling_rank_sql,
    trigram_similarity,
)
from frmr.registry import models as m
from tests.factories import OrganizationFactory, PersonFactory

NAMES = [
    "Ёлкина Анна",
    "ёлкина  анна",
    "  Королёва\tАлёна   Петровна ",
    "Петрова-Водкина Мария",
    "Салтыков-щедрин  Михаил",
    "Ли Ён",
    "O'Коннор Ирина",  # Latin letters stay Latin on both sides: neither maps look-alikes
    "Аnna Ivanova",  # a Cyrillic А then Latin letters
    "ЁЖИК",
    "",
]


def _database_form(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {normalize_name_sql('%s', connection.vendor)}", [text])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_database_normalizes_names_as_python_does(name: str) -> None:
    assert _database_form(name) == normalize_name(name)


@pytest.mark.django_db
def test_the_roster_stores_the_search_form_of_names() -> None:
    organization = OrganizationFactory()
    person = PersonFactory(
        last_name="Королёва-Ёлкина", first_name="алёна", patronymic="", created_by_organization=organization
    )
    entry = m.RosterEntry.objects.get(person=person, organization=organization)
    assert entry.name == "Королёва-Ёлкина алёна"
    assert entry.search_name == normalize_name(entry.name) == "КОРОЛЕВА-ЕЛКИНА АЛЕНА"


def test_a_name_similarity_is_the_mean_of_each_query_words_best_match() -> None:
    assert name_similarity("КУЗНЕЦОВА МАРИЯ", "КУЗНЕЦОВА МАРИЯ ИВАНОВНА") == 1.0
    assert name_similarity("МАРИЯ КУЗНЕЦОВА", "КУЗНЕЦОВА МАРИЯ") == 1.0
    typo = trigram_similarity("КУЗНЕЦВОА", "КУЗНЕЦОВА")
    assert abs(name_similarity("КУЗНЕЦВОА МАРИЯ", "КУЗНЕЦОВА МАРИЯ") - (typo + 1) / 2) < 1e-9
    assert name_similarity("", "КУЗНЕЦОВА") == 0.0
    assert name_similarity("КУЗНЕЦОВА", None) == 0.0


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
@pytest.mark.parametrize(("first", "second"), [("ИВНАОВА", "ИВАНОВА"), ("БЕОЛВА", "БЕЛОВА"), ("ЛИ", "ЛИ")])
def test_trigram_similarity_is_pg_trgms(first: str, second: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [first, second])
        (expected,) = cursor.fetchone()
    assert abs(trigram_similarity(first, second) - expected) < 1e-6


@pytest.mark.django_db
def test_a_row_found_by_spellings_ranks_by_the_mean_of_each_words_best_held_score() -> None:
    held = [[("1 = 1", [], 1.0)], [("1 = 0", [], 1.0), ("%s = 1", [1], 0.5), ("1 = 1", [], 0.25)]]
    rank, params = spelling_rank_sql(held, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rank}", params)
        (value,) = cursor.fetchone()
    assert abs(float(value) - 0.75) < 1e-9
