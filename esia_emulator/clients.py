"""Registering an information system (a client) with the emulator: one rule for `clients.json` and for
the `register_client` command, so that a certificate the emulator cannot verify is refused up front
with the reason, never at the first login."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

import gostkit
from esia_emulator.models import LEVEL_ORDER, Client

_MNEMONIC = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def check_certificate_pem(text: str, *, source: str) -> gostkit.Certificate:
    try:
        return gostkit.load_certificate_pem(text.encode("ascii"))
    except (gostkit.InvalidCertificate, UnicodeEncodeError) as exc:
        raise ValidationError(f"{source}: сертификат не может быть зарегистрирован: {exc}") from exc


def check_redirect_prefix(prefix: str) -> str:
    parts = urlsplit(prefix.replace(":*/", ":1/", 1))
    if parts.scheme not in ("http", "https") or not parts.hostname or not parts.path.startswith("/"):
        raise ValidationError(
            f"адрес возврата {prefix!r} должен быть адресом http(s) с путём, например https://is.example/callback/"
        )
    return prefix


def register_client(
    *,
    client_id: str,
    name: str,
    certificates: dict[str, str],
    redirect_uri_prefixes: list[str],
    scopes: list[str],
    min_level: str,
) -> tuple[Client, bool]:
    """`certificates`: where each PEM came from (for messages) → its text. Returns (client, created)."""
    if not _MNEMONIC.match(client_id):
        raise ValidationError(f"мнемоника {client_id!r}: только латинские буквы, цифры, «_», «-» и «.»")
    if not certificates:
        raise ValidationError(f"{client_id}: нужен хотя бы один сертификат")
    if not redirect_uri_prefixes:
        raise ValidationError(f"{client_id}: нужен хотя бы один адрес возврата")
    if min_level not in LEVEL_ORDER:
        raise ValidationError(f"{client_id}: уровень учётной записи — один из {', '.join(LEVEL_ORDER)}")
    if "openid" not in scopes:
        raise ValidationError(f"{client_id}: среди областей доступа должна быть openid")
    pems = []
    for source, text in certificates.items():
        check_certificate_pem(text, source=source)
        pems.append(text)
    prefixes = [check_redirect_prefix(prefix) for prefix in redirect_uri_prefixes]
    return Client.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": name or client_id,
            "certificates_pem": pems,
            "redirect_uri_prefixes": prefixes,
            "scopes": list(dict.fromkeys(scopes)),
            "min_level": min_level,
        },
    )
