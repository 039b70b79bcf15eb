"""Names as a search compares them: one normal form and a trigram similarity, the same on every database.

`normalize_name` is the form stored in search columns and applied to queries (upper case, Ё as Е,
single spaces), so «ёлкина  анна» finds «Ёлкина Анна». `trigram_similarity` scores two words the way
PostgreSQL's pg_trgm `similarity` does (shared trigrams over all distinct trigrams, the word padded
with two spaces before and one after), so a search that ranks spellings in Python (SQLite) and one that
asks the database (PostgreSQL) agree on what is «close». `name_similarity` scores a query against a whole
name, word by word. `normalize_name_sql` is the same normal form as SQL, for columns the database fills
itself (the employer roster's refresh); tests/frmr/core/test_names_sql.py pins the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import models


def normalize_name(text: str) -> str:
    """The search form of a name or a query: upper case, Ё as Е, single spaces."""
    return " ".join(text.upper().replace("Ё", "Е").split())  # i18n: letters compared


def normalize_name_sql(expression: str, vendor: str) -> str:
    """SQL computing `normalize_name` of `expression` on this database vendor.

    PostgreSQL's upper() under a UTF-8 locale folds Cyrillic exactly like str.upper(); SQLite's folds
    ASCII only, so there `frmr_upper` (normalize_name itself, registered on every SQLite connection by
    frmr.registry.sqlite) does it.
    """
    if vendor == "postgresql":
        return (
            f"btrim(regexp_replace(translate(upper({expression}), "
            "'Ё', 'Е'), '\\s+', ' ', 'g'))"  # i18n: SQL
        )
    return f"frmr_upper({expression})"


def name_words(text: str) -> list[str]:
    """The distinct words of a name in its search form, in their order («Анна-Мария» stays one word)."""
    seen: dict[str, None] = {}
    for word in normalize_name(text).split():
        seen.setdefault(word, None)
    return list(seen)


@lru_cache(maxsize=8192)
def trigrams(word: str) -> frozenset[str]:
    """The word's trigrams, padded as pg_trgm pads them: two spaces before, one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def trigram_similarity(first: str, second: str) -> float:
    """pg_trgm's `similarity` of two words: shared trigrams over all distinct ones, 0…1."""
    if not first or not second:
        return 0.0
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b)


def name_similarity(query: str | None, name: str | None) -> float:
    """How well the words of `query` match words of `name`, 0…1 (both in `normalize_name` form).

    Each query word takes its best `trigram_similarity` with any word of the name; the result is their
    mean, so a typo in one word of three costs a third of that word's score.
    """
    if not query or not name:
        return 0.0
    words = name.split()
    scores = [max((trigram_similarity(own, word) for word in words), default=0.0) for own in query.split()]
    return sum(scores) / len(scores) if scores else 0.0


def similar_words_sql(table: str) -> str:
    """PostgreSQL: for each word of a text[] parameter, the words of the lexicon `table` (a column
    `word` with a pg_trgm index) similar to it (pg_trgm's `%` threshold, 0.3 by default), best first,
    at most as many as a second parameter. Rows: (the word asked for, a lexicon word, their similarity).

    `table` is a model's table name, never input.
    """
    # GROUP BY: a lexicon may hold a word twice (see `lexicon_add_sql`).
    return f"""SELECT q.w, l.word, similarity(l.word, q.w)
        FROM unnest(%s::text[]) AS q(w)
        CROSS JOIN LATERAL (
            SELECT word FROM {table} WHERE word %% q.w GROUP BY word
            ORDER BY similarity(word, q.w) DESC, word LIMIT %s
        ) l"""  # noqa: S608


# A lexicon (the roster's `RosterWord`, the queue's `ApplicantNameWord`) is a table of name words with
# no unique constraint. Writers add words in their own transactions, and a unique index would make a
# writer wait for every other open transaction that added the same new word (an import's 50,000-row
# batch holding «ИВАНОВ» would stall the cabinet until it commits), and deadlock two writers that add
# two new words in opposite orders. Without it nobody waits; the price is that two transactions adding
# the same word at the same moment both insert it: a duplicate row, which the readers group away and a
# rebuild drops.
LEXICON_WORD_MAX = 100


def lexicon_add_sql(table: str, words_sql: str) -> str:
    """PostgreSQL/SQLite: INSERT into the lexicon `table` the words that `words_sql` (a SELECT of one
    column `word`) yields and the lexicon does not hold yet. Both are our own SQL, never input."""
    return f"""INSERT INTO {table} (word)
        SELECT DISTINCT n.word FROM ({words_sql}) n
        WHERE n.word <> '' AND length(n.word) <= {LEXICON_WORD_MAX}
          AND NOT EXISTS (SELECT 1 FROM {table} l WHERE l.word = n.word)"""  # noqa: S608


def lexicon_add(model: type[models.Model], words: Iterable[str], *, chunk: int = 500) -> None:
    """Add to a lexicon model (one field `word`) the words it does not hold yet (see above)."""
    wanted = sorted({word for word in words if word and len(word) <= LEXICON_WORD_MAX})
    manager = model._default_manager
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        held = set(manager.filter(word__in=part).values_list("word", flat=True))
        manager.bulk_create([model(word=word) for word in part if word not in held])


def spelling_rank(scores: Sequence[float]) -> float:
    """The rank of a match: the mean over the query words of the score of the spelling each one matched.
    `spelling_rank_sql` computes the same row by row, taking each word's best-held spelling."""
    return sum(scores) / len(scores)


def spelling_rank_sql(groups: list[list[tuple[str, list[Any], float]]], vendor: str) -> tuple[str, list[Any]]:
    """SQL (and its parameters) ranking a row found by spellings: for each query word, the best score
    among its spellings the row holds — `groups` has, per query word, (SQL condition «the row holds this
    spelling», its parameters, the spelling's score) — and the mean of those over the query words."""
    ranks: list[str] = []
    params: list[Any] = []
    for own in groups:
        cases = []
        for condition, condition_params, score in own:
            cases.append(f"CASE WHEN {condition} THEN %s ELSE 0 END")
            params += [*condition_params, score]
        # PostgreSQL's GREATEST; SQLite's scalar MAX of several arguments does the same.
        greatest = "GREATEST" if vendor == "postgresql" else "MAX"
        ranks.append(cases[0] if len(cases) == 1 else f"{greatest}({', '.join(cases)})")
    # A float, not PostgreSQL's exact numeric: the rank travels in a page's cursor as a JSON float, and
    # «rows ranked below the cursor» must compare that float with the same float, or the next page
    # repeats the last one (0.8181…82 as numeric is above 0.8181…8 as float).
    mean = f"(({' + '.join(ranks)}) / {len(groups)}.0)"
    return (f"CAST({mean} AS double precision)" if vendor == "postgresql" else mean), params


ALPHABET = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ-"  # i18n: letters of names


def one_edit_away(word: str) -> set[str]:
    """Every word one keystroke from `word` (search form): a letter missing, extra, wrong, or two
    neighbours swapped. Short names lose most of their trigrams to one typo («БЕОЛВА» shares 3 of 11
    with «БЕЛОВА»); these catch what trigram similarity misses."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    edits |= {left + letter + right[1:] for left, right in splits if right for letter in ALPHABET}
    edits |= {left + letter + right for left, right in splits for letter in ALPHABET}
    edits.discard(word)
    return edits
