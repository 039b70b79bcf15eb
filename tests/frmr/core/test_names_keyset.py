from __future__ import annotations

import datetime

from frmr.core import keyset
from frmr.core.names import name_words, normalize_name, trigram_similarity


def test_normal_form_of_names() -> None:
    assert normalize_name("  ёлкина   Анна-Мария ") == "ЕЛКИНА АННА-МАРИЯ"
    assert name_words("Иванова Иванова Нина") == ["ИВАНОВА", "НИНА"]


def test_similarity_is_pg_trgm_s() -> None:
    assert trigram_similarity("ИВАНОВА", "ИВАНОВА") == 1.0
    assert trigram_similarity("ИВАНОВА", "ПЕТРОВ") < 0.3
    # pg_trgm: similarity('ивнаова', 'иванова') = 0.3333…
    assert abs(trigram_similarity("ИВНАОВА", "ИВАНОВА") - 1 / 3) < 1e-9
    assert trigram_similarity("", "А") == 0.0


def test_cursor_round_trip_and_refusals() -> None:
    when = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    cursor = keyset.encode("q", [when, 15])
    assert keyset.decode("q", cursor, 2) == [when, 15]
    assert keyset.decode("s", cursor, 2) is None
    assert keyset.decode("q", cursor, 3) is None
    assert keyset.decode("q", "not base64 at all!", 2) is None
    assert keyset.decode("q", keyset.encode("q", [[1], 2]), 2) is None
    assert keyset.ordering([("similarity", True), ("id", False)], forward=True) == ["-similarity", "id"]
    assert keyset.ordering([("similarity", True), ("id", False)], forward=False) == ["similarity", "-id"]


def test_one_edit_away_catches_what_trigrams_miss() -> None:
    from frmr.core.names import one_edit_away

    assert trigram_similarity("БЕОЛВА", "БЕЛОВА") < 0.3
    assert "БЕЛОВА" in one_edit_away("БЕОЛВА")  # swapped
    assert "ИВАНОВА" in one_edit_away("ИВНОВА")  # a letter missing
    assert "ИВАНОВА" in one_edit_away("ИВАННОВА")  # a letter extra
    assert "ИВАНОВА" in one_edit_away("ИВАНОВО")  # a letter wrong
    assert "ИВАНОВА" not in one_edit_away("ИВАНОВА")
    assert "ПЕТРОВА" not in one_edit_away("ИВАНОВА")
