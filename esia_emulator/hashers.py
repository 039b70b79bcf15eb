from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class DemoPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds: the emulator stores only published demo passwords."""

    algorithm = "pbkdf2_sha256_demo"
    iterations = 20_000
