"""gostkit: known answers, round trips, tampering, and (when the GOST engine is installed) OpenSSL interop."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gostkit

# GOST R 34.11-2012, appendix A, example 1: a 63-octet message; the standard prints the digest
# with the most significant byte first, implementations emit it in memory order (reversed).
M1 = b"012345678901234567890123456789012345678901234567890123456789012"
M1_DIGEST_256 = "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"
M1_DIGEST_256_AS_PRINTED = "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d"


@pytest.fixture(scope="module")
def key() -> gostkit.PrivateKey:
    return gostkit.generate_private_key()


@pytest.fixture(scope="module")
def other_key() -> gostkit.PrivateKey:
    return gostkit.generate_private_key()


def test_streebog256_known_answer() -> None:
    digest = gostkit.streebog256(M1)
    assert digest.hex() == M1_DIGEST_256
    assert digest[::-1].hex() == M1_DIGEST_256_AS_PRINTED


def test_sign_and_verify(key: gostkit.PrivateKey) -> None:
    sig = gostkit.sign_raw(key, b"message")
    assert len(sig) == 64
    assert gostkit.verify_raw(key.public_key(), b"message", sig)


def test_every_flipped_signature_byte_fails(key: gostkit.PrivateKey) -> None:
    sig = gostkit.sign_raw(key, b"message")
    pub = key.public_key()
    for i in range(0, 64, 7):
        broken = bytearray(sig)
        broken[i] ^= 0x01
        assert not gostkit.verify_raw(pub, b"message", bytes(broken))


def test_flipped_message_and_wrong_key_fail(key: gostkit.PrivateKey, other_key: gostkit.PrivateKey) -> None:
    sig = gostkit.sign_raw(key, b"message")
    assert not gostkit.verify_raw(key.public_key(), b"messagf", sig)
    assert not gostkit.verify_raw(other_key.public_key(), b"message", sig)
    assert not gostkit.verify_raw(key.public_key(), b"message", sig[:63])
    assert not gostkit.verify_raw(key.public_key(), b"message", b"\x00" * 64)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=st.binary(max_size=300))
def test_property_verify_of_sign(key: gostkit.PrivateKey, message: bytes) -> None:
    assert gostkit.verify_raw(key.public_key(), message, gostkit.sign_raw(key, message))


def test_private_key_pem_round_trip(key: gostkit.PrivateKey) -> None:
    text = key.to_pem()
    assert text.startswith(b"-----BEGIN PRIVATE KEY-----")
    again = gostkit.load_private_key_pem(text)
    assert again.public_key() == key.public_key()
    assert "d=" not in repr(again)


# A key as `openssl genpkey -engine gost` wrote it, whose little-endian scalar starts with 0x02: once
# misread as an INTEGER wrapper (one key in 256 failed to load).
ENGINE_KEY_STARTING_WITH_02 = b"""-----BEGIN PRIVATE KEY-----
MEYCAQAwHwYIKoUDBwEBAQEwEwYHKoUDAgIjAQYIKoUDBwEBAgIEIALUkvYJPKEo
pxKTXtSGEi0OBQbQ7Bz0FBqZFDXNzNho
-----END PRIVATE KEY-----
"""


def test_a_bare_scalar_is_read_whatever_its_first_octet() -> None:
    key = gostkit.load_private_key_pem(ENGINE_KEY_STARTING_WITH_02)
    raw = bytes.fromhex("02D492F6093CA128A712935ED486122D0E0506D0EC1CF4141A991435CDCCD868")
    assert key.d == int.from_bytes(raw, "little")


@given(st.integers(min_value=1, max_value=2**250))
def test_property_every_scalar_survives_the_pem(d: int) -> None:
    key = gostkit.PrivateKey(d, gostkit.load_private_key_pem(ENGINE_KEY_STARTING_WITH_02).paramset)
    assert gostkit.load_private_key_pem(key.to_pem()).d == d


def test_certificate_round_trip_and_hash(key: gostkit.PrivateKey) -> None:
    cert = gostkit.make_self_signed_certificate(key, "ИС ФРМР (тест)", days=30)
    loaded = gostkit.load_certificate_pem(cert.to_pem())
    assert loaded.der == cert.der
    assert loaded.subject_cn == "ИС ФРМР (тест)"
    assert loaded.public_key == key.public_key()
    digest = gostkit.certificate_hash(cert.der)
    assert digest == gostkit.streebog256(cert.der).hex().upper()
    assert len(digest) == 64


def test_malformed_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        gostkit.load_certificate_pem(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(ValueError):
        gostkit.load_private_key_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")


@pytest.mark.parametrize("raw", [b"", b"\x00", b"\xfb\xff", b"hello world!", bytes(range(256))])
def test_b64url_accepts_all_variants(raw: bytes) -> None:
    assert "=" not in gostkit.b64url_encode(raw)
    for text in (
        gostkit.b64url_encode(raw),
        base64.urlsafe_b64encode(raw).decode(),
        base64.b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
    ):
        assert gostkit.b64url_decode(text) == raw


def test_b64url_rejects_garbage() -> None:
    for text in ("a", "ab$c", "абв"):
        with pytest.raises(ValueError):
            gostkit.b64url_decode(text)


def test_jwt_round_trip(key: gostkit.PrivateKey) -> None:
    token = gostkit.jwt_encode({"sub": 1, "nam": "Анна", "exp": 1}, key, header_extra={"sbt": "access"})
    assert gostkit.jwt_unverified_header(token) == {
        "ver": 1,
        "typ": "JWT",
        "alg": "GOST3410_2012_256",
        "sbt": "access",
    }
    # exp lies in the past: checking claims is the caller's job, not the decoder's.
    assert gostkit.jwt_decode(token, key.public_key()) == {"sub": 1, "nam": "Анна", "exp": 1}


def test_jwt_tampering_and_wrong_key(key: gostkit.PrivateKey, other_key: gostkit.PrivateKey) -> None:
    token = gostkit.jwt_encode({"sub": 1}, key)
    header, _payload, sig = token.split(".")
    forged = header + "." + gostkit.b64url_encode(json.dumps({"sub": 2}).encode()) + "." + sig
    with pytest.raises(gostkit.InvalidSignature):
        gostkit.jwt_decode(forged, key.public_key())
    with pytest.raises(gostkit.InvalidSignature):
        gostkit.jwt_decode(token, other_key.public_key())
    for bad in ("", "a.b", "a.b.c.d", "!!.??.xx", token.split(".", 1)[1]):
        with pytest.raises(gostkit.MalformedToken):
            gostkit.jwt_decode(bad, key.public_key())
    none_alg = gostkit.b64url_encode(b'{"alg":"none"}') + "." + token.split(".")[1] + "."
    with pytest.raises((gostkit.InvalidSignature, gostkit.MalformedToken)):
        gostkit.jwt_decode(none_alg, key.public_key())


# --- OpenSSL interop --------------------------------------------------------------------------


def _gost_engine_available() -> bool:
    if shutil.which("openssl") is None:
        return False
    probe = subprocess.run(
        ["openssl", "dgst", "-engine", "gost", "-md_gost12_256"],
        input=b"x",
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_engine = pytest.mark.skipif(
    not _gost_engine_available(),
    reason="OpenSSL GOST engine missing (apt-get install libengine-gost-openssl)",
)


def _openssl(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=False)


def _openssl_point(pkey_text: bytes) -> tuple[int, int]:
    """X and Y as numbers: OpenSSL prints them without leading zeros (one key in 16 has one)."""
    found = dict(re.findall(r"^\s*([XY]):\s*([0-9A-Fa-f]+)\s*$", pkey_text.decode(), flags=re.MULTILINE))
    return int(found["X"], 16), int(found["Y"], 16)


def test_openssl_point_reader_keeps_short_coordinates() -> None:
    text = b"Public key:\n   X:7BE3377C\n   Y:0\nParameter set: id-GostR3410-2001-CryptoPro-A-ParamSet\n"
    assert _openssl_point(text) == (0x7BE3377C, 0)


# A scalar whose public X begins with a zero octet: OpenSSL prints it shorter than 64 hex digits.
SHORT_X_SCALAR = 1318980


@needs_engine
@pytest.mark.parametrize("which", ["random", "short-x"])
def test_openssl_verifies_our_signature_and_certificate(
    key: gostkit.PrivateKey, which: str, tmp_path: Path
) -> None:
    if which == "short-x":
        key = gostkit.PrivateKey(SHORT_X_SCALAR)
        assert key.public_key().x < 2**248
    cert = gostkit.make_self_signed_certificate(key, "interop", days=2)
    (tmp_path / "cert.pem").write_bytes(cert.to_pem())
    (tmp_path / "msg").write_bytes(b"client_id+scope+timestamp")
    (tmp_path / "sig").write_bytes(gostkit.sign_raw(key, b"client_id+scope+timestamp"))
    pub = _openssl("x509", "-engine", "gost", "-in", str(tmp_path / "cert.pem"), "-pubkey", "-noout")
    assert pub.returncode == 0, pub.stderr
    (tmp_path / "pub.pem").write_bytes(pub.stdout)
    verified = _openssl(
        "dgst", "-engine", "gost", "-md_gost12_256", "-verify", str(tmp_path / "pub.pem"),
        "-signature", str(tmp_path / "sig"), str(tmp_path / "msg"),
    )  # fmt: skip
    assert verified.returncode == 0 and b"Verified OK" in verified.stdout, verified.stderr
    chain = _openssl(
        "verify", "-engine", "gost", "-CAfile", str(tmp_path / "cert.pem"), str(tmp_path / "cert.pem")
    )
    assert chain.returncode == 0, chain.stdout + chain.stderr
    # Our PKCS#8 is readable by OpenSSL and names the same point.
    (tmp_path / "key.pem").write_bytes(key.to_pem())
    text = _openssl("pkey", "-engine", "gost", "-in", str(tmp_path / "key.pem"), "-text", "-noout")
    assert text.returncode == 0, text.stderr
    assert _openssl_point(text.stdout) == (key.public_key().x, key.public_key().y)
    # The certificate hash equals OpenSSL's Streebog over the DER.
    der = _openssl("x509", "-engine", "gost", "-in", str(tmp_path / "cert.pem"), "-outform", "DER")
    digest = _openssl("dgst", "-engine", "gost", "-md_gost12_256", "-r", data=der.stdout)
    assert digest.stdout.split()[0].decode().upper() == gostkit.certificate_hash(cert.der)


@needs_engine
def test_we_verify_openssl_signature_and_read_its_key(tmp_path: Path) -> None:
    made = _openssl(
        "genpkey", "-engine", "gost", "-algorithm", "gost2012_256", "-pkeyopt", "paramset:A",
        "-out", str(tmp_path / "k.pem"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    cert = _openssl(
        "req", "-engine", "gost", "-new", "-x509", "-key", str(tmp_path / "k.pem"), "-md_gost12_256",
        "-subj", "/CN=openssl-made", "-days", "2", "-out", str(tmp_path / "c.pem"),
    )  # fmt: skip
    assert cert.returncode == 0, cert.stderr
    (tmp_path / "msg").write_bytes(b"payload from openssl")
    signed = _openssl(
        "dgst", "-engine", "gost", "-md_gost12_256", "-sign", str(tmp_path / "k.pem"),
        "-out", str(tmp_path / "sig"), str(tmp_path / "msg"),
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    certificate = gostkit.load_certificate_pem((tmp_path / "c.pem").read_bytes())
    assert certificate.subject_cn == "openssl-made"
    sig = (tmp_path / "sig").read_bytes()
    assert gostkit.verify_raw(certificate.public_key, b"payload from openssl", sig)
    assert not gostkit.verify_raw(certificate.public_key, b"payload from openssl!", sig)
    key = gostkit.load_private_key_pem((tmp_path / "k.pem").read_bytes())
    assert key.public_key() == certificate.public_key
