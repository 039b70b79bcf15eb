"""Every 256-bit GOST curve a client certificate may name, and the detached CMS of the legacy protocol,
checked against keys, certificates and signatures made by OpenSSL's GOST engine."""

from __future__ import annotations

from pathlib import Path

import pytest

import gostkit
from tests.gost_openssl import (
    ENGINE_PARAMSETS,
    make_key_and_cert,
    needs_engine,
    sign_cms,
    sign_raw,
    verify_raw,
)

pytestmark = needs_engine
MESSAGE = b"FRMR01openid fullname2026.01.21 18:11:31 +03006f1c4e9a-1b2c-4d5e-8f90-a1b2c3d4e5f6"


@pytest.mark.parametrize("paramset", list(ENGINE_PARAMSETS))
def test_each_curve_interoperates_with_openssl(paramset: str, tmp_path: Path) -> None:
    key_path, cert_path = make_key_and_cert(tmp_path, paramset)
    cert = gostkit.load_certificate_pem(cert_path.read_bytes())
    assert cert.public_key.curve_name.startswith(ENGINE_PARAMSETS[paramset] + " (")
    # OpenSSL signs, we verify with the curve the certificate names.
    theirs = sign_raw(key_path, MESSAGE, tmp_path)
    assert gostkit.verify_raw(cert.public_key, MESSAGE, theirs)
    assert not gostkit.verify_raw(cert.public_key, MESSAGE + b"!", theirs)
    # We read OpenSSL's key, sign, and OpenSSL verifies.
    key = gostkit.load_private_key_pem(key_path.read_bytes())
    assert key.public_key() == cert.public_key
    assert verify_raw(cert_path, MESSAGE, gostkit.sign_raw(key, MESSAGE), tmp_path)
    assert key.to_pem() == key_path.read_bytes(), "our PKCS#8 is byte for byte OpenSSL's"


def test_the_curve_matters(tmp_path: Path) -> None:
    """Same coordinates read on another curve must not verify: the curve is really used."""
    key_path, cert_path = make_key_and_cert(tmp_path, "B")
    cert = gostkit.load_certificate_pem(cert_path.read_bytes())
    theirs = sign_raw(key_path, MESSAGE, tmp_path)
    on_a = gostkit.PublicKey(cert.public_key.x, cert.public_key.y, "1.2.643.2.2.35.1")
    assert not gostkit.verify_raw(on_a, MESSAGE, theirs)


def test_a_512_bit_certificate_is_refused_with_a_clear_reason(tmp_path: Path) -> None:
    _key, cert_path = make_key_and_cert(tmp_path, "A", algorithm="gost2012_512")
    with pytest.raises(gostkit.InvalidCertificate, match="512 бит"):
        gostkit.load_certificate_pem(cert_path.read_bytes())


def test_an_unknown_curve_is_named_in_the_refusal() -> None:
    with pytest.raises(gostkit.UnsupportedCurve, match=r"CryptoPro-Test \(1\.2\.643\.2\.2\.35\.0\)"):
        gostkit.generate_private_key("1.2.643.2.2.35.0")
    with pytest.raises(gostkit.UnsupportedCurve, match=r"1\.2\.3\.4"):
        gostkit.PublicKey(1, 2, "1.2.3.4")


@pytest.mark.parametrize("signed_attributes", [False, True], ids=["noattr", "signed-attributes"])
@pytest.mark.parametrize("paramset", ["A", "XB", "TCA"])
def test_detached_cms_from_openssl_verifies(paramset: str, signed_attributes: bool, tmp_path: Path) -> None:
    key_path, cert_path = make_key_and_cert(tmp_path, paramset)
    der = sign_cms(key_path, cert_path, MESSAGE, tmp_path, signed_attributes=signed_attributes)
    signer = gostkit.verify_detached_cms(der, MESSAGE)
    assert signer.der == gostkit.load_certificate_pem(cert_path.read_bytes()).der
    with pytest.raises(gostkit.InvalidSignature):
        gostkit.verify_detached_cms(der, MESSAGE[:-1] + b"7")


def test_broken_cms_is_malformed_not_a_crash() -> None:
    for junk in (b"", b"\x30\x03\x02\x01\x01", b"hello"):
        with pytest.raises((gostkit.MalformedCms, gostkit.InvalidSignature)):
            gostkit.verify_detached_cms(junk, MESSAGE)
