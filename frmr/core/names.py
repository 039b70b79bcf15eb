"""Names as a search compares them: one normal form and a trigram similarity, the same on every database.

`normalize_name` is the form stored in search columns and applied to queries (upper case, Ё as Е,
single spaces), so «ёлкина  анна» finds «Ёлкина Анна». `trigram_similarity` scores two words the way
PostgreSQL's pg_trgm `similarity` does (shared trigrams over all distinct trigrams, the word padded
with two spaces before and one after), so a search that ranks spellings in Python (SQLite) and one that
asks the database (PostgreSQL) agree on what is «close».
"""

from __future__ import annotations

from functools import lru_cache


def normalize_name(text: str) -> str:
    """The search form of a name or a query: upper case, Ё as Е, single spaces."""
    return " ".join(text.upper().replace("Ё", "Е").split())


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


ALPHABET = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ-"


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
