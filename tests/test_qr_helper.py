"""The pure-Python QR reader of tests/qr.py reads back what the `qrcode` package writes."""

from __future__ import annotations

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.qr import decode_image

LEVELS = [
    qrcode.constants.ERROR_CORRECT_L,
    qrcode.constants.ERROR_CORRECT_M,
    qrcode.constants.ERROR_CORRECT_Q,
    qrcode.constants.ERROR_CORRECT_H,
]


def make(text: str, level: int, mask: int | None = None, box: int = 8) -> object:
    code = qrcode.QRCode(error_correction=level, border=2, box_size=box, mask_pattern=mask)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image().get_image()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("mask", range(8))
def test_every_level_and_mask(level: int, mask: int) -> None:
    url = "http://127.0.0.1:8000/check/2026-0000001"
    assert decode_image(make(url, level, mask)) == url


@pytest.mark.parametrize(
    "text",
    [
        "https://frmr.example/check/2026-0000123",
        "12345678901234567890123456",  # numeric mode
        "HTTP://FRMR.EXAMPLE/CHECK/2026-0000123",  # alphanumeric mode
        "Выписка об аккредитации № 2026-0000001",  # UTF-8 bytes
        "https://frmr.example/check/" + "x" * 400,  # a large version with version information
    ],
)
def test_modes_and_sizes(text: str) -> None:
    assert decode_image(make(text, qrcode.constants.ERROR_CORRECT_M, box=4)) == text


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=120))
def test_any_text(text: str) -> None:
    assert decode_image(make(text, qrcode.constants.ERROR_CORRECT_M, box=3)) == text
