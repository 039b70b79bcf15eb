"""Finding applications by what the centre's staff type: a registration number, an application's own
number, a СНИЛС, or the applicant's name with typos (docs/accreditation.md, «The centre's queue»).

Name search works on the words of the applicant's name (`Application.name_words`, search form of
frmr.core.names). Each query word is looked up in the lexicon of applicants' words
(`ApplicantNameWord`): a word someone has is taken as typed; another one is replaced by its likeliest
spellings (trigram similarity ≥ 0.3, at most `SPELLINGS`) — on PostgreSQL by the lexicon's trigram
index, elsewhere by scoring the lexicon in Python. An application matches when its name holds, for
every query word, the word or one of its spellings, in any order (on PostgreSQL the GIN index on
`name_words`); the rank is the mean over query words of the best similarity held. Words of one or two
letters (initials) must start a word of the name.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from frmr.accreditation.models import ApplicantNameWord, Application
from frmr.accreditation.numbering import KIND_ABBREVIATIONS
from frmr.core.names import (
    normalize_name,
    one_edit_away,
    similar_words_sql,
    spelling_rank,
    spelling_rank_sql,
    trigram_similarity,
)

SPELLINGS = 4
THRESHOLD = 0.3
MAX_WORDS = 4
MIN_LEXICON_WORD = 3
NUMBER_YEARS = 5  # a bare serial is looked for among the registration numbers of the last years

_REGISTRATION = re.compile(r"(\d{4})\s*[-–\s]\s*([А-Я]{2,3})\s*[-–\s]\s*(\d{1,6})")
_DIGITS_ONLY = re.compile(r"[\d\s\-–.]+")
_NAME_WORD = re.compile(r"[А-ЯA-Z][А-ЯA-Z\-']*")


@dataclass(frozen=True)
class Found:
    """The applications a search keeps, and whether `similarity` (annotated) ranks them."""

    queryset: QuerySet[Application]
    ranked: bool
    # The ranked list split by rank (`frmr.core.keyset.read_tiers`), where there are few enough ranks.
    tiers: list[tuple[float, QuerySet[Application]]] | None = None


def search(queryset: QuerySet[Application], query: str) -> Found:
    text = normalize_name(query)
    number = _REGISTRATION.fullmatch(text)
    if number:
        year, abbreviation, serial = number.groups()
        return Found(queryset.filter(registration_number=f"{year}-{abbreviation}-{int(serial):06d}"), False)
    if _DIGITS_ONLY.fullmatch(text):
        return Found(queryset.filter(_by_digits(re.sub(r"\D", "", text))), False)
    words = _NAME_WORD.findall(text)[:MAX_WORDS]
    if not words:
        return Found(queryset.none(), False)
    return _by_name(queryset, words)


def _by_digits(digits: str) -> Q:
    """11 digits: a СНИЛС; up to 6: the serial of a registration number of recent years (any kind) or
    an application's own number; up to 10: an application's own number."""
    if len(digits) == 11:
        return Q(applicant_snils=digits)
    if not digits or len(digits) > 10:
        return Q(pk__in=[])
    condition = Q(pk=int(digits))
    if len(digits) <= 6:
        this_year = timezone.localdate().year
        condition |= Q(
            registration_number__in=[
                f"{year}-{abbreviation}-{int(digits):06d}"
                for year in range(this_year - NUMBER_YEARS + 1, this_year + 1)
                for abbreviation in KIND_ABBREVIATIONS.values()
            ]
        )
    return condition


def spellings(words: list[str]) -> list[list[tuple[str, float]]]:
    """For each word of three letters or more: [(itself, 1.0)] if some applicant has it, else itself
    and its likeliest spellings with their scores, best first (at most `SPELLINGS`).

    A spelling is a lexicon word one keystroke away (`one_edit_away`; scored 0.5 + half its trigram
    similarity, so above any word that is only similar) or one of trigram similarity ≥ 0.3. One query.
    """
    long_words = [word for word in words if len(word) >= MIN_LEXICON_WORD]
    if not long_words:
        return []
    edits = {word: one_edit_away(word) for word in long_words}
    similar: dict[str, dict[str, float]] = {word: {} for word in long_words}
    if connection.vendor == "postgresql":
        table = ApplicantNameWord._meta.db_table
        with connection.cursor() as cursor:
            # The spellings one keystroke away that the lexicon has, in the same query.
            exact = f"SELECT NULL, word, 0 FROM {table} WHERE word = ANY(%s::text[])"  # noqa: S608 - the model's table
            cursor.execute(
                f"{similar_words_sql(table)} UNION ALL {exact}",
                [long_words, SPELLINGS + 1, sorted(set().union(*edits.values(), long_words))],
            )
            rows = cursor.fetchall()
        for word, spelling, score in rows:
            for own in [word] if word is not None else long_words:
                if word is not None or spelling == own or spelling in edits[own]:
                    similar[own][spelling] = max(similar[own].get(spelling, 0.0), float(score))
    else:
        for spelling in ApplicantNameWord.objects.values_list("word", flat=True).iterator(chunk_size=5000):
            for word in long_words:
                score = trigram_similarity(word, spelling)
                if score >= THRESHOLD or spelling == word or spelling in edits[word]:
                    similar[word][spelling] = score
    result: list[list[tuple[str, float]]] = []
    for word in long_words:
        found = similar[word]
        if word in found:
            result.append([(word, 1.0)])
            continue
        scored = [
            (spelling, 0.5 + trigram_similarity(word, spelling) / 2 if spelling in edits[word] else score)
            for spelling, score in found.items()
        ]
        scored.sort(key=lambda item: (-item[1], item[0]))
        result.append([(word, 1.0), *scored[:SPELLINGS]])
    return result


def _holds(word: str) -> tuple[str, list[Any]]:
    """SQL: the application's name has this word."""
    table = Application._meta.db_table
    if connection.vendor == "postgresql":
        return f'"{table}"."name_words" @> %s::jsonb', [json.dumps([word], ensure_ascii=False)]
    return f'EXISTS (SELECT 1 FROM json_each("{table}"."name_words") WHERE value = %s)', [word]  # noqa: S608


def _by_name(queryset: QuerySet[Application], words: list[str]) -> Found:
    for word in words:
        if len(word) < MIN_LEXICON_WORD:
            # An initial: the start of some word of the name (Ё typed as Е too).
            pattern = "(^| )" + re.escape(word).replace("Е", "[ЕЁ]")  # i18n: regular expression
            queryset = queryset.filter(applicant_name__iregex=pattern)
    groups = spellings(words)
    if not groups:
        return Found(queryset, False)
    base = queryset
    held: list[list[tuple[str, list[Any], float]]] = []
    for own in groups:
        parts = [_holds(word) for word, _ in own]
        sql = " OR ".join(f"({part})" for part, _ in parts)
        params = [param for _, own_params in parts for param in own_params]
        queryset = queryset.filter(Q(RawSQL(f"({sql})", params, output_field=BooleanField())))  # noqa: S611
        held.append(
            [(part, own_params, score) for (part, own_params), (_, score) in zip(parts, own, strict=True)]
        )
    if all(len(own) == 1 for own in groups):
        return Found(queryset, False)
    rank, rank_params = spelling_rank_sql(held, connection.vendor)
    ranked = queryset.annotate(similarity=RawSQL(rank, rank_params, output_field=FloatField()))  # noqa: S611
    return Found(ranked, True, _tiers(base, held))


MAX_TIERS = 8


def _tiers(
    queryset: QuerySet[Application], held: list[list[tuple[str, list[Any], float]]]
) -> list[tuple[float, QuerySet[Application]]] | None:
    """The ranked search as one query per rank: the applications whose best-held spelling of each query
    word is a given one (so: holding it, and none of the better ones), with that combination's rank —
    the same rank `spelling_rank_sql` computes row by row. None when there are too many combinations."""
    if math.prod(len(own) for own in held) > MAX_TIERS:
        return None
    tiers: list[tuple[float, QuerySet[Application]]] = []
    for combination in itertools.product(*(range(len(own)) for own in held)):
        parts: list[str] = []
        params: list[Any] = []
        for own, chosen in zip(held, combination, strict=True):
            sql, own_params, _ = own[chosen]
            parts.append(f"({sql})")
            params += own_params
            for better_sql, better_params, _ in own[:chosen]:
                parts.append(f"NOT ({better_sql})")
                params += better_params
        rank = spelling_rank([own[chosen][2] for own, chosen in zip(held, combination, strict=True)])
        condition = RawSQL(" AND ".join(parts), params, output_field=BooleanField())  # noqa: S611
        tiers.append((rank, queryset.filter(Q(condition)).annotate(similarity=Value(rank, FloatField()))))
    return tiers
