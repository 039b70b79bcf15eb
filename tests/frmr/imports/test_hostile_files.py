"""Hostile import files: decompression bombs, NUL bytes, endless cells — each ends the job with a message.

The bombs are built at test time (tests/hostile/) at the upload limit (50 MB). Each is refused
within 2 s, costing the reading process at most 100 MB (measured in a fresh process by
tests/hostile_measure.py); whatever reading remains runs in a bounded child (frmr/core/bounded.py).
"""

from __future__ import annotations

import io
import json
import logging
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from frmr.accounts.models import User
from frmr.imports import readers, services
from frmr.imports.engine import CREATE, ERROR
from frmr.imports.models import ImportJob, ImportStatus
from frmr.imports.readers import MESSAGE_TOO_HEAVY, MESSAGE_ZIP_BOMB, inspect_file
from frmr.imports.services import import_job_create
from frmr.registry.models import Organization, Person
from tests import hostile
from tests.factories import valid_snils
from tests.frmr.imports.test_engine import row, write_csv

pytestmark = pytest.mark.usefixtures("dictionaries")

LIMIT = 50 * 1024 * 1024
SECONDS = 2.0
GROWTH = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    directory = tmp_path_factory.mktemp("hostile-import")
    files = hostile.write_bombs(directory, hostile.XLSX_BOMBS, suffix=".xlsx", size=LIMIT)
    good = directory / "good.csv"
    write_csv(good, [row()])
    files["good"] = good
    yield files


def _job(organization: Organization, actor: User, name: str, content: bytes) -> ImportJob:
    return import_job_create(organization=organization, actor=actor, upload=SimpleUploadedFile(name, content))


def test_the_corpus_is_at_the_upload_limit(corpus: dict[str, Path]) -> None:
    for name in hostile.XLSX_BOMBS:
        assert LIMIT - 2 * 1024 * 1024 < corpus[name].stat().st_size <= LIMIT


@pytest.mark.parametrize("name", list(hostile.XLSX_BOMBS))
def test_each_xlsx_bomb_is_refused_before_unpacking(corpus: dict[str, Path], name: str) -> None:
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        inspect_file(corpus[name], name=f"{name}.xlsx")
    assert caught.value.code == "zip_bomb"
    assert caught.value.messages == [MESSAGE_ZIP_BOMB]
    assert time.monotonic() - started < SECONDS


def test_the_reading_process_stays_within_2_s_and_100_mb_per_file(corpus: dict[str, Path]) -> None:
    names = list(hostile.XLSX_BOMBS)
    measured = hostile.measure("import", corpus["good"], [corpus[name] for name in names])
    assert [Path(line["file"]).stem for line in measured] == names
    for line in measured:
        assert line["outcome"] == "zip_bomb", line
        assert line["seconds"] < SECONDS, line
        assert line["growth"] < GROWTH, line


def test_an_uploaded_bomb_ends_its_job_with_the_message(
    corpus: dict[str, Path], org_a: Organization, operator_a: User
) -> None:
    job = _job(org_a, operator_a, "сотрудники.xlsx", hostile.xlsx_shared_strings_bomb(1024 * 1024))
    assert job.status == ImportStatus.FAILED
    assert job.failure == MESSAGE_ZIP_BOMB
    assert not Person.objects.exists()


def _distinct_shared_strings(count: int) -> bytes:
    """An honest-looking XLSX (packs ~10:1) whose shared strings are `count` different texts."""
    strings = b"".join(b"<si><t>%d</t></si>" % number for number in range(count))
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        parts = hostile.base_parts(hostile.SHEET_HEAD + hostile.HEADER_ROW + hostile.SHEET_TAIL)
        parts["xl/sharedStrings.xml"] = (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
        )
        for name, data in parts.items():
            book.writestr(name, data, compresslevel=1)
    return out.getvalue()


def test_a_file_needing_more_memory_than_the_ceiling_ends_its_job_with_the_message(
    org_a: Organization, operator_a: User, settings: Any
) -> None:
    """Within the archive's limits, but its reading outgrows the child's ceiling (set low here)."""
    settings.FILE_CHECK_MEMORY_BYTES = 64 * 1024 * 1024
    content = _distinct_shared_strings(1_500_000)
    assert len(content) < 10 * 1024 * 1024 and zlib.compress(content)  # a modest upload
    job = _job(org_a, operator_a, "сотрудники.xlsx", content)
    assert job.status == ImportStatus.FAILED
    assert job.failure == MESSAGE_TOO_HEAVY


def test_a_reading_running_out_of_time_ends_its_job_with_the_message(
    tmp_path: Path, org_a: Organization, operator_a: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.IMPORT_CHECK_SECONDS = 1

    def endless(path: Path, *, name: str = "") -> int:
        while True:
            time.sleep(0.1)

    monkeypatch.setattr(readers, "count_rows", endless)
    started = time.monotonic()
    job = _job(org_a, operator_a, "a.csv", write_csv(tmp_path / "a.csv", [row()]).read_bytes())
    assert job.status == ImportStatus.FAILED and job.failure == MESSAGE_TOO_HEAVY
    assert time.monotonic() - started < 10


def test_a_nul_byte_refuses_its_row_and_the_job_finishes(
    tmp_path: Path, org_a: Organization, operator_a: User
) -> None:
    good = row(snils=valid_snils(601))
    bad = row(snils=valid_snils(602), last_name="Иван\x00ов")
    job = _job(org_a, operator_a, "a.csv", write_csv(tmp_path / "a.csv", [good, bad]).read_bytes())
    assert job.status == ImportStatus.CHECKED, job.failure
    assert job.check_result["counts"][CREATE] == 1 and job.check_result["counts"][ERROR] == 1
    [error] = job.check_result["errors"]
    assert error["row"] == 3 and error["column"] == "Фамилия"
    assert error["value"] == "Иван\ufffdов" and "U+0000, 5-й символ" in error["message"]
    assert "\x00" not in json.dumps(job.check_result, ensure_ascii=False)


def test_a_nul_byte_never_reaches_the_register(tmp_path: Path, org_a: Organization, operator_a: User) -> None:
    path = write_csv(tmp_path / "a.csv", [row(snils=valid_snils(603), birth_place="г.\x00Москва")])
    job = _job(org_a, operator_a, "a.csv", path.read_bytes())
    services.import_job_apply_request(job=job, actor=operator_a)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.failure
    assert job.apply_result["counts"][ERROR] == 1
    assert not Person.objects.filter(snils=valid_snils(603)).exists()


def test_a_cell_beyond_the_csv_field_limit_ends_the_job_with_a_russian_message(
    tmp_path: Path, org_a: Organization, operator_a: User
) -> None:
    path = write_csv(tmp_path / "a.csv", [row(snils=valid_snils(604)), row(birth_place="ж" * 131_073)])
    job = _job(org_a, operator_a, "a.csv", path.read_bytes())
    assert job.status == ImportStatus.FAILED
    assert job.failure.startswith("Строка 3: в ячейке больше 131 072 знаков.")
    assert "кавычка" in job.failure


def test_a_long_cell_within_the_limit_is_a_row_error_shown_short(
    tmp_path: Path, org_a: Organization, operator_a: User
) -> None:
    path = write_csv(tmp_path / "a.csv", [row(snils=valid_snils(605), birth_place="ж" * 100_000)])
    job = _job(org_a, operator_a, "a.csv", path.read_bytes())
    assert job.status == ImportStatus.CHECKED, job.failure
    [error] = job.check_result["errors"]
    assert error["column"] == "Место рождения" and len(error["value"]) == 200


def test_a_header_line_without_end_is_refused(tmp_path: Path, org_a: Organization, operator_a: User) -> None:
    job = _job(org_a, operator_a, "a.csv", b"x" * (200 * 1024))
    assert job.status == ImportStatus.FAILED
    assert job.failure.startswith("Первая строка файла длиннее 65 536 знаков")


def test_a_damaged_xlsx_ends_its_job_with_the_message(org_a: Organization, operator_a: User) -> None:
    job = _job(org_a, operator_a, "a.xlsx", b"PK\x03\x04" + b"\x00" * 1000)
    assert job.status == ImportStatus.FAILED
    assert job.failure == readers.MESSAGE_NOT_XLSX


def test_an_unexpected_error_fails_the_job_loudly_with_a_russian_message(
    tmp_path: Path,
    org_a: Organization,
    operator_a: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise KeyError("сбой для проверки")

    monkeypatch.setattr(services, "run_import", broken)
    with caplog.at_level(logging.ERROR, logger="frmr.imports.services"):
        job = _job(org_a, operator_a, "a.csv", write_csv(tmp_path / "a.csv", [row()]).read_bytes())
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.failure == "Загрузка прервана из-за внутренней ошибки (KeyError)."
    assert any("failed" in record.getMessage() for record in caplog.records)
