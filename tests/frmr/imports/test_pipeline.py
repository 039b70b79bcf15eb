"""The worker-process path (frmr/imports/pipeline.py) against the sequential one: same results, same data.

On PostgreSQL the rows whose person is new are written from the worker's prepared COPY lines
(frmr/imports/fresh.py); on SQLite the worker's checks are used and everything is written in this
process. Both runs of each comparison happen in one test, rolled back in between.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.imports import engine
from frmr.imports import rows as checks
from frmr.imports.columns import CARD, EDUCATION, GROUP_COLUMNS, HEADERS, PASSPORT
from frmr.imports.engine import CREATE, ERROR, SKIPPED, UNCHANGED, UPDATE, ImportResult, run_import
from frmr.imports.models import ImportStatus
from frmr.imports.pipeline import CheckedChunks, WorkerFailed
from frmr.imports.services import import_job_apply_request, import_job_create
from frmr.registry.models import Organization, Person
from tests.factories import EmploymentCardFactory, PersonFactory, valid_snils
from tests.frmr.imports.test_engine import row, write_csv
from tests.frmr.imports.test_writer import _state

pytestmark = pytest.mark.usefixtures("dictionaries")

NO_CARD = dict.fromkeys(GROUP_COLUMNS[CARD], "")
NO_PASSPORT = dict.fromkeys(GROUP_COLUMNS[PASSPORT], "")
NO_DIPLOMA = dict.fromkeys(GROUP_COLUMNS[EDUCATION], "")
BLANK_PERSON = dict.fromkeys(("last_name", "first_name", "patronymic", "gender", "birth_date"), "")


@pytest.fixture
def people(org_a: Organization, org_b: Organization) -> dict[str, Person]:
    """A worker of org_a (so known there) and one of org_b only."""
    mine = PersonFactory(birth_date=datetime.date(1990, 1, 1))
    EmploymentCardFactory(
        person=mine,
        organization=org_a,
        department=org_a.departments.get(),
        begin_date=datetime.date(2021, 3, 1),
    )
    other = PersonFactory()
    EmploymentCardFactory(person=other, organization=org_b, department=org_b.departments.get())
    return {"mine": mine, "other": other}


def mixed_rows(people: dict[str, Person]) -> list[list[str]]:
    """Rows for every way a row can go; with chunks of 3 the comments name the chunk."""
    mine, other = people["mine"].snils, people["other"].snils
    return [
        # 1
        row(snils=valid_snils(900_000 + 201)),
        row(snils=valid_snils(900_000 + 202), last_name="Petrova"),  # Latin letters
        row(snils=mine, phone="+7 900 111-22-33", **BLANK_PERSON),  # blank cells keep the record
        # 2
        row(snils=other, **NO_CARD),  # works elsewhere: needs a hire
        row(snils=valid_snils(900_000 + 203), end_date="01.02.2024", end_reason="2", citizenship="1"),
        row(
            snils=valid_snils(900_000 + 201), edu_doc_number="ВСГ 7654321", phone="+7 900 000-00-02"
        ),  # again
        # 3: one person three times in a chunk: renamed, then the card made here is dismissed
        row(snils=valid_snils(900_000 + 204)),
        row(snils=valid_snils(900_000 + 204), last_name="Сидорова"),
        row(snils=valid_snils(900_000 + 204), end_date="01.02.2024", end_reason="2"),
        # 4
        row(snils=mine, begin_date="01.09.1985", **{**BLANK_PERSON, "last_name": "Иванова"}),  # before birth
        row(snils=valid_snils(900_000 + 205), begin_date="01.01.1950"),  # hired before birth
        row(snils=valid_snils(900_000 + 206), gender=""),  # a new person needs the gender
        # 5: an error row, then the same СНИЛС correct
        row(snils=valid_snils(900_000 + 207), department="Нет такого отделения"),
        row(snils=valid_snils(900_000 + 207)),
        row(snils=valid_snils(900_000 + 208), **NO_PASSPORT, **NO_DIPLOMA),
        # 6
        row(snils=valid_snils(900_000 + 209), **NO_CARD),
        row(snils="112-233-445 96"),  # checksum
        row(snils=valid_snils(900_000 + 210), citizenship="Атлантида"),
        # 7: the template's example left in
        row(snils="123-456-789 00"),
    ]


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    book.save(path)
    return path


def _run(path: Path, organization: Organization, *, pipeline: bool, **options: Any) -> ImportResult:
    return run_import(
        organization=organization, actor=SYSTEM, path=path, name=path.name, pipeline=pipeline, **options
    )


def _both(path: Path, organization: Organization, **options: Any) -> tuple[Any, Any]:
    """(result, data) of the sequential and of the worker path, each applied twice (or dry) and undone."""
    runs = []
    for pipeline in (False, True):
        with transaction.atomic():
            results = [_run(path, organization, pipeline=pipeline, **options)]
            if not options["dry_run"]:
                results.append(_run(path, organization, pipeline=pipeline, **options))
            runs.append((results, _state()))
            transaction.set_rollback(True)
    return runs[0], runs[1]


@pytest.fixture
def spies(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many workers were started and how many rows were written from prepared lines."""
    counts = {"workers": 0, "fresh": 0}

    class CountedChunks(CheckedChunks):
        def __init__(self, *args: Any) -> None:
            counts["workers"] += 1
            super().__init__(*args)

    class CountedFresh(engine.FreshWrite):
        __slots__ = ()

        def __init__(self, *args: Any) -> None:
            counts["fresh"] += 1
            super().__init__(*args)

    monkeypatch.setattr(engine, "CheckedChunks", CountedChunks)
    monkeypatch.setattr(engine, "FreshWrite", CountedFresh)
    return counts


@pytest.mark.parametrize("chunk_size", [3, 1000])
@pytest.mark.parametrize("dry_run", [True, False])
def test_worker_path_gives_the_sequential_results_and_data(
    tmp_path: Path,
    org_a: Organization,
    people: dict[str, Person],
    spies: dict[str, int],
    chunk_size: int,
    dry_run: bool,
) -> None:
    path = write_csv(tmp_path / "mixed.csv", mixed_rows(people))
    (sequential, data), (piped, piped_data) = _both(path, org_a, dry_run=dry_run, chunk_size=chunk_size)
    assert piped == sequential
    assert piped_data == data
    first = sequential[0]
    # Row 8 renames the person row 7 creates: unconfirmed, the application skips it.
    expected = {CREATE: 6, UPDATE: 4, UNCHANGED: 0, ERROR: 9, SKIPPED: 0}
    if not dry_run:
        expected = {**expected, UPDATE: 3, SKIPPED: 1}
    assert first.counts == expected, first.counts
    assert first.errors[-1]["message"].startswith("Это строка-образец из шаблона")
    assert not first.file_errors
    if not dry_run:
        assert sequential[1].counts[CREATE] == 0  # the second load finds the persons
        assert len(data["Person"]) == 2 + 6 and data["AuditEntry"]
    assert spies["workers"] == (2 if not dry_run else 1)
    # Only PostgreSQL's COPY takes prepared lines; a dry run writes nothing.
    writes_lines = connection.vendor == "postgresql" and not dry_run
    assert (spies["fresh"] > 0) == writes_lines


@pytest.mark.parametrize("kind", ["xlsx", "csv-1251"])
def test_worker_path_reads_xlsx_and_windows_1251_alike(
    tmp_path: Path, org_a: Organization, people: dict[str, Person], spies: dict[str, int], kind: str
) -> None:
    rows = mixed_rows(people)
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "mixed.xlsx", rows)
    else:
        path = write_csv(tmp_path / "mixed.csv", rows, encoding="cp1251", delimiter=",")
    (sequential, data), (piped, piped_data) = _both(path, org_a, dry_run=False, chunk_size=4)
    assert piped == sequential and piped_data == data
    assert sequential[0].counts[CREATE] == 6
    assert spies["workers"] == 2


def test_file_error_in_the_middle_stops_both_paths_at_the_same_row(
    tmp_path: Path, org_a: Organization
) -> None:
    good = [row(snils=valid_snils(300 + i), service_number=str(i)) for i in range(400)]
    path = write_csv(tmp_path / "broken.csv", good)
    data = path.read_bytes()
    cut = data.index(b"\r\n", len(data) * 3 // 4) + 2  # past the 64 KiB the encoding is guessed from
    path.write_bytes(data[:cut] + "Петров;".encode() + b"\xff\xfe;\r\n" + data[cut:])
    (sequential, data_seq), (piped, data_piped) = _both(path, org_a, dry_run=False, chunk_size=50)
    assert piped == sequential and data_piped == data_seq
    first = sequential[0]
    assert first.file_errors and "не читаются в кодировке utf-8" in first.file_errors[0]
    assert 0 < first.total < 400 and first.counts[CREATE] == first.total


def _fail_in_worker(monkeypatch: pytest.MonkeyPatch, failure: Any) -> None:
    parent = os.getpid()
    check_row = checks.check_row

    def failing(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            failure()
        return check_row(*args, **kwargs)

    monkeypatch.setattr(checks, "check_row", failing)


def _exit() -> None:
    os._exit(3)


def _raise() -> None:
    raise ValueError("сбой для проверки")


def _query() -> None:
    Person.objects.count()


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (_raise, "ValueError: сбой для проверки"),
        (_exit, "завершился, не дочитав файл (код 3)"),
        (_query, "не должен обращаться к базе данных"),
    ],
)
def test_a_failing_worker_fails_the_import_loudly(
    tmp_path: Path, org_a: Organization, monkeypatch: pytest.MonkeyPatch, failure: Any, message: str
) -> None:
    path = write_csv(tmp_path / "a.csv", [row(snils=valid_snils(400 + i)) for i in range(10)])
    _fail_in_worker(monkeypatch, failure)
    with pytest.raises(WorkerFailed, match=re.escape(message)):
        _run(path, org_a, pipeline=True, dry_run=False, chunk_size=4)
    assert not Person.objects.exists()  # the worker failed on the first chunk: nothing was written
    assert Person.objects.count() == 0  # this process's connection still works


def test_the_worker_is_used_for_large_files_only(
    tmp_path: Path, org_a: Organization, spies: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "a.csv", [row(snils=valid_snils(900_000 + 500))])
    run_import(organization=org_a, actor=SYSTEM, path=path, name="a.csv", dry_run=True)
    assert spies["workers"] == 0
    monkeypatch.setattr(engine, "PIPELINE_MIN_BYTES", path.stat().st_size)
    result = run_import(organization=org_a, actor=SYSTEM, path=path, name="a.csv", dry_run=True)
    assert spies["workers"] == 1 and result.counts[CREATE] == 1


def test_import_job_tasks_run_the_worker(
    tmp_path: Path,
    org_a: Organization,
    operator_a: User,
    people: dict[str, Person],
    spies: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check and the application run as tasks (here immediately); both fork the worker."""
    monkeypatch.setattr(engine, "PIPELINE_MIN_BYTES", 0)
    content = write_csv(tmp_path / "staff.csv", mixed_rows(people)).read_bytes()
    job = import_job_create(
        organization=org_a, actor=operator_a, upload=SimpleUploadedFile("staff.csv", content)
    )
    assert job.status == ImportStatus.CHECKED, job.failure
    assert job.check_result["counts"][CREATE] == 6 and job.check_result["error_count"] > 0
    # Every change of ФИО confirmed: the application does exactly what the check showed.
    keys = [r["identity_key"] for r in job.check_result["identity"]]
    assert len(keys) == job.check_result["identity_count"] == 2
    import_job_apply_request(job=job, actor=operator_a, identity_confirmed=keys)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.failure
    assert job.apply_result["counts"] == job.check_result["counts"]
    assert spies["workers"] == 2
    assert Person.objects.filter(snils=valid_snils(900_000 + 201), created_by_organization=org_a).exists()


def test_values_that_look_like_slots_are_stored_as_given(tmp_path: Path, org_a: Organization) -> None:
    # The prepared lines mark their slots with a private-use character and %-placeholders; a value
    # holding either must come out of both paths exactly as it was written in the file.
    place = "г. Тверь, 100% \ue000pk\ue000 %(oid)b"
    path = write_csv(tmp_path / "odd.csv", [row(snils=valid_snils(900_000 + 301), birth_place=place)])
    (sequential, data), (piped, piped_data) = _both(path, org_a, dry_run=False, chunk_size=1000)
    assert piped == sequential and piped_data == data
    assert sequential[0].counts[CREATE] == 1
    assert [p["birth_place"] for p in data["Person"]] == [place]


def identity_rows(people: dict[str, Person]) -> list[list[str]]:
    """Rows that change the ФИО or birth date of a person known before or created by the file."""
    mine = people["mine"]
    no_sections = {**NO_PASSPORT, **NO_DIPLOMA}  # only row 2 brings a passport and a diploma
    return [
        row(snils=mine.snils, last_name="Кузнецова", phone="+7 900 111-22-01"),  # renames and more
        row(snils=valid_snils(900_000 + 601)),
        row(snils=mine.snils, **{**BLANK_PERSON, "birth_date": "02.02.1991"}, **NO_CARD, **no_sections),
        row(
            snils=mine.snils, **BLANK_PERSON, **NO_CARD, **no_sections, phone="+7 900 111-22-02"
        ),  # no change of identity
        row(snils=valid_snils(900_000 + 601), first_name="Мария"),  # renames the person row 3 creates
        row(snils=mine.snils, **{**BLANK_PERSON, "patronymic": "Ивановна"}, **NO_CARD, **no_sections),
    ]


@pytest.mark.parametrize("chunk_size", [2, 1000])
@pytest.mark.parametrize("confirm", ["none", "some", "all"])
def test_changes_of_identity_are_applied_only_when_confirmed_on_both_paths(
    tmp_path: Path,
    org_a: Organization,
    people: dict[str, Person],
    spies: dict[str, int],
    chunk_size: int,
    confirm: str,
) -> None:
    mine = people["mine"]
    before = (mine.last_name, mine.first_name, mine.patronymic, mine.birth_date)
    path = write_csv(tmp_path / "identity.csv", identity_rows(people))
    (checked, _), (checked_piped, _) = _both(path, org_a, dry_run=True, chunk_size=chunk_size)
    assert checked_piped == checked
    check = checked[0]
    assert [r["row"] for r in check.identity] == [2, 4, 6, 7]
    first = check.identity[0]
    assert first["identity"] == [["фамилия", mine.last_name, "Кузнецова"]] + [
        [label, old, new]
        for label, old, new in (
            ["имя", mine.first_name, "Анна"],
            ["отчество", mine.patronymic, "Сергеевна"],
            ["дата рождения", f"{mine.birth_date:%d.%m.%Y}", "14.03.1985"],
        )
        if old and old != new
    ]
    keys = [r["identity_key"] for r in check.identity]
    confirmed = {"none": [], "some": keys[:1] + keys[2:3], "all": keys}[confirm]
    (applied, data), (applied_piped, data_piped) = _both(
        path, org_a, dry_run=False, chunk_size=chunk_size, identity_confirmed=frozenset(confirmed)
    )
    assert applied_piped == applied and data_piped == data
    result = applied[0]
    skipped = [r["row"] for r in result.identity if r["status"] == SKIPPED]
    if confirm == "none":
        assert skipped == [2, 4, 6, 7] and result.counts[SKIPPED] == 4
        assert result.counts[UPDATE] == 1  # row 5: only the phone
        person = next(p for p in data["Person"] if p["snils"] == mine.snils)
        assert (
            person["last_name"],
            person["first_name"],
            person["patronymic"],
            person["birth_date"],
        ) == before
        assert person["phone"] == "+79001112202"
        # Nothing of a skipped row is written: row 2's passport, diploma and card neither.
        assert len([c for c in data["EmploymentCard"] if c["person_id"] == mine.snils]) == 1
        assert not [d for d in data["IdentityDocument"] if d["person_id"] == mine.snils]
        assert not [d for d in data["ProfessionalEducation"] if d["person_id"] == mine.snils]
    elif confirm == "all":
        assert skipped == [] and result.counts[SKIPPED] == 0
        person = next(p for p in data["Person"] if p["snils"] == mine.snils)
        assert person["last_name"] == "Кузнецова" and person["patronymic"] == "Ивановна"
        assert person["birth_date"] == datetime.date(1991, 2, 2)
    else:
        # Rows 2 and 6 confirmed and applied; rows 4 and 7 not confirmed, skipped.
        assert skipped == [4, 7], skipped
        person = next(p for p in data["Person"] if p["snils"] == mine.snils)
        assert person["last_name"] == "Кузнецова" and person["birth_date"] == datetime.date(1985, 3, 14)
        assert person["patronymic"] == "Сергеевна"
        created = next(p for p in data["Person"] if p["snils"] == valid_snils(900_000 + 601))
        assert created["first_name"] == "Мария"
