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
from typing import Any

from django.db.models import Q

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


def decode(tag: str, cursor: str | None, width: int) -> list[Any] | None:
    """The sort key in `cursor` if it was made for the ordering `tag` with `width` keys, else None."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, list) or len(data) != width + 1 or data[0] != tag:
            return None
        return [_typed(value) for value in data[1:]]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


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
