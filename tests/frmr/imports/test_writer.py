"""The PostgreSQL fast path (COPY) against the plain bulk_create path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import models, transaction

from frmr.accounts.models import User
from frmr.audit.models import AuditEntry
from frmr.imports.engine import CREATE, ERROR, UNCHANGED, ImportResult, run_import
from frmr.imports.writer import bulk_create_only
from frmr.registry.models import EmploymentCard, IdentityDocument, Organization, Person, ProfessionalEducation
from tests.factories import valid_snils
from tests.frmr.imports.test_engine import row, write_csv

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("dictionaries")]

_NAMED_BY_ID = {"registry.identitydocument", "registry.professionaleducation"}
_VOLATILE = {"id", "created_at", "updated_at", "at", "object_id"}


def _rows(model: type[models.Model], snils_by_id: dict[int, str]) -> list[dict[str, Any]]:
    """Every row of `model` without ids and timestamps; persons named by СНИЛС."""
    result = []
    for values in model._default_manager.values():
        if values.get("object_type") in _NAMED_BY_ID:  # the ids differ between the two runs
            values["object_repr"] = values["object_repr"].removesuffix(f"№ {values['object_id']}")
        values = {k: v for k, v in values.items() if k not in _VOLATILE}
        if "person_id" in values:
            values["person_id"] = snils_by_id.get(values["person_id"])
        result.append(values)
    return sorted(result, key=repr)


def _state() -> dict[str, list[dict[str, Any]]]:
    """What the imports left in the register."""
    snils_by_id = dict(Person.objects.values_list("pk", "snils"))
    models_ = (Person, IdentityDocument, ProfessionalEducation, EmploymentCard, AuditEntry)
    return {model.__name__: _rows(model, snils_by_id) for model in models_}


def _small_file(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "w.csv",
        [
            row(snils=valid_snils(11)),
            row(snils=valid_snils(12), end_date="01.02.2024", end_reason="2", citizenship="1"),
            row(snils=valid_snils(13), last_name="Petrova"),  # refused: Latin letters
            row(snils=valid_snils(11), edu_doc_number="ВСГ 7654321"),  # the same person, a second diploma
        ],
    )


def _import_twice(path: Path, organization: Organization, actor: User) -> tuple[ImportResult, ImportResult]:
    first = run_import(organization=organization, actor=actor, path=path, name=path.name, dry_run=False)
    second = run_import(organization=organization, actor=actor, path=path, name=path.name, dry_run=False)
    return first, second


def test_copy_and_bulk_create_write_the_same_rows_and_audit(
    tmp_path: Path, org_a: Organization, operator_a: User
) -> None:
    path = _small_file(tmp_path)
    with transaction.atomic():
        copied = _import_twice(path, org_a, operator_a)
        copy_state = _state()
        transaction.set_rollback(True)
    assert Person.objects.count() == 0
    with bulk_create_only(), transaction.atomic():
        created = _import_twice(path, org_a, operator_a)
        bulk_state = _state()
    for name in copy_state:
        assert copy_state[name] == bulk_state[name], name
    assert [r.summary() for r in copied] == [r.summary() for r in created]
    assert [r.errors for r in copied] == [r.errors for r in created]
    assert len(copy_state["Person"]) == 2 and len(copy_state["AuditEntry"]) == 9
    assert copied[0].counts[CREATE] == 2 and copied[0].counts[ERROR] == 1
    assert copied[1].counts[UNCHANGED] == 3  # re-importing the file creates nothing twice
    entries = copy_state["AuditEntry"]
    assert {(e["actor_id"], e["organization_id"], e["reason"]) for e in entries} == {
        (operator_a.pk, org_a.pk, "Импорт файла w.csv")
    }
