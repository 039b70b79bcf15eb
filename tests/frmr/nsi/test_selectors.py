from __future__ import annotations

import datetime

import pytest

from frmr.nsi import codes, oids
from frmr.nsi.models import DictionaryEntry
from frmr.nsi.selectors import (
    entries_of,
    entry_get,
    positions_for_specialty,
    specialties_for,
    specialty_kinds_for,
)

pytestmark = pytest.mark.usefixtures("loaded")


def test_entries_of_hides_retired_entries_but_entry_get_finds_them() -> None:
    DictionaryEntry.objects.of(oids.AWARD_KINDS).filter(code="1").update(valid_to=datetime.date(2020, 1, 1))
    assert "1" not in set(entries_of(oid=oids.AWARD_KINDS).values_list("code", flat=True))
    assert "1" in set(
        entries_of(oid=oids.AWARD_KINDS, on=datetime.date(2019, 1, 1)).values_list("code", flat=True)
    )
    assert entry_get(oid=oids.AWARD_KINDS, code="1").name == "Заслуженный врач Российской Федерации"
    with pytest.raises(DictionaryEntry.DoesNotExist):
        entry_get(oid=oids.AWARD_KINDS, code="999")


def test_entries_keep_the_file_order() -> None:
    names = list(entries_of(oid=oids.ACCREDITATION_KINDS).values_list("name", flat=True))
    assert names == [
        "Первичная аккредитация",
        "Первичная специализированная аккредитация",
        "Периодическая аккредитация",
    ]


def test_specialties_by_level_and_kind() -> None:
    secondary = specialties_for(education_level=codes.EDUCATION_LEVEL_SECONDARY)
    assert secondary.exists()
    assert all(entry.attrs["education_level"] == "2" for entry in secondary)
    assert "Акушерское дело" in {entry.name for entry in secondary}
    assert "Терапия" not in {entry.name for entry in secondary}

    doctors = specialties_for(
        education_level=codes.EDUCATION_LEVEL_HIGHER, specialty_kind=codes.SPECIALTY_KIND_DOCTORS
    )
    assert doctors.count() >= 90
    assert {"Терапия", "Хирургия"} <= {entry.name for entry in doctors}
    assert "Фармация" not in {entry.name for entry in doctors}

    mismatch = specialties_for(
        education_level=codes.EDUCATION_LEVEL_SECONDARY, specialty_kind=codes.SPECIALTY_KIND_DOCTORS
    )
    assert not mismatch.exists()
    assert specialties_for().count() > 100


def test_specialty_kinds_by_level() -> None:
    higher = set(
        specialty_kinds_for(education_level=codes.EDUCATION_LEVEL_HIGHER).values_list("code", flat=True)
    )
    secondary = set(
        specialty_kinds_for(education_level=codes.EDUCATION_LEVEL_SECONDARY).values_list("code", flat=True)
    )
    assert higher == {"1", "2", "3", "4"}
    assert secondary == {"5", "6"}


def test_positions_for_a_specialty() -> None:
    therapy = specialties_for(specialty_kind=codes.SPECIALTY_KIND_DOCTORS).get(name="Терапия")
    names = {position.name for position in positions_for_specialty(specialty=therapy)}
    assert {"Врач-терапевт", "Врач-терапевт участковый", "Заведующий отделением — врач-специалист"} <= names
    assert "Врач-хирург" not in names
    midwifery = specialties_for(specialty_kind=codes.SPECIALTY_KIND_SECONDARY_MEDICAL).get(
        name="Акушерское дело"
    )
    assert "Акушерка" in {position.name for position in positions_for_specialty(specialty=midwifery)}
