"""Functions the roster's SQL needs on SQLite, registered on every SQLite connection.

SQLite's upper() folds ASCII letters only and it has no trigram similarity; the roster's refresh
(frmr/registry/roster.py) and the typo-tolerant search (frmr/registry/search.py) call these instead.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.backends.signals import connection_created

from frmr.registry.roster import normalize_name


@lru_cache(maxsize=4096)
def trigrams(word: str) -> frozenset[str]:
    """The word's trigrams, padded as pg_trgm pads them: two spaces before, one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(query: str | None, name: str | None) -> float:
    """How well the words of `query` match words of `name`, 0…1 (both in `normalize_name` form).

    Each query word takes the best trigram overlap (shared / all distinct) with any word of the name;
    the result is their mean, so a typo in one word of three costs a third of that word's score.
    """
    if not query or not name:
        return 0.0
    name_words = [trigrams(word) for word in name.split()]
    scores = []
    for word in query.split():
        own = trigrams(word)
        scores.append(max((len(own & other) / len(own | other) for other in name_words), default=0.0))
    return sum(scores) / len(scores) if scores else 0.0


def _upper(value: Any) -> str | None:
    return None if value is None else normalize_name(str(value))


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("frmr_upper", 1, _upper, deterministic=True)
    raw.create_function("frmr_similarity", 2, similarity, deterministic=True)


def connect() -> None:
    connection_created.connect(register, dispatch_uid="frmr.registry.sqlite")
