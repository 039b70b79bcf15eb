"""`python -m esia_emulator manage register_client --mnemonic MYIS01 --cert my.cert.pem --redirect-uri …`

Registers (or updates) a third-party information system in the emulator's database, as the
technology portal registers a system with the real ЕСИА. See docs/esia.md.
"""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from esia_emulator.clients import register_client
from esia_emulator.keystore import parse_certificate
from esia_emulator.models import LEVEL_SIMPLIFIED

DEFAULT_SCOPES = "openid fullname birthdate gender snils email mobile"


class Command(BaseCommand):
    help = "Регистрирует информационную систему (клиента) в эмуляторе ЕСИА или обновляет её данные."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mnemonic", required=True, help="мнемоника системы (client_id)")
        parser.add_argument(
            "--cert", action="append", required=True, help="сертификат системы, PEM или DER; можно повторять"
        )
        parser.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            help="разрешённый адрес возврата (префикс; «:*/» — любой порт); можно повторять",
        )
        parser.add_argument("--name", default="", help="название системы, показывается на странице входа")
        parser.add_argument(
            "--scope", default=DEFAULT_SCOPES, help="разрешённые области доступа через пробел"
        )
        parser.add_argument(
            "--min-level", default=LEVEL_SIMPLIFIED, help="simplified, standard или confirmed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        certificates = {}
        for name in options["cert"]:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{name}: файл не читается: {exc.strerror}") from exc
            certificates[name] = _as_pem(data)
        try:
            client, created = register_client(
                client_id=options["mnemonic"],
                name=options["name"],
                certificates=certificates,
                redirect_uri_prefixes=options["redirect_uri"],
                scopes=options["scope"].split(),
                min_level=options["min_level"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        verb = "зарегистрирована" if created else "обновлена"
        self.stdout.write(f"Система {client.client_id} {verb}. Хэш сертификата (client_certificate_hash):")
        for text in client.certificates_pem:
            cert = parse_certificate(text)
            self.stdout.write(f"  {cert.hash}  ({cert.public_key.curve_name})")


def _as_pem(data: bytes) -> str:
    """DER certificates (as the technology portal also accepts) are stored as PEM like the rest."""
    if b"-----BEGIN" in data:
        return data.decode("ascii", errors="replace")
    body = "\n".join(textwrap.wrap(base64.b64encode(data).decode("ascii"), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
