"""The dry run's memory of planned persons gives back what was put in, in a fraction of the space."""

from __future__ import annotations

import datetime
import tracemalloc

import pytest

from frmr.imports.engine.planned import PlannedIdentities

CASES = [
    {
        "last_name": "Кузнецова",
        "first_name": "Анна",
        "patronymic": "Сергеевна",
        "birth_date": datetime.date(1985, 3, 14),
    },
    {
        "last_name": "Салтыков-Щедрин",
        "first_name": "Михаил",
        "patronymic": "",
        "birth_date": datetime.date(1926, 1, 27),
    },
    {"last_name": "Д'Артаньян", "first_name": "Анна Мария", "patronymic": "", "birth_date": None},
]


@pytest.mark.parametrize("identity", CASES)
def test_round_trip(identity):
    planned = PlannedIdentities()
    planned["11223344595"] = identity
    assert "11223344595" in planned
    assert "11223344596" not in planned
    assert planned["11223344595"] == identity
    planned["11223344595"] = {**identity, "last_name": "Иванова"}
    assert planned["11223344595"]["last_name"] == "Иванова"
    assert len(planned) == 1


def test_a_person_takes_under_200_bytes():
    # As dicts of field → value the same persons took about 490 bytes each (1,000,000 rows: 490 MB).
    count = 20_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        planned = PlannedIdentities()
        for i in range(count):
            planned[f"{70_000_000_000 + i * 7:011d}"] = {
                "last_name": "Кузнецова" + "а" * (i % 3),
                "first_name": "Анна",
                "patronymic": "Сергеевна",
                "birth_date": datetime.date(1980, 1, 1) + datetime.timedelta(days=i % 9000),
            }
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(planned) == count
    assert used / count < 200


def test_only_ascii_digits_become_numbers():
    planned = PlannedIdentities()
    planned["11223344595"] = CASES[0]
    # Arabic-Indic digits parse as the same number but are another string.
    assert "١١٢٢٣٣٤٤٥٩٥" not in planned
    planned["١١٢٢٣٣٤٤٥٩٥"] = CASES[1]
    assert planned["11223344595"] == CASES[0]
    assert planned["١١٢٢٣٣٤٤٥٩٥"] == CASES[1]
