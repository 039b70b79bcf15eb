"""The two built-in signers against each other, gostkit and the `openssl` binary with the GOST engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import gostkit
from frmr.esia.errors import EsiaError
from frmr.esia.signers import GostcryptoSigner, OpenSSLGostSigner, Signer, load_signer
from tests.gost_openssl import (
    ENGINE_PARAMSETS,
    make_key_and_cert,
    needs_engine,
    verify_raw,
    verify_raw_with_key,
)

MESSAGE = b"FRMR01openid fullname2026.01.21 18:11:31 +03006f1c4e9a-1b2c-4d5e-8f90-a1b2c3d4e5f6"


@pytest.fixture(scope="module")
def key_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("esia-keys")
    key = gostkit.generate_private_key()
    cert = gostkit.make_self_signed_certificate(key, "ФРМР тест", days=30)
    key_path, cert_path, pub_path = folder / "client.key.pem", folder / "client.cert.pem", folder / "pub.pem"
    key_path.write_bytes(key.to_pem())
    cert_path.write_bytes(cert.to_pem())
    pub_path.write_bytes(key.public_key().to_pem())
    return key_path, cert_path, pub_path


def test_gostcrypto_signer_is_a_signer_and_verifies_with_gostkit(key_files) -> None:
    key_path, cert_path, _ = key_files
    signer = GostcryptoSigner(key_path=key_path, cert_path=cert_path)
    assert isinstance(signer, Signer)
    signature = signer.sign(MESSAGE)
    assert len(signature) == 64
    public = gostkit.load_certificate_pem(cert_path.read_bytes()).public_key
    assert gostkit.verify_raw(public, MESSAGE, signature)
    assert not gostkit.verify_raw(public, MESSAGE + b"x", signature)
    assert signer.certificate_der() == gostkit.load_certificate_pem(cert_path.read_bytes()).der


@needs_engine
def test_gostcrypto_signature_passes_openssl_verify(key_files, tmp_path) -> None:
    key_path, cert_path, pub_path = key_files
    signature = GostcryptoSigner(key_path=key_path, cert_path=cert_path).sign(MESSAGE)
    assert verify_raw_with_key(pub_path, MESSAGE, signature, tmp_path)
    assert not verify_raw_with_key(pub_path, MESSAGE[:-1], signature, tmp_path)


@needs_engine
def test_openssl_signature_passes_gostkit_and_openssl_verify(key_files, tmp_path) -> None:
    key_path, cert_path, pub_path = key_files
    signer = OpenSSLGostSigner(key_path=key_path, cert_path=cert_path)
    assert isinstance(signer, Signer)
    signature = signer.sign(MESSAGE)
    assert len(signature) == 64
    public = gostkit.load_certificate_pem(cert_path.read_bytes()).public_key
    assert gostkit.verify_raw(public, MESSAGE, signature)
    assert verify_raw_with_key(pub_path, MESSAGE, signature, tmp_path)


@needs_engine
def test_openssl_signer_reports_failure_as_esia_error(key_files, tmp_path) -> None:
    _, cert_path, _ = key_files
    broken = tmp_path / "broken.key.pem"
    broken.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    signer = OpenSSLGostSigner(key_path=broken, cert_path=cert_path)
    with pytest.raises(EsiaError, match="подписать"):
        signer.sign(MESSAGE)


def test_openssl_signer_without_binary_is_an_esia_error(key_files) -> None:
    key_path, cert_path, _ = key_files
    signer = OpenSSLGostSigner(key_path=key_path, cert_path=cert_path, openssl="/nonexistent/openssl")
    with pytest.raises(EsiaError):
        signer.sign(MESSAGE)


def test_key_that_does_not_match_the_certificate_is_refused_at_start(key_files, tmp_path) -> None:
    _, cert_path, _ = key_files
    other = tmp_path / "other.key.pem"
    other.write_bytes(gostkit.generate_private_key().to_pem())
    with pytest.raises(ImproperlyConfigured, match="не соответствует"):
        GostcryptoSigner(key_path=other, cert_path=cert_path)


def test_missing_key_file_is_a_configuration_error(tmp_path, key_files) -> None:
    with pytest.raises(ImproperlyConfigured, match="ключ"):
        GostcryptoSigner(key_path=tmp_path / "nope.pem", cert_path=key_files[1])


class _CustomSigner:
    def __init__(self, *, key_path: str, cert_path: str) -> None:
        self.cert = Path(cert_path).read_bytes()

    def sign(self, data: bytes) -> bytes:
        return b"\x00" * 64

    def certificate_der(self) -> bytes:
        return self.cert


def test_load_signer_by_name_and_by_dotted_path(key_files) -> None:
    key_path, cert_path, _ = key_files
    with override_settings(
        ESIA_SIGNER="gostcrypto", ESIA_KEY_PATH=str(key_path), ESIA_CERT_PATH=str(cert_path)
    ):
        assert isinstance(load_signer(), GostcryptoSigner)
    with override_settings(ESIA_SIGNER="openssl", ESIA_KEY_PATH=str(key_path), ESIA_CERT_PATH=str(cert_path)):
        assert isinstance(load_signer(), OpenSSLGostSigner)
    dotted = f"{__name__}._CustomSigner"
    with override_settings(ESIA_SIGNER=dotted, ESIA_KEY_PATH=str(key_path), ESIA_CERT_PATH=str(cert_path)):
        assert isinstance(load_signer(), _CustomSigner)
    with override_settings(ESIA_SIGNER="cryptopro"), pytest.raises(ImproperlyConfigured, match="ESIA_SIGNER"):
        load_signer()


@needs_engine
@pytest.mark.parametrize("paramset", list(ENGINE_PARAMSETS))
def test_both_signers_work_with_a_key_on_any_curve(paramset: str, tmp_path: Path) -> None:
    """A system's key made by OpenSSL on whichever curve its certificate names (issue 10, part 2.4)."""
    key_path, cert_path = make_key_and_cert(tmp_path, paramset)
    public = gostkit.load_certificate_pem(cert_path.read_bytes()).public_key
    for signer in (
        GostcryptoSigner(key_path=key_path, cert_path=cert_path),
        OpenSSLGostSigner(key_path=key_path, cert_path=cert_path),
    ):
        signature = signer.sign(MESSAGE)
        assert gostkit.verify_raw(public, MESSAGE, signature)
        assert verify_raw(cert_path, MESSAGE, signature, tmp_path)


@needs_engine
def test_a_key_on_an_unusable_curve_is_refused_at_start_with_its_name(tmp_path: Path) -> None:
    key_path, cert_path = make_key_and_cert(tmp_path, "A", algorithm="gost2012_512")
    with pytest.raises(ImproperlyConfigured, match="512 бит"):
        GostcryptoSigner(key_path=key_path, cert_path=cert_path)
