"""Keyset (cursor) pages: the next page is «rows after the last one shown» in the list's order.

A page found by an offset costs the rows skipped; one found by the sort key of its neighbour costs what
the first page does, however deep. A cursor is the sort key of the last (or first) row shown, as
url-safe base64 JSON tagged with the ordering it was made for; a cursor made for another ordering, or
damaged, decodes to None and the list starts from its first page.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Q, QuerySet

T = TypeVar("T")
M = TypeVar("M", bound=Any)

# A sort key: (field name, descending) pairs, the last one unique (the primary key).
Keys = list[tuple[str, bool]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, text),) = value.items()
        if kind == "dt" and isinstance(text, str):
            return datetime.datetime.fromisoformat(text)
        if kind == "d" and isinstance(text, str):
            return datetime.date.fromisoformat(text)
        raise ValueError("unknown value in a cursor")
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("unexpected value in a cursor")
    return value


def encode(tag: str, values: list[Any]) -> str:
    raw = json.dumps([tag, *(_plain(v) for v in values)], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(
    tag: str, cursor: str | None, width: int, types: Sequence[type | tuple[type, ...]] | None = None
) -> list[Any] | None:
    """The sort key in `cursor` if it was made for the ordering `tag` with `width` keys, else None.

    `types`, if given, is what each key must be (a cursor whose values the query cannot compare with
    its columns is a damaged one).
    """
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, list) or len(data) != width + 1 or data[0] != tag:
            return None
        values = [_typed(value) for value in data[1:]]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    if types is not None and not all(isinstance(v, t) for v, t in zip(values, types, strict=True)):
        return None
    return values


def beyond(keys: Keys, values: list[Any], *, forward: bool) -> Q:
    """Rows strictly after (`forward`) or before `values` in the order `keys`."""
    condition = Q()
    equal = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        greater = descending != forward
        condition |= equal & Q(**{f"{name}__{'gt' if greater else 'lt'}": value})
        equal &= Q(**{name: value})
    # A bound on the first key alone lets the database start its index scan at the cursor.
    first, descending = keys[0]
    return condition & Q(**{f"{first}__{'gte' if descending != forward else 'lte'}": values[0]})


def ordering(keys: Keys, *, forward: bool) -> list[str]:
    """`order_by` arguments reading `keys` forward, or backward (for the page before a cursor)."""
    return [f"{'-' if descending == forward else ''}{name}" for name, descending in keys]


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None
    previous_cursor: str | None
    has_previous: bool  # False on the list's first page (even an empty one)


@dataclass(frozen=True)
class Window(Generic[M]):
    """The rows a page is read from: those beyond the cursor given, in the order to read them."""

    queryset: QuerySet[M]
    keys: Keys
    tag: str
    forward: bool
    from_cursor: bool

    def page(self, found: list[T], size: int) -> Page[T]:
        """The page from the first `size + 1` rows of `queryset` (or objects built from them, each with
        an attribute per key): at most `size` rows in the list's order, and the cursors of its
        neighbours (None where there is none)."""
        more = len(found) > size
        rows = found[:size]
        if not self.forward:
            rows.reverse()
        # Read backward from a cursor, the rows after the page are those the cursor came from.
        has_next = more if self.forward else True
        has_previous = self.from_cursor if self.forward else more

        def cursor(row: T) -> str:
            return encode(self.tag, [getattr(row, name) for name, _ in self.keys])

        return Page(
            rows=rows,
            next_cursor=cursor(rows[-1]) if rows and has_next else None,
            previous_cursor=cursor(rows[0]) if rows and has_previous else None,
            has_previous=has_previous,
        )


def window(
    queryset: QuerySet[M],
    keys: Keys,
    tag: str,
    *,
    after: str | None,
    before: str | None,
    types: Sequence[type | tuple[type, ...]] | None = None,
) -> Window[M]:
    """The rows after the cursor `after`, else before the cursor `before`, else from the first one,
    ordered by `keys` (backward when reading before a cursor). A damaged cursor counts as none."""
    start_after = decode(tag, after, len(keys), types)
    end_before = None if start_after is not None else decode(tag, before, len(keys), types)
    forward = end_before is None
    if start_after is not None:
        queryset = queryset.filter(beyond(keys, start_after, forward=True))
    elif end_before is not None:
        queryset = queryset.filter(beyond(keys, end_before, forward=False))
    return Window(
        queryset=queryset.order_by(*ordering(keys, forward=forward)),
        keys=keys,
        tag=tag,
        forward=forward,
        from_cursor=start_after is not None or end_before is not None,
    )


def read_tiers(
    tiers: Sequence[tuple[float, QuerySet[M]]],
    keys: Keys,
    tag: str,
    *,
    after: str | None,
    before: str | None,
    types: Sequence[type | tuple[type, ...]] | None,
    need: int,
    fetch: Callable[[QuerySet[M], int], list[T]],
) -> tuple[Window[M], list[T]]:
    """A ranked list read tier by tier: the first `need` rows beyond the cursor, and the window to make
    the page of them (`Window.page`).

    Each tier holds the rows of one rank — the value of the first key, descending, which the tier's
    queryset annotates as a constant — and the other keys are ascending. A ranked query asked at once
    (rank computed per row, then sorted) must rank every match before the first row comes out: tens of
    thousands for a common surname. Asked tier by tier, each tier is read in its own index order and
    the reading stops once the page is full — usually in the first tier. Tiers of equal rank are read
    together and merged. `fetch(queryset, n)` returns the first n rows of a tier's window (objects or
    tuples with the keys in order: tuples are compared by position, objects by the keys' names).
    """
    assert keys[0][1] and not any(descending for _, descending in keys[1:]), "rank descending, then ascending"
    windows = [
        (rank, window(queryset, keys, tag, after=after, before=before, types=types))
        for rank, queryset in tiers
    ]
    assert windows, "at least one tier"
    first = windows[0][1]
    forward = first.forward
    groups: dict[float, list[QuerySet[M]]] = {}
    for rank, own in windows:
        groups.setdefault(rank, []).append(own.queryset)
    found: list[T] = []
    for rank in sorted(groups, reverse=forward):
        wanted = need - len(found)
        rows = [row for queryset in groups[rank] for row in fetch(queryset, wanted)]
        if len(groups[rank]) > 1:
            rows.sort(key=lambda row: _rest_of_key(row, keys), reverse=not forward)
        found += rows[:wanted]
        if len(found) >= need:
            break
    return first, found


def _rest_of_key(row: Any, keys: Keys) -> tuple[Any, ...]:
    if isinstance(row, tuple):
        return row[1 : len(keys)]
    return tuple(getattr(row, name) for name, _ in keys[1:])
