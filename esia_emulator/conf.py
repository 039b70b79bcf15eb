"""Typed access to the emulator's own settings.

Type checking runs with the register's settings module, which does not define these names, so they are
read through getattr here, once, with their types spelled out.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def _int(name: str) -> int:
    return int(getattr(settings, name))


def _str(name: str) -> str:
    return str(getattr(settings, name))


class _Conf:
    @property
    def DATA_DIR(self) -> Path:
        return Path(getattr(settings, "DATA_DIR"))  # noqa: B009

    @property
    def ISSUER(self) -> str:
        return _str("ESIA_EMULATOR_ISSUER")

    @property
    def PUBLIC_URL(self) -> str:
        return _str("ESIA_EMULATOR_PUBLIC_URL")

    @property
    def REGISTER_ORIGIN(self) -> str:
        return _str("ESIA_EMULATOR_REGISTER_ORIGIN")

    @property
    def CSP_FORM_ACTION(self) -> list[str]:
        return list(getattr(settings, "ESIA_EMULATOR_CSP_FORM_ACTION"))  # noqa: B009

    def __getattr__(self, name: str) -> int:
        # Every other knob is a number of seconds or a count: ESIA_EMULATOR_<NAME>.
        return _int(f"ESIA_EMULATOR_{name}")


conf = _Conf()
