"""Hostile PDFs (decompression bombs, oversized structures) are refused quickly and cheaply.

The files are built at test time by tests/hostile/ at the upload limit (25 MB). Each must be
refused within 2 s, costing the checking process at most 100 MB (measured in a fresh process, see
tests/hostile_measure.py); the heavy lifting happens in a bounded child (frmr/core/bounded.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from frmr.documents import pdf as pdf_module
from frmr.documents.pdf import MESSAGE_TOO_COMPLEX, validate_pdf
from tests import hostile, pdfs

LIMIT = 25 * 1024 * 1024
EXPECTED = {
    "object-stream": "too_complex",
    "content-stream": "too_complex",
    "xref-stream": "too_complex",
    "huge-xref-table": "too_complex",
    "page-tree": "too_complex",
    "deep-nesting": "damaged",  # qpdf's own nesting limit: the catalog does not parse
}
SECONDS = 2.0
GROWTH = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    directory = tmp_path_factory.mktemp("hostile-pdf")
    files = hostile.write_bombs(directory, hostile.PDF_BOMBS, suffix=".pdf", size=LIMIT - 4096)
    good = directory / "good.pdf"
    good.write_bytes(pdfs.pdf_bytes(pages=3))
    files["good"] = good
    yield files


def test_the_corpus_is_at_the_upload_limit(corpus: dict[str, Path]) -> None:
    for name in hostile.PDF_BOMBS:
        assert LIMIT - 1024 * 1024 < corpus[name].stat().st_size <= LIMIT


@pytest.mark.parametrize("name", list(hostile.PDF_BOMBS))
def test_each_hostile_pdf_is_refused_with_a_russian_message(
    corpus: dict[str, Path], name: str, settings: Any
) -> None:
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught, corpus[name].open("rb") as file:
        validate_pdf(file)
    assert caught.value.code == EXPECTED[name]
    assert time.monotonic() - started < SECONDS


def test_the_checking_process_stays_within_2_s_and_100_mb_per_file(corpus: dict[str, Path]) -> None:
    names = list(hostile.PDF_BOMBS)
    measured = hostile.measure("pdf", corpus["good"], [corpus[name] for name in names])
    assert [Path(line["file"]).stem for line in measured] == names
    for line in measured:
        assert line["outcome"] == EXPECTED[Path(line["file"]).stem], line
        assert line["seconds"] < SECONDS, line
        assert line["growth"] < GROWTH, line


def test_a_bomb_in_memory_is_refused_too() -> None:
    data = hostile.pdf_object_stream_bomb(2 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        validate_pdf(SimpleUploadedFile("скан.pdf", data))
    assert caught.value.messages == [MESSAGE_TOO_COMPLEX]


def test_a_check_running_out_of_time_is_refused_and_stopped(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DOCUMENT_CHECK_SECONDS = 1

    def endless(source: Any) -> int:
        while True:
            time.sleep(0.1)

    monkeypatch.setattr(pdf_module, "_open_and_count", endless)
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        validate_pdf(SimpleUploadedFile("скан.pdf", pdfs.pdf_bytes()))
    assert caught.value.code == "too_complex"
    assert time.monotonic() - started < 5


def test_a_check_running_out_of_memory_is_refused(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.FILE_CHECK_MEMORY_BYTES = 64 * 1024 * 1024

    def greedy(source: Any) -> int:
        return len(bytearray(512 * 1024 * 1024))

    monkeypatch.setattr(pdf_module, "_open_and_count", greedy)
    with pytest.raises(ValidationError) as caught:
        validate_pdf(SimpleUploadedFile("скан.pdf", pdfs.pdf_bytes()))
    assert caught.value.code == "too_complex"


def test_an_open_file_keeps_its_position_for_the_caller(tmp_path: Path) -> None:
    """The child reads the file without moving the offset it shares with the parent."""
    path = tmp_path / "a.pdf"
    data = pdfs.big_pdf_bytes(3 * 1024 * 1024)
    path.write_bytes(data)
    with path.open("rb") as file:
        assert validate_pdf(file).pages == 1
        assert file.read() == data
