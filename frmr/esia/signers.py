"""Signers of the client's requests to ЕСИА: the pluggable cryptographic boundary.

ЕСИА expects a raw GOST R 34.10-2012 (256-bit) signature in OpenSSL's layout (64 octets, s‖r)
and the hash of the certificate registered on its technology portal. A system connected after
the 2025 regulation change may be required to sign with a certified CIPF: such a signer is a
class with the two methods of `Signer`, named by its dotted path in ESIA_SIGNER.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

import gostkit
from frmr.esia.errors import EsiaError


@runtime_checkable
class Signer(Protocol):
    def sign(self, data: bytes) -> bytes:
        """64 octets, s‖r big-endian, as `openssl dgst -md_gost12_256 -sign` prints them."""
        ...

    def certificate_der(self) -> bytes:
        """DER of the certificate registered for the system in ЕСИА."""
        ...


def _read(path: str | Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(
            _("Не удалось прочитать %(what)s (%(path)s): %(strerror)s.")
            % {"what": what, "path": path, "strerror": exc.strerror}
        ) from exc


def _load_certificate(path: str | Path) -> gostkit.Certificate:
    try:
        return gostkit.load_certificate_pem(_read(path, _("сертификат")))
    except gostkit.InvalidCertificate as exc:
        raise ImproperlyConfigured(
            _("%(path)s: не сертификат ГОСТ Р 34.10-2012 (256 бит): %(exc)s") % {"path": path, "exc": exc}
        ) from exc


class GostcryptoSigner:
    """Pure-Python signer (gostkit over gostcrypto); the key is a PKCS#8 PEM file as OpenSSL writes it."""

    def __init__(self, *, key_path: str | Path, cert_path: str | Path) -> None:
        try:
            self._key = gostkit.load_private_key_pem(_read(key_path, _("ключ")))
        except gostkit.InvalidKey as exc:
            raise ImproperlyConfigured(
                _("%(key_path)s: не ключ ГОСТ Р 34.10-2012 (256 бит): %(exc)s")
                % {"key_path": key_path, "exc": exc}
            ) from exc
        self._certificate = _load_certificate(cert_path)
        # A key that does not match the registered certificate fails only at ЕСИА with ESIA-007053;
        # saying it at start-up saves an afternoon.
        if self._key.public_key() != self._certificate.public_key:
            raise ImproperlyConfigured(
                _("Ключ %(key_path)s не соответствует сертификату %(cert_path)s.")
                % {"key_path": key_path, "cert_path": cert_path}
            )

    def sign(self, data: bytes) -> bytes:
        return gostkit.sign_raw(self._key, data)

    def certificate_der(self) -> bytes:
        return self._certificate.der


class OpenSSLGostSigner:
    """Signs with the `openssl` binary and its GOST engine (Debian: libengine-gost-openssl)."""

    def __init__(
        self,
        *,
        key_path: str | Path,
        cert_path: str | Path,
        openssl: str = "openssl",
        timeout: float = 10.0,
    ) -> None:
        if not Path(key_path).is_file():
            raise ImproperlyConfigured(_("Файл ключа %(key_path)s не найден.") % {"key_path": key_path})
        self._key_path = str(key_path)
        self._certificate = _load_certificate(cert_path)
        self._openssl = openssl
        self._timeout = timeout

    def sign(self, data: bytes) -> bytes:
        argv = [self._openssl, "dgst", "-engine", "gost", "-md_gost12_256", "-sign", self._key_path]
        try:
            done = subprocess.run(argv, input=data, capture_output=True, timeout=self._timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EsiaError(_("Не удалось подписать запрос к Госуслугам: OpenSSL не ответил.")) from exc
        if done.returncode != 0 or len(done.stdout) != 64:
            stderr = done.stderr.decode("utf-8", "replace").strip()
            raise EsiaError(_("Не удалось подписать запрос к Госуслугам."), detail=stderr[-500:])
        return done.stdout

    def certificate_der(self) -> bytes:
        return self._certificate.der


SIGNERS: dict[str, type] = {"gostcrypto": GostcryptoSigner, "openssl": OpenSSLGostSigner}


def load_signer() -> Signer:
    """The signer named by ESIA_SIGNER, built with ESIA_KEY_PATH and ESIA_CERT_PATH."""
    name = settings.ESIA_SIGNER
    cls = SIGNERS.get(name)
    if cls is None:
        try:
            cls = import_string(name)
        except ImportError as exc:
            raise ImproperlyConfigured(
                _("ESIA_SIGNER=%(name)r: ожидается gostcrypto, openssl или путь к классу.") % {"name": name}
            ) from exc
    kwargs: dict[str, object] = {"key_path": settings.ESIA_KEY_PATH, "cert_path": settings.ESIA_CERT_PATH}
    if cls is OpenSSLGostSigner:
        kwargs.update(openssl=settings.ESIA_OPENSSL_BINARY, timeout=settings.ESIA_TIMEOUT_SECONDS)
    signer = cls(**kwargs)
    if not isinstance(signer, Signer):
        raise ImproperlyConfigured(
            _("ESIA_SIGNER=%(name)r: у класса нет методов sign и certificate_der.") % {"name": name}
        )
    return signer
