"""Where a webhook may be sent: never to the register's own network (SSRF).

An address is checked when the endpoint is saved and again at every delivery: the host is resolved,
*every* address it resolves to must be public, and the request goes to the address that was checked
(the TLS handshake still names the host), so a DNS answer that changes between the check and the
connection (DNS rebinding) cannot point a delivery at 127.0.0.1 or 10.0.0.0/8.

`FRMR_WEBHOOKS_ALLOW_PRIVATE` (development and tests only; refused in production by config/env.py's
checks) lets private addresses and plain http through, so a receiver on 127.0.0.1 can be used.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP the request goes to


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def webhook_target(url: str) -> Target:
    """The checked target of `url`, or ValidationError with a message for the operator."""
    allow_private = settings.FRMR_WEBHOOKS_ALLOW_PRIVATE
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError(_("Адрес вебхука должен начинаться с https://."))
    if not parts.hostname or parts.username or parts.password:
        raise ValidationError(_("Укажите адрес вида https://mis.example.ru/frmr/webhook без имени и пароля."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("В адресе вебхука неверный порт.")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            _("Не удалось найти адрес узла «%(host)s» в DNS.") % {"host": parts.hostname}
        ) from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise ValidationError(_("Не удалось найти адрес узла «%(host)s» в DNS.") % {"host": parts.hostname})
    if not allow_private:
        internal = [a for a in addresses if not _is_public(a)]
        if internal:
            raise ValidationError(
                _(
                    "Адрес узла «%(host)s» ведёт во внутреннюю сеть (%(addresses)s): "
                    "вебхуки отправляются только на адреса в интернете."
                )
                % {"host": parts.hostname, "addresses": ", ".join(internal)}
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address, with the certificate checked against the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST `body` to the checked address; the response's status code (the body is not read past 64 KB)."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = http.client.HTTPConnection(target.address, target.port, timeout=timeout)
    try:
        host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
        connection.request("POST", target.path, body=body, headers={"Host": host, **headers})
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()
