"""The shared keyset window: typed cursors and the page cut from the rows read."""

from __future__ import annotations

from types import SimpleNamespace

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
