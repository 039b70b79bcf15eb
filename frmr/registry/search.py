"""Finding an organization's employees by name (tolerant of typos) or by СНИЛС.

On PostgreSQL the name search compares the query with the person's full name by pg_trgm word
similarity (`query <% full name`), served by the GIN trigram index of migration 0003 on exactly the
expression `FULL_NAME` builds. The default threshold of the operator (0.6) misses ordinary typos — a
swapped pair of letters in «Иванова» scores about 0.4 — so the search lowers it to
`TRIGRAM_THRESHOLD` for the connection; results are ordered by similarity, so the best matches come
first. SQLite has no trigrams: there every word of the query must occur in the name, with no typo
tolerance (the cabinet says so in its hint).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, Upper

from frmr.registry import models as m
from frmr.registry.selectors import persons_visible_to_organization

TRIGRAM_THRESHOLD = 0.3
# The index and every query use this one expression, so the planner can use the index.
FULL_NAME = Upper(Concat("last_name", Value(" "), "first_name", Value(" "), "patronymic"))

STATUS_CURRENT = "current"
STATUS_DISMISSED = "dismissed"
STATUS_ALL = "all"
STATUSES = (STATUS_CURRENT, STATUS_DISMISSED, STATUS_ALL)

_NON_DIGITS = re.compile(r"[\s\-]+")


def search_is_fuzzy() -> bool:
    """Whether the name search tolerates typos here (PostgreSQL) or only matches words (SQLite)."""
    return connection.vendor == "postgresql"


def snils_digits(query: str) -> str | None:
    """The digits of a query that looks like (part of) a СНИЛС in any format, else None."""
    compact = _NON_DIGITS.sub("", query)
    return compact if len(compact) >= 3 and compact.isdigit() else None


def _name_filter(queryset: QuerySet[m.Person], query: str) -> QuerySet[m.Person]:
    words = query.split()
    if search_is_fuzzy():
        with connection.cursor() as cursor:
            cursor.execute("SET pg_trgm.word_similarity_threshold = %s", [TRIGRAM_THRESHOLD])
        text = " ".join(words).upper()
        return (
            queryset.alias(full_name_upper=FULL_NAME)
            .filter(TrigramWordSimilar(F("full_name_upper"), Value(text)))
            .annotate(similarity=TrigramWordSimilarity(Value(text), F("full_name_upper")))  # type: ignore[arg-type]
        )
    # SQLite compares non-ASCII letters case-sensitively: try the usual spellings of each word.
    for word in words:
        variants = {word, word.lower(), word.upper(), word.capitalize()}
        condition = Q()
        for variant in variants:
            condition |= (
                Q(last_name__contains=variant)
                | Q(first_name__contains=variant)
                | Q(patronymic__contains=variant)
            )
        queryset = queryset.filter(condition)
    return queryset


def employees_search(
    *,
    organization: m.Organization,
    query: str = "",
    department_id: int | None = None,
    position_id: int | None = None,
    status: str = STATUS_ALL,
) -> QuerySet[m.Person]:
    """The organization's persons matching the filters; the best name matches first.

    `status`: current — has an open card here; dismissed — had cards here, none open; all — anyone the
    organization may see (including a person it entered but has not hired yet).
    """
    persons = persons_visible_to_organization(organization=organization)
    cards = m.EmploymentCard.objects.filter(person=OuterRef("pk"), organization=organization)
    if department_id is not None:
        persons = persons.filter(Exists(cards.filter(department_id=department_id)))
    if position_id is not None:
        persons = persons.filter(Exists(cards.filter(position_id=position_id)))
    if status == STATUS_CURRENT:
        persons = persons.filter(Exists(cards.filter(end_date__isnull=True)))
    elif status == STATUS_DISMISSED:
        persons = persons.filter(Exists(cards)).exclude(Exists(cards.filter(end_date__isnull=True)))
    query = " ".join((query or "").split())
    ordering: list[Any] = ["last_name", "first_name", "patronymic", "pk"]
    digits = snils_digits(query) if query else None
    if digits:
        persons = (
            persons.filter(snils=digits) if len(digits) == 11 else persons.filter(snils__contains=digits)
        )
    elif query:
        persons = _name_filter(persons, query)
        if search_is_fuzzy():
            ordering = ["-similarity", *ordering]
    return persons.order_by(*ordering)
