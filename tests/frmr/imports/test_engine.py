from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditEntry
from frmr.imports.columns import COLUMNS, HEADERS
from frmr.imports.engine import CREATE, ERROR, UPDATE, run_import
from frmr.imports.template import template_csv, template_xlsx
from frmr.nsi import oids
from frmr.registry import rules
from frmr.registry.models import EmploymentCard, IdentityDocument, Organization, Person, ProfessionalEducation
from tests.factories import EmploymentCardFactory, PersonFactory, valid_snils

pytestmark = pytest.mark.usefixtures("dictionaries")


def row(**values: str) -> list[str]:
    base = {column.key: column.example for column in COLUMNS}
    # The template's example СНИЛС is reserved and refused; the tests' rows carry a valid one.
    base["snils"] = "112-233-445 95"
    base["department"] = "Терапевтическое отделение"
    base.update(values)
    return [base[column.key] for column in COLUMNS]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ";") -> Path:
    lines = [delimiter.join(HEADERS)] + [delimiter.join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_template_example_with_a_real_snils_imports_without_errors(
    tmp_path: Path, org_a: Organization
) -> None:
    """Every value of the example but its reserved СНИЛС is a valid model of a row."""
    data = template_csv(org_a).decode("utf-8-sig").replace("123-456-789 00", "112-233-445 95")
    path = tmp_path / "t.csv"
    path.write_text(data, encoding="utf-8")
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="t.csv", dry_run=True)
    assert result.errors == [] and result.file_errors == [], result.errors
    assert result.counts[CREATE] == 1
    assert template_xlsx(org_a)  # builds


def test_apply_creates_person_sections_card_and_audit(tmp_path: Path, org_a: Organization) -> None:
    path = write_csv(tmp_path / "a.csv", [row()])
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="a.csv", dry_run=False)
    assert result.counts[CREATE] == 1, result.errors
    person = Person.objects.get(snils="11223344595")
    assert person.created_by_organization == org_a
    assert IdentityDocument.objects.filter(person=person, number="123456").exists()
    assert ProfessionalEducation.objects.filter(person=person, doc_number="ВСГ 0123456").exists()
    card = EmploymentCard.objects.get(person=person, organization=org_a)
    assert card.position.name == "Врач-терапевт" and card.begin_date == datetime.date(2020, 9, 1)
    entries = AuditEntry.objects.filter(person=person)
    assert entries.count() == 4
    assert set(entries.values_list("reason", flat=True)) == {"Импорт файла a.csv"}
    assert set(entries.values_list("organization", flat=True)) == {org_a.pk}
    # A second run changes nothing; a dismissal date then closes the card.
    again = run_import(organization=org_a, actor=SYSTEM, path=path, name="a.csv", dry_run=False)
    assert again.counts["unchanged"] == 1
    dismiss = write_csv(tmp_path / "b.csv", [row(end_date="01.02.2024", end_reason="Соглашение сторон")])
    third = run_import(organization=org_a, actor=SYSTEM, path=dismiss, name="b.csv", dry_run=False)
    assert third.counts[UPDATE] == 1
    card.refresh_from_db()
    assert card.end_date == datetime.date(2024, 2, 1)


def test_bad_row_is_reported_and_skipped(tmp_path: Path, org_a: Organization) -> None:
    good = row(snils=valid_snils(5))
    bad = row(snils="112-233-445 96", last_name="Petrova")
    path = write_csv(tmp_path / "c.csv", [good, bad], encoding="cp1251", delimiter=",")
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="c.csv", dry_run=False)
    assert result.counts[CREATE] == 1 and result.counts[ERROR] == 1
    messages = {(e["row"], e["column"], e["value"]): e["message"] for e in result.errors}
    assert "Контрольное число СНИЛС" in messages[(3, "СНИЛС", "112-233-445 96")]
    assert "Латинские буквы" in messages[(3, "Фамилия", "Petrova")]
    assert Person.objects.filter(snils=valid_snils(5)).exists()
    assert not Person.objects.filter(last_name="Petrova").exists()


def test_dismissal_before_hire_is_refused(tmp_path: Path, org_a: Organization) -> None:
    path = write_csv(tmp_path / "d.csv", [row(end_date="01.01.2019", end_reason="2")])
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="d.csv", dry_run=True)
    assert result.errors[0]["column"] == "Дата увольнения"
    assert result.errors[0]["message"] == "Дата увольнения не может быть раньше даты приёма."


def test_person_of_another_organization_needs_a_hire(
    tmp_path: Path, org_a: Organization, org_b: Organization
) -> None:
    other = PersonFactory()
    EmploymentCardFactory(person=other, organization=org_b, department=org_b.departments.get())
    only_person = row(
        snils=other.snils,
        **dict.fromkeys(
            ("department", "position", "position_type", "rate", "begin_date", "service_number"), ""
        ),
    )
    same_person = dict.fromkeys(("last_name", "first_name", "patronymic", "birth_date"), "")
    path = write_csv(tmp_path / "e.csv", [only_person, row(snils=other.snils, **same_person)])
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="e.csv", dry_run=False)
    assert result.counts[ERROR] == 1 and "не работает в вашей организации" in result.errors[0]["message"]
    assert result.counts[UPDATE] == 1
    assert EmploymentCard.objects.filter(person=other, organization=org_a).exists()


def test_fast_audit_snapshot_matches_the_generic_one(tmp_path: Path, org_a: Organization) -> None:
    from frmr.audit.services import created_changes, model_snapshot
    from frmr.imports.snapshots import created_changes as fast_created_changes

    path = write_csv(tmp_path / "f.csv", [row(citizenship="1", end_date="01.02.2024", end_reason="2")])
    run_import(organization=org_a, actor=SYSTEM, path=path, name="f.csv", dry_run=False)
    person = Person.objects.get(snils="11223344595")
    for obj in (person, person.cards.get(), person.documents.get(), person.professional_education.get()):
        fresh = type(obj).objects.get(pk=obj.pk)
        assert fast_created_changes(fresh) == created_changes(model_snapshot(fresh))
        entry = AuditEntry.objects.get(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        assert entry.changes == created_changes(model_snapshot(fresh))


def test_command_skips_changes_of_identity_unless_told(tmp_path: Path, org_a: Organization) -> None:
    from io import StringIO

    from django.core.management import call_command

    person = PersonFactory(last_name="Иванова", first_name="Анна", birth_date=datetime.date(1985, 3, 14))
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    path = write_csv(tmp_path / "g.csv", [row(snils=person.snils, last_name="Петрова")])
    out = StringIO()
    call_command("import_employees", str(path), organization=org_a.oid, stdout=out, stderr=StringIO())
    person.refresh_from_db()
    assert person.last_name == "Иванова"
    assert (
        "строка 2, СНИЛС" in out.getvalue() and "пропущена: фамилия: «Иванова» → «Петрова»" in out.getvalue()
    )
    assert "пропущено без подтверждения: 1 (--confirm-identity-changes)" in out.getvalue()
    assert not AuditEntry.objects.filter(person=person, reason="Импорт файла g.csv").exists()
    call_command(
        "import_employees",
        str(path),
        organization=org_a.oid,
        confirm_identity_changes=True,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    person.refresh_from_db()
    assert person.last_name == "Петрова"


def test_import_updates_add_one_to_the_version(tmp_path: Path, org_a: Organization) -> None:
    """The import's bulk writes follow the register's one rule: every write of a row adds one, so a
    cabinet form opened before the import cannot save over what the import changed (issue 13 p. 6)."""
    path = write_csv(tmp_path / "a.csv", [row()])
    run_import(organization=org_a, actor=SYSTEM, path=path, name="a.csv", dry_run=False)
    person = Person.objects.get(snils="11223344595")
    card = EmploymentCard.objects.get(person=person, organization=org_a)
    assert (person.version, card.version) == (1, 1)
    changed = write_csv(
        tmp_path / "b.csv",
        [row(birth_place="г. Омск", end_date="01.02.2024", end_reason="Соглашение сторон")],
    )
    result = run_import(organization=org_a, actor=SYSTEM, path=changed, name="b.csv", dry_run=False)
    assert result.counts[UPDATE] == 1, result.errors
    person.refresh_from_db()
    card.refresh_from_db()
    assert person.birth_place == "г. Омск" and card.end_date == datetime.date(2024, 2, 1)
    assert (person.version, card.version) == (2, 2)


def test_control_characters_and_malformed_passports_are_row_errors(
    tmp_path: Path, org_a: Organization
) -> None:
    """The import applies the cabinet's and the API's checks (issue 13, point 14)."""
    path = write_csv(
        tmp_path / "p.csv",
        [
            row(snils=valid_snils(21), birth_place="г. Чита\x07"),
            row(snils=valid_snils(22), passport_series="76", passport_number="1234567"),
        ],
    )
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="p.csv", dry_run=True)
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "U+0007" in messages[(2, "Место рождения")]
    assert messages[(3, "Паспорт: серия")] == "Серия этого документа — 4 цифры, например 7609."
    assert messages[(3, "Паспорт: номер")] == "Номер этого документа — 6 цифр, например 456987."


def _service_refusal(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_hire_and_dismissal_refusals_are_the_services_own(tmp_path: Path, org_a: Organization) -> None:
    """The import's fast path checks a card with the services' shared rules: same date, same message."""
    from frmr.imports.rows import Dictionary
    from frmr.registry.services.employment import card_dismiss, card_hire, card_update

    today = timezone.localdate()
    too_far = today + datetime.timedelta(days=366)
    before_birth = datetime.date(1985, 3, 13)  # the example row's worker is born 14.03.1985
    path = write_csv(
        tmp_path / "r.csv",
        [
            row(snils=valid_snils(31), begin_date=f"{too_far:%d.%m.%Y}"),
            row(snils=valid_snils(32), begin_date=f"{before_birth:%d.%m.%Y}"),
            row(snils=valid_snils(33), end_date="31.08.2020", end_reason="Соглашение сторон"),
            row(snils=valid_snils(34), end_date="01.02.2024"),
        ],
    )
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="r.csv", dry_run=True)
    by_import = {(e["row"], e["column"]): e["message"] for e in result.errors}

    person = PersonFactory(birth_date=datetime.date(1985, 3, 14))
    hire = {
        "department": org_a.departments.get(),
        "position": Dictionary(oids.POSITIONS).find("Врач-терапевт"),
        "position_type": Dictionary(oids.POSITION_TYPES).find("1"),
        "rate": Decimal("1"),
    }

    def hire_on(day: datetime.date) -> Any:
        return lambda: card_hire(
            actor=SYSTEM, organization=org_a, person=person, data={**hire, "begin_date": day}
        )

    card = card_hire(
        actor=SYSTEM,
        organization=org_a,
        person=person,
        data={**hire, "begin_date": datetime.date(2020, 9, 1)},
    )
    reason = Dictionary(oids.DISMISSAL_REASONS).find("Соглашение сторон")
    by_services = {
        (2, "Дата приёма"): _service_refusal(hire_on(too_far))["begin_date"],
        (3, "Дата приёма"): _service_refusal(hire_on(before_birth))["begin_date"],
        (4, "Дата увольнения"): _service_refusal(
            lambda: card_dismiss(
                actor=SYSTEM,
                organization=org_a,
                card=card,
                end_date=datetime.date(2020, 8, 31),
                end_reason=reason,
            )
        )["end_date"],
        (5, "Причина увольнения"): _service_refusal(
            lambda: card_update(
                actor=SYSTEM, organization=org_a, card=card, data={"end_date": datetime.date(2024, 2, 1)}
            )
        )["end_reason"],
    }
    assert by_import == {key: messages[0] for key, messages in by_services.items()}
    assert set(by_import.values()) == {
        rules.HIRE_TOO_FAR_AHEAD,
        rules.HIRE_BEFORE_BIRTH,
        rules.DISMISSAL_BEFORE_HIRE,
        rules.DISMISSAL_NEEDS_BOTH,
    }
