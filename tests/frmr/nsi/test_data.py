"""The shipped files themselves: they parse, and the small dictionaries carry the agreed codes."""

from __future__ import annotations

import re

import pytest

from frmr.nsi import codes, oids
from frmr.nsi.shipped import DATA_DIR, read_shipped


@pytest.mark.parametrize("oid", list(oids.DATA_FILES))
def test_every_shipped_file_parses(oid: str) -> None:
    entries = read_shipped(oid)
    assert entries
    assert all(entry.name == entry.name.strip() and entry.name for entry in entries)


def test_every_file_in_the_data_folder_belongs_to_a_dictionary() -> None:
    assert {path.name for path in DATA_DIR.glob("*.csv")} == set(oids.DATA_FILES.values())
    assert set(oids.DATA_FILES) == set(oids.TITLES)


def test_specialties_cover_all_kinds_with_level_and_kind_that_exist() -> None:
    specialties = read_shipped(oids.SPECIALTIES)
    kinds = {entry.code: entry.attrs["education_level"] for entry in read_shipped(oids.SPECIALTY_KINDS)}
    levels = {entry.code for entry in read_shipped(oids.EDUCATION_LEVELS)}
    assert len(specialties) > 100
    for entry in specialties:
        kind = entry.attrs["specialty_kind"]
        assert kind in kinds, entry
        assert entry.attrs["education_level"] == kinds[kind], entry
        assert entry.attrs["education_level"] in levels
    assert {entry.attrs["specialty_kind"] for entry in specialties} == set(kinds)
    doctors = [e for e in specialties if e.attrs["specialty_kind"] == codes.SPECIALTY_KIND_DOCTORS]
    assert len(doctors) >= 90


@pytest.mark.parametrize(
    "name",
    [
        "Терапия",
        "Хирургия",
        "Педиатрия",
        "Общая врачебная практика (семейная медицина)",
        "Сестринское дело",
        "Лечебное дело",
        "Акушерское дело",
        "Фармация",
        "Управление и экономика фармации",
        "Анестезиология и реаниматология",
        "Анестезиология-реаниматология",
    ],
)
def test_well_known_specialty_names_are_spelled_as_in_the_nomenclature(name: str) -> None:
    assert name in {entry.name for entry in read_shipped(oids.SPECIALTIES)}


def test_positions_refer_to_existing_specialties_and_kinds() -> None:
    specialties = {entry.code for entry in read_shipped(oids.SPECIALTIES)}
    kinds = {entry.code for entry in read_shipped(oids.SPECIALTY_KINDS)}
    positions = read_shipped(oids.POSITIONS)
    assert len(positions) >= 80
    for entry in positions:
        assert entry.attrs["group"]
        assert set(entry.attrs["specialties"]) <= specialties, entry
        assert set(entry.attrs.get("specialty_kinds", [])) <= kinds, entry
    names = {entry.name for entry in positions}
    for name in [
        "Главный врач (начальник) медицинской организации",
        "Врач-терапевт участковый",
        "Провизор",
        "Фармацевт",
        "Медицинская сестра палатная (постовая)",
        "Фельдшер",
        "Акушерка",
    ]:
        assert name in names


def test_all_89_regions_with_unique_two_digit_codes() -> None:
    regions = read_shipped(oids.REGIONS)
    assert len(regions) == 89
    assert len({entry.code for entry in regions}) == 89
    assert all(re.fullmatch(r"\d{2}", entry.code) for entry in regions)
    by_code = {entry.code: entry.name for entry in regions}
    assert by_code["77"] == "г. Москва"
    assert by_code["16"] == "Республика Татарстан (Татарстан)"
    assert by_code["86"] == "Ханты-Мансийский автономный округ — Югра"
    assert by_code["93"] == "Донецкая Народная Республика"


@pytest.mark.parametrize(
    ("oid", "code", "name"),
    [
        (oids.EDUCATION_LEVELS, codes.EDUCATION_LEVEL_SECONDARY, "Среднее профессиональное образование"),
        (oids.ACCREDITATION_KINDS, codes.ACCREDITATION_PERIODIC, "Периодическая аккредитация"),
        (oids.POSITION_TYPES, codes.POSITION_TYPE_EXTERNAL_PART_TIME, "Внешнее совместительство"),
        (oids.QUALIFICATION_CATEGORIES, codes.QUALIFICATION_HIGHEST, "Высшая"),
        (oids.POSTGRADUATE_STAGES, codes.POSTGRADUATE_RESIDENCY, "Ординатура"),
        (
            oids.IDENTITY_DOCUMENT_TYPES,
            codes.IDENTITY_DOCUMENT_RF_PASSPORT,
            "Паспорт гражданина Российской Федерации",
        ),
        (oids.DISMISSAL_REASONS, codes.DISMISSAL_DEATH, "Смерть работника"),
        (oids.ABSENCE_REASONS, codes.ABSENCE_CHILD_CARE, "Отпуск по уходу за ребёнком"),
        (oids.ADDRESS_TYPES, codes.ADDRESS_ACTUAL, "Адрес фактического проживания"),
        (oids.CITIZENSHIP, codes.CITIZENSHIP_STATELESS, "Лицо без гражданства"),
        (oids.AWARD_KINDS, codes.AWARD_HONORED_DOCTOR, "Заслуженный врач Российской Федерации"),
    ],
)
def test_code_constants_match_the_files(oid: str, code: str, name: str) -> None:
    assert {entry.code: entry.name for entry in read_shipped(oid)}[code] == name
