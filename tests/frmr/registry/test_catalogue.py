"""The catalogue of personal-file sections agrees with the models and with every interface that reads it."""

from __future__ import annotations

import dataclasses

import pytest

from frmr.imports.columns import BY_KEY, GROUP_COLUMNS
from frmr.integration.api import specs
from frmr.registry import catalogue
from frmr.registry.models import PersonSection
from frmr.registry.selectors import PersonFile


def test_the_cabinets_show_every_file_section_in_order() -> None:
    assert [s.slug for s in catalogue.CABINET_SECTIONS] == catalogue.FileSection.values
    assert [s.title for s in catalogue.CABINET_SECTIONS] == catalogue.FileSection.labels
    assert catalogue.section("awards").attribute == "awards"
    with pytest.raises(KeyError):
        catalogue.section("general_education")  # shown by the API only


@pytest.mark.parametrize("section", catalogue.CATALOGUE, ids=lambda s: s.model_name)
def test_each_section_names_its_model_rows_and_links(section: catalogue.Section) -> None:
    model = section.model
    assert section.records == issubclass(model, PersonSection)
    if section.records:
        assert section.record_model is model
    else:
        with pytest.raises(TypeError):
            section.record_model  # noqa: B018
    file_fields = {f.name for f in dataclasses.fields(PersonFile)}
    assert section.attribute is None or section.attribute in file_fields
    for name in (*section.relations, *section.columns):
        model._meta.get_field(name)
    for key in section.import_columns:
        assert key in BY_KEY


def test_the_api_and_the_import_take_their_sections_from_the_catalogue() -> None:
    assert set(specs.SECTIONS) == set(catalogue.BY_API_RESOURCE)
    for resource, spec in specs.SECTIONS.items():
        section = catalogue.BY_API_RESOURCE[resource]
        assert (spec.model, spec.related, spec.attribute) == (
            section.model,
            section.relations,
            section.attribute,
        )
    assert GROUP_COLUMNS["passport"] == catalogue.BY_ATTRIBUTE["documents"].import_columns
    assert GROUP_COLUMNS["card"] == catalogue.BY_ATTRIBUTE["cards"].import_columns
    assert GROUP_COLUMNS["education"] == catalogue.BY_ATTRIBUTE["professional_education"].import_columns


def test_the_employer_edits_every_table_but_accreditation() -> None:
    assert [s.slug for s in catalogue.EMPLOYER_TABLES if not s.editable] == ["accreditations"]
    assert {s.slug for s in catalogue.EMPLOYER_TABLES} == set(catalogue.FileSection.values) - {
        "personal",
        "employment",
    }
