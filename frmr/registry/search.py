"""The employer cabinet's employee list: filters, typo-tolerant name search, keyset pages.

Reads only the organization's rows of the roster (`RosterEntry`, frmr/registry/roster.py), whatever
the size of the register. A page is found by a cursor — the sort key of the last (or first) row
shown — not by an offset, so the thousandth page costs what the first does (docs/roster.md).

Name search, typo-tolerant on both databases and ranked by similarity (docs/roster.md, «Name search»):
- PostgreSQL: each query word as typed or as one of its likeliest spellings from the lexicon of name
  words (`RosterWord`, pg_trgm similarity); first as the start of names (ranges of the name index),
  then, if nobody's name starts so, as whole words in any order (the word index).
- SQLite: the FTS5 `trigram` index of the roster (migration 0007) finds the rows sharing a trigram
  with a query word; `frmr_similarity` (frmr/registry/sqlite.py) scores and ranks them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from frmr.core import keyset
from frmr.core.names import normalize_name, similar_words_sql, spelling_rank, spelling_rank_sql
from frmr.registry import models as m

SQLITE_THRESHOLD = 0.3
MIN_TRIGRAM_WORD = 3  # shorter words are matched as parts of the name, without typo tolerance
MAX_PREFIX_WORDS = 3  # surname, first name, patronymic
SPELLINGS = 4  # likely spellings tried for a word the register does not have
LAST_CHARACTER = "\U0010ffff"  # after every other in the search name's byte order (collation "C")
PAGE_SIZE = 25
COUNT_CAP = 10_000

STATUS_CURRENT = "current"
STATUS_DISMISSED = "dismissed"
STATUS_ALL = "all"
STATUSES = (STATUS_CURRENT, STATUS_DISMISSED, STATUS_ALL)

_NON_DIGITS = re.compile(r"[\s\-]+")


def snils_digits(query: str) -> str | None:
    """The digits of a query that looks like (part of) a СНИЛС in any format, else None."""
    compact = _NON_DIGITS.sub("", query)
    return compact if len(compact) >= 3 and compact.isdigit() else None


@dataclass(frozen=True)
class EmployeeCard:
    position: str
    department: str
    rate: Decimal | None
    begin: datetime.date | None
    end: datetime.date | None


@dataclass
class EmployeesPage:
    rows: list[m.RosterEntry]
    total: int  # at most COUNT_CAP + 1
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def cap_label(self) -> str:
        return f"{COUNT_CAP:,}".replace(",", "\u00a0")  # 10 000, as Russian writes thousands


def entry_cards(entry: m.RosterEntry) -> list[EmployeeCard]:
    """The entry's cards, open ones first, then the latest dismissal first."""
    cards = [
        EmployeeCard(
            position=str(card.get("position") or ""),
            department=str(card.get("department") or ""),
            rate=_decimal(card.get("rate")),
            begin=_date(card.get("begin")),
            end=_date(card.get("end")),
        )
        for card in entry.cards or []
    ]
    return sorted(
        cards,
        key=lambda c: (
            c.end is not None,
            -(c.end or datetime.date.min).toordinal(),
            -(c.begin or datetime.date.min).toordinal(),
        ),
    )


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None


def _with_facet(
    entries: QuerySet[m.RosterEntry], organization: m.Organization, facets: list[tuple[int, int]]
) -> QuerySet[m.RosterEntry]:
    """Rows holding each (kind, value) facet — a department, a position (`RosterFacet`).

    The first one is joined, and its copy of the sort key is annotated (`facet_name`, `facet_person`), so
    that a list in name order can be read in the order of the facets' index and stop after a page; the
    others are tests of existence.
    """
    (kind, value), *others = facets
    entries = entries.filter(
        facets__organization=organization, facets__kind=kind, facets__value=value
    ).annotate(facet_name=F("facets__search_name"), facet_person=F("facets__person_id"))
    for kind, value in others:
        entries = entries.filter(_holds_facet("pk", kind, value))
    return entries


def _holds_facet(entry: str, kind: int, value: int) -> Exists:
    """The roster row named by the outer query's `entry` field has this facet."""
    return Exists(m.RosterFacet.objects.filter(entry=OuterRef(entry), kind=kind, value=value))


def _sqlite_search(entries: QuerySet[m.RosterEntry], text: str) -> tuple[QuerySet[m.RosterEntry], bool]:
    """(filtered entries, whether a `similarity` annotation orders them): FTS5 trigrams, then scoring."""
    words = text.split()
    long_words = [word for word in words if len(word) >= MIN_TRIGRAM_WORD]
    for word in words:
        if len(word) < MIN_TRIGRAM_WORD:
            entries = entries.filter(search_name__contains=word)
    if not long_words:
        return entries, False
    trigrams = {word[i : i + 3] for word in long_words for i in range(len(word) - 2)}
    match = " OR ".join('"' + trigram.replace('"', '""') + '"' for trigram in sorted(trigrams))
    fts = "registry_roster_fts"
    candidates = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match])  # noqa: S608, S611
    similarity = Func(
        Value(" ".join(long_words)), F("search_name"), function="frmr_similarity", output_field=FloatField()
    )
    entries = (
        entries.filter(pk__in=candidates)
        .annotate(similarity=similarity)
        .filter(similarity__gte=SQLITE_THRESHOLD)
    )
    return entries, True


TSV = "to_tsvector('simple'::regconfig, search_name)"


def search_by_words(
    entries: QuerySet[m.RosterEntry], spellings: list[list[tuple[str, float]]], last_is_word: bool
) -> QuerySet[m.RosterEntry]:
    """Names holding every query word (as typed or as a likely spelling) in any order, ranked.

    The (organization_id, to_tsvector(search_name)) GIN index answers it: posting lists of whole
    words, far shorter than those of trigrams. The last word may be the start of a word. The rank is
    the mean over query words of the best similarity among the spellings the name holds. The last
    word is taken as the start of a word unless the register knows it as a whole word (`last_is_word`):
    «Иванов» then does not find every «Иванович».
    """
    groups: list[str] = []
    params: list[Any] = []
    held: list[list[tuple[str, list[Any], float]]] = []
    for position, own in enumerate(spellings):
        suffix = " || ':*'" if position == len(spellings) - 1 and not last_is_word else ""
        term = f"to_tsquery('simple'::regconfig, quote_literal(%s){suffix})"
        groups.append("(" + " || ".join([term] * len(own)) + ")")
        params += [word for word, _ in own]
        held.append([(f"{TSV} @@ {term}", [word], score) for word, score in own])
    query = " && ".join(groups)
    rank, rank_params = spelling_rank_sql(held, "postgresql")
    return entries.filter(Q(RawSQL(f"{TSV} @@ ({query})", params, output_field=BooleanField()))).annotate(  # noqa: S611
        similarity=RawSQL(rank, rank_params, output_field=FloatField())  # noqa: S611
    )


def search_spellings(words: list[str]) -> tuple[list[list[tuple[str, float]]], bool]:
    """For each query word: itself, and if the register has no such word, its likeliest spellings;
    and whether the register has the last word as typed.

    One query to the lexicon of name words (`RosterWord`, a few hundred thousand at national scale).
    """
    words = words[:MAX_PREFIX_WORDS]
    table = m.RosterWord._meta.db_table
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(words):
        positions.setdefault(word, []).append(index)
    with connection.cursor() as cursor:
        cursor.execute(similar_words_sql(table), [list(positions), SPELLINGS + 1])
        found = cursor.fetchall()
    result: list[list[tuple[str, float]]] = [[(word, 1.0)] for word in words]
    for typed, word, score in found:
        for index in positions[typed]:
            own = result[index]
            if word == typed:
                del own[1:]
                own.append(("", -1.0))  # marks: the word exists as typed
            elif own[-1][1] != -1.0 and len(own) <= SPELLINGS:
                own.append((word, float(score)))
    last_is_word = bool(result) and result[-1][-1][1] == -1.0
    return [[item for item in own if item[1] >= 0] for own in result], last_is_word


def search_by_prefix(
    entries: QuerySet[m.RosterEntry], words: list[str], spellings: list[list[tuple[str, float]]]
) -> tuple[QuerySet[m.RosterEntry], bool] | None:
    """Names that start with the query (surname first), each word as typed or as a likely spelling.

    Every combination is a prefix, so a range of the (organization, search_name) index; with no
    misspelt word the rows come in that index's order, else by the mean similarity of the spellings.
    None when the query is not a prefix-shaped query (too many words).
    """
    if not words or len(words) > MAX_PREFIX_WORDS:
        return None
    # Each combination of spellings as a prefix, with the scores of the spellings it is made of.
    combos: dict[str, list[float]] = {"": []}
    for position, own in enumerate(spellings):
        last = position == len(spellings) - 1
        combos = {
            f"{prefix}{word}{'' if last else ' '}": [*scores, weight]
            for prefix, scores in combos.items()
            for word, weight in own
        }
    ranked = sorted(
        ((prefix, spelling_rank(scores)) for prefix, scores in combos.items()), key=lambda c: (-c[1], c[0])
    )
    # The best spelling first; a prefix another one already covers adds nothing but a condition.
    kept: list[tuple[str, float]] = []
    for prefix, rank in ranked:
        if not any(prefix.startswith(other) for other, _ in kept):
            kept.append((prefix, rank))
    condition = Q()
    for prefix, _ in kept:
        condition |= Q(search_name__startswith=prefix)
    # One range around all the prefixes: the database reads only that part of the name index, where
    # it would not combine the prefixes' ranges by itself.
    # The range ends after the prefix that reaches furthest: «РОМАН…» goes past «РОМАНВОА…».
    low = min(prefix for prefix, _ in kept)
    high = max(prefix + LAST_CHARACTER for prefix, _ in kept)
    entries = entries.filter(condition, search_name__gte=low, search_name__lt=high)
    if len(kept) == 1:
        return entries, False
    ranks = [When(search_name__startswith=prefix, then=Value(rank)) for prefix, rank in kept]
    return entries.annotate(similarity=Case(*ranks, default=Value(0.0), output_field=FloatField())), True


# The list's orders (frmr.core.keyset): by name, or best name match first; the person breaks ties.
KEYS: keyset.Keys = [("search_name", False), ("person_id", False)]
RANKED_KEYS: keyset.Keys = [("similarity", True), *KEYS]
# The same order read from a facet's copy of the key (`_with_facet`): cursors of both are interchangeable.
FACET_KEYS: keyset.Keys = [("facet_name", False), ("facet_person", False)]
KEY_TYPES: list[type | tuple[type, ...]] = [str, int]
RANKED_KEY_TYPES: list[type | tuple[type, ...]] = [(int, float), *KEY_TYPES]


def _count(entries: QuerySet[m.RosterEntry]) -> int:
    return entries.order_by().values("pk")[: COUNT_CAP + 1].count()


def _facet_count(organization: m.Organization, facets: list[tuple[int, int]], status: int | None) -> int:
    """The count of a list filtered by facets (and a status) only, from the facets' index alone."""
    (kind, value), *others = facets
    rows = m.RosterFacet.objects.filter(organization=organization, kind=kind, value=value)
    if status is not None:
        rows = rows.filter(status=status)
    for kind, value in others:
        rows = rows.filter(_holds_facet("entry", kind, value))
    return rows.order_by().values("entry")[: COUNT_CAP + 1].count()


def employees_page(
    *,
    organization: m.Organization,
    query: str = "",
    department_id: int | None = None,
    position_id: int | None = None,
    status: str = STATUS_ALL,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> EmployeesPage:
    """One page of the organization's employees matching the filters, in two queries (count, page).

    `status`: current — has an open card here; dismissed — had cards here, none open; all — anyone the
    organization may see (including a person it entered but has not hired yet). Name matches come
    best first; otherwise the order is by name. `after`/`before`: a cursor from a previous page.
    """
    entries = m.RosterEntry.objects.filter(organization=organization)
    status_value = {STATUS_CURRENT: m.RosterStatus.WORKING, STATUS_DISMISSED: m.RosterStatus.DISMISSED}.get(
        status
    )
    if status_value is not None:
        entries = entries.filter(status=status_value)
    facets: list[tuple[int, int]] = [
        (int(kind), value)
        for kind, value in (
            (m.RosterFacet.Kind.DEPARTMENT, department_id),
            (m.RosterFacet.Kind.POSITION, position_id),
        )
        if value is not None
    ]
    if facets:
        entries = _with_facet(entries, organization, facets)
    query = " ".join((query or "").split())
    ranked = False
    total = -1
    digits = snils_digits(query) if query else None
    if digits:
        entries = (
            entries.filter(snils=digits) if len(digits) == 11 else entries.filter(snils__contains=digits)
        )
    elif query and connection.vendor == "postgresql":
        words = normalize_name(query).split()[:MAX_PREFIX_WORDS]
        spellings, last_is_word = search_spellings(words)
        prefixed = search_by_prefix(entries, words, spellings)
        total = _count(prefixed[0]) if prefixed is not None else 0
        if prefixed is not None and total:
            entries, ranked = prefixed
        else:
            # Not the start of anybody's name (e.g. the first name first): any word order.
            entries, ranked = search_by_words(entries, spellings, last_is_word), True
            total = -1
    elif query:
        entries, ranked = _sqlite_search(entries, normalize_name(query))
    keys = RANKED_KEYS if ranked else FACET_KEYS if facets else KEYS
    kind = "s" if ranked else "n"
    types = RANKED_KEY_TYPES if ranked else KEY_TYPES
    if total < 0:
        total = _facet_count(organization, facets, status_value) if facets and not query else _count(entries)

    pages = keyset.window(entries, keys, kind, after=after, before=before, types=types)
    page = pages.page(list(pages.queryset[: size + 1]), size)
    return EmployeesPage(
        rows=page.rows, total=total, next_cursor=page.next_cursor, previous_cursor=page.previous_cursor
    )


def positions_in_use(*, organization: m.Organization) -> QuerySet[Any]:
    """The positions of the organization's cards, for the filter's choices.

    On PostgreSQL a skip scan of the index (organization, position): one index probe per distinct
    position instead of reading every card of a large organization.
    """
    from frmr.nsi.models import DictionaryEntry

    card = m.EmploymentCard._meta.db_table
    if connection.vendor == "postgresql":
        used = RawSQL(  # noqa: S611
            f"""WITH RECURSIVE used(position_id) AS (
                (SELECT position_id FROM {card} WHERE organization_id = %s ORDER BY position_id LIMIT 1)
                UNION ALL
                SELECT (SELECT c.position_id FROM {card} c WHERE c.organization_id = %s
                        AND c.position_id > used.position_id ORDER BY c.position_id LIMIT 1)
                FROM used WHERE used.position_id IS NOT NULL
            ) SELECT position_id FROM used WHERE position_id IS NOT NULL""",  # noqa: S608
            [organization.pk, organization.pk],
        )
        return DictionaryEntry.objects.filter(pk__in=used).order_by("name")
    used_ids = m.EmploymentCard.objects.filter(organization=organization).values("position_id")
    return DictionaryEntry.objects.filter(pk__in=used_ids).order_by("name")
