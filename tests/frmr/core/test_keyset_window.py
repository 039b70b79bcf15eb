"""The shared keyset window: typed cursors and the page cut from the rows read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db.models import FloatField, QuerySet, Value

from frmr.core import keyset
from frmr.registry.models import RosterEntry

KEYS: keyset.Keys = [("search_name", False), ("person_id", False)]


def test_a_cursor_with_values_of_the_wrong_types_is_refused() -> None:
    names = keyset.encode("n", ["А", "Б"])
    assert keyset.decode("n", names, 2) == ["А", "Б"]
    assert keyset.decode("n", names, 2, [str, int]) is None
    ranked = keyset.encode("s", [0.5, "ИВАНОВА", 7])
    assert keyset.decode("s", ranked, 3, [(int, float), str, int]) == [0.5, "ИВАНОВА", 7]
    assert keyset.decode("s", keyset.encode("s", [True, "И", 7]), 3, [(int, float), str, int]) is None


def test_pages_forward_and_back_carry_their_neighbours_cursors() -> None:
    rows = [SimpleNamespace(search_name=name, person_id=pk) for pk, name in enumerate(["А", "Б", "В"])]
    entries = RosterEntry.objects.none()

    first = keyset.window(entries, KEYS, "n", after=None, before=None)
    assert first.forward and not first.from_cursor
    page = first.page(rows, 2)
    assert page.rows == rows[:2] and not page.has_previous and page.previous_cursor is None
    assert page.next_cursor == keyset.encode("n", ["Б", 1])

    second = keyset.window(entries, KEYS, "n", after=page.next_cursor, before=None)
    assert second.forward and second.from_cursor
    page = second.page(rows[2:], 2)
    assert page.rows == rows[2:] and page.next_cursor is None
    assert page.previous_cursor == keyset.encode("n", ["В", 2])

    back = keyset.window(entries, KEYS, "n", after=None, before=page.previous_cursor)
    assert not back.forward and back.from_cursor
    page = back.page([rows[1], rows[0]], 2)  # read backward from the cursor
    assert page.rows == rows[:2] and not page.has_previous and page.previous_cursor is None
    assert page.next_cursor == keyset.encode("n", ["Б", 1])

    damaged = keyset.window(entries, KEYS, "n", after="!!!", before=keyset.encode("s", [1.0, "А", 0]))
    assert damaged.forward and not damaged.from_cursor


@pytest.mark.django_db
def test_tiers_of_equal_rank_are_merged_and_reading_stops_once_the_page_is_full() -> None:
    from frmr.accounts.models import User

    users = [User.objects.create(username=f"{'ab'[i % 2]}{i}") for i in range(6)]
    top = User.objects.create(username="c")
    keys: keyset.Keys = [("similarity", True), ("id", False)]

    def tier(prefix: str, rank: float) -> tuple[float, QuerySet[User]]:
        return rank, User.objects.filter(username__startswith=prefix).annotate(
            similarity=Value(rank, FloatField())
        )

    tiers = [tier("a", 0.5), tier("b", 0.5), tier("c", 1.0)]
    fetched: list[int] = []

    def fetch(queryset: QuerySet[User], n: int) -> list[tuple[float, int]]:
        fetched.append(n)
        return list(queryset.values_list("similarity", "id")[:n])

    window, found = keyset.read_tiers(
        tiers, keys, "s", after=None, before=None, types=None, need=5, fetch=fetch
    )
    # The best tier first, then the two of rank 0.5 merged in id order.
    assert [pk for _, pk in found] == [top.pk, *(u.pk for u in users[:4])]
    page = window.page([SimpleNamespace(similarity=rank, id=pk) for rank, pk in found], 4)
    _, rest = keyset.read_tiers(
        tiers, keys, "s", after=page.next_cursor, before=None, types=None, need=5, fetch=fetch
    )
    assert [pk for _, pk in rest] == [u.pk for u in users[3:]]
    fetched.clear()
    # A page filled by the best tier reads no other.
    keyset.read_tiers(tiers, keys, "s", after=None, before=None, types=None, need=1, fetch=fetch)
    assert fetched == [1]
