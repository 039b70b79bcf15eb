"""Names of stored documents: a generated storage name, and the user's name kept only for display."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date

DISPLAY_NAME_MAX = 120
FALLBACK_NAME = "документ.pdf"  # i18n: stored file name
_SPACES = re.compile(r"\s+")


DOCUMENTS_PREFIX = "documents"


def new_storage_name(*, today: date | None = None, prefix: str = DOCUMENTS_PREFIX) -> str:
    """A fresh name under a per-month folder: nothing of the user's input reaches the storage path."""
    day = today or date.today()
    return f"{prefix}/{day:%Y}/{day:%m}/{uuid.uuid4().hex}.pdf"


def sanitize_display_name(name: str | None, *, max_length: int = DISPLAY_NAME_MAX) -> str:
    """The original file name made safe to show and to put into Content-Disposition.

    Drops any directory part (both separators), control, format (bidi overrides, zero-width) and
    unassigned characters; NFC-normalizes; collapses spaces; caps the length keeping «.pdf».
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    text = _SPACES.sub(" ", text).strip(" .")
    stem = text[:-4] if text.lower().endswith(".pdf") else text
    stem = stem.rstrip(" .")
    if not stem:
        return FALLBACK_NAME
    budget = max_length - len(".pdf")
    if len(stem) > budget:
        stem = stem[: budget - 1].rstrip(" .") + "…"
    return f"{stem}.pdf"
