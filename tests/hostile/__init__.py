"""Hostile upload files (decompression bombs and the like), built on the fly for the tests.

Nothing here is committed as a binary: every file is produced from a few kilobytes of code in well
under a second, whatever size it claims to unpack to. The deflate data is made of one compressed
block of zeros repeated many times (after a full flush a block does not refer to earlier data), so
a 25 MB file that inflates to 25 GB costs no more to build than to write.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests.hostile.deflate import crc32_combine, crc32_repeated, zlib_bomb
from tests.hostile.pdf import (
    PDF_BOMBS,
    pdf_content_stream_bomb,
    pdf_deep_nesting,
    pdf_huge_xref_table,
    pdf_object_stream_bomb,
    pdf_page_tree_bomb,
    pdf_xref_stream_bomb,
)
from tests.hostile.xlsx import (
    HEADER_ROW,
    SHEET_HEAD,
    SHEET_TAIL,
    XLSX_BOMBS,
    base_parts,
    xlsx_many_members,
    xlsx_shared_strings_bomb,
    xlsx_sheet_bomb,
)

__all__ = [
    "HEADER_ROW",
    "PDF_BOMBS",
    "SHEET_HEAD",
    "SHEET_TAIL",
    "XLSX_BOMBS",
    "base_parts",
    "crc32_combine",
    "crc32_repeated",
    "measure",
    "pdf_content_stream_bomb",
    "pdf_deep_nesting",
    "pdf_huge_xref_table",
    "pdf_object_stream_bomb",
    "pdf_page_tree_bomb",
    "pdf_xref_stream_bomb",
    "write_bombs",
    "write_corpus",
    "xlsx_many_members",
    "xlsx_shared_strings_bomb",
    "xlsx_sheet_bomb",
    "zlib_bomb",
]

PDF_LIMIT = 25 * 1024 * 1024
IMPORT_LIMIT = 50 * 1024 * 1024


def write_bombs(
    directory: Path, bombs: Mapping[str, Callable[[int], bytes]], *, suffix: str, size: int
) -> dict[str, Path]:
    """Write each bomb of `bombs` at `size` bytes as `directory/<name><suffix>`."""
    written = {}
    for name, build in bombs.items():
        path = directory / f"{name}{suffix}"
        path.write_bytes(build(size))
        written[name] = path
    return written


def write_corpus(
    directory: Path, *, pdf_size: int = PDF_LIMIT, import_size: int = IMPORT_LIMIT
) -> list[Path]:
    """Write every hostile file at the given sizes into `directory` (for a benchmark or by hand)."""
    directory.mkdir(parents=True, exist_ok=True)
    pdfs = write_bombs(directory, PDF_BOMBS, suffix=".pdf", size=pdf_size)
    imports = write_bombs(directory, XLSX_BOMBS, suffix=".xlsx", size=import_size)
    return [*pdfs.values(), *imports.values()]


def measure(kind: str, good: Path, files: list[Path]) -> list[dict[str, Any]]:
    """What checking each of `files` cost a fresh process (tests/hostile_measure.py), `good` going
    first as the baseline; one JSON line per file, the baseline's left out."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.hostile_measure", kind, str(good)] + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")][1:]
