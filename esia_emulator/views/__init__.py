"""Browser-facing pages of the emulator and its OAuth endpoints (urls.py names them from here)."""

from __future__ import annotations

from esia_emulator.views.login import login, login_signature
from esia_emulator.views.oauth import (
    authorize,
    certificate,
    deny,
    index,
    legacy_authorize,
    legacy_token,
    logout,
    token,
)
from esia_emulator.views.qr import login_qr, qr_complete, qr_confirm, qr_image, qr_status

__all__ = [
    "authorize",
    "certificate",
    "deny",
    "index",
    "legacy_authorize",
    "legacy_token",
    "login",
    "login_qr",
    "login_signature",
    "logout",
    "qr_complete",
    "qr_confirm",
    "qr_image",
    "qr_status",
    "token",
]
