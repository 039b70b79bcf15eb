from __future__ import annotations

import re
from datetime import date

import pytest

from frmr.documents.names import FALLBACK_NAME, new_storage_name, sanitize_display_name


def test_storage_names_are_generated_per_month() -> None:
    name = new_storage_name(today=date(2026, 3, 9))
    assert re.fullmatch(r"documents/2026/03/[0-9a-f]{32}\.pdf", name)
    assert name != new_storage_name(today=date(2026, 3, 9))


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Иван\\Паспорт.pdf", "Паспорт.pdf"),
        ("pass\x00port.pdf", "passport.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("диплом\u200b\u200d.pdf", "диплом.pdf"),
        ("Паспорт 😀.pdf", "Паспорт 😀.pdf"),
        ("  снилс  \t скан .PDF", "снилс скан.pdf"),
        ("..", FALLBACK_NAME),
        ("", FALLBACK_NAME),
        (None, FALLBACK_NAME),
        ("\u202e", FALLBACK_NAME),
        ("e\u0301.pdf", "é.pdf"),
        ("трудовая", "трудовая.pdf"),
    ],
)
def test_display_names_are_sanitized(original: str | None, shown: str) -> None:
    assert sanitize_display_name(original) == shown


def test_long_names_are_capped_keeping_the_extension() -> None:
    shown = sanitize_display_name("я" * 500 + ".pdf")
    assert len(shown) == 120
    assert shown.endswith("….pdf")
