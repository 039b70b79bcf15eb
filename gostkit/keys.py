"""GOST R 34.10-2012 (256-bit) keys, raw signatures and their PEM forms.

Curve: id-GostR3410-2001-CryptoPro-A-ParamSet (1.2.643.2.2.35.1), which is what
`openssl genpkey -algorithm gost2012_256 -pkeyopt paramset:A` produces with the Debian GOST
engine; gostcrypto knows the same curve under the TC26 name "…-256-paramSetB".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from asn1crypto import core, pem
from gostcrypto import gosthash, gostsignature

SIGN_KEY_OID = "1.2.643.7.1.1.1.1"  # GOST R 34.10-2012, 256 bit
SIGNATURE_OID = "1.2.643.7.1.1.3.2"  # GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)
DIGEST_OID = "1.2.643.7.1.1.2.2"  # GOST R 34.11-2012, 256 bit
PARAMSET_OID = "1.2.643.2.2.35.1"  # CryptoPro-A
_CURVE = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-2012-256-paramSetB"]
_Q = int(_CURVE["q"])


class InvalidKey(ValueError):
    """The key material is not a GOST R 34.10-2012 256-bit key on the supported curve."""


def streebog256(data: bytes) -> bytes:
    return bytes(gosthash.new("streebog256", data=data).digest())


def _engine() -> gostsignature.GOST34102012:
    return gostsignature.new(gostsignature.MODE_256, _CURVE)


@dataclass(frozen=True)
class PublicKey:
    x: int
    y: int

    def to_xy_be(self) -> bytes:
        return self.x.to_bytes(32, "big") + self.y.to_bytes(32, "big")

    def to_spki_der(self) -> bytes:
        # SPKI and certificates carry the point as X‖Y, each coordinate little-endian.
        point = self.x.to_bytes(32, "little") + self.y.to_bytes(32, "little")
        key = core.OctetString(point).dump()
        return _Spki({"algorithm": _key_algorithm(), "public_key": core.OctetBitString(key)}).dump()

    @classmethod
    def from_spki_der(cls, der: bytes) -> PublicKey:
        spki = _Spki.load(der)
        if spki["algorithm"]["algorithm"].dotted != SIGN_KEY_OID:
            raise InvalidKey("not a GOST R 34.10-2012 256-bit public key")
        inner = core.OctetString.load(bytes(spki["public_key"].native))
        point = bytes(inner.native)
        if len(point) != 64:
            raise InvalidKey("a 256-bit public key has 64 octets")
        return cls(int.from_bytes(point[:32], "little"), int.from_bytes(point[32:], "little"))

    def to_pem(self) -> bytes:
        return pem.armor("PUBLIC KEY", self.to_spki_der())


@dataclass(frozen=True, repr=False)
class PrivateKey:
    d: int

    def __post_init__(self) -> None:
        if not 0 < self.d < _Q:
            raise InvalidKey("the private scalar is out of range for the curve")

    def __repr__(self) -> str:  # keeps the scalar out of logs and tracebacks
        return "PrivateKey(<hidden>)"

    def public_key(self) -> PublicKey:
        xy = bytes(_engine().public_key_generate(bytearray(self.d.to_bytes(32, "big"))))
        return PublicKey(int.from_bytes(xy[:32], "big"), int.from_bytes(xy[32:], "big"))

    def to_pem(self) -> bytes:
        # OpenSSL's GOST engine writes the scalar as 32 bare little-endian octets.
        info = _Pkcs8(
            {
                "version": 0,
                "algorithm": _key_algorithm(),
                "private_key": core.OctetString(self.d.to_bytes(32, "little")),
            }
        )
        return pem.armor("PRIVATE KEY", info.dump())


def generate_private_key() -> PrivateKey:
    return PrivateKey(secrets.randbelow(_Q - 1) + 1)


def load_private_key_pem(data: bytes) -> PrivateKey:
    kind, _headers, der = pem.unarmor(data)
    if kind != "PRIVATE KEY":
        raise InvalidKey(f"expected an unencrypted PKCS#8 'PRIVATE KEY', got {kind!r}")
    info = _Pkcs8.load(der)
    if info["algorithm"]["algorithm"].dotted != SIGN_KEY_OID:
        raise InvalidKey("not a GOST R 34.10-2012 256-bit private key")
    raw = bytes(info["private_key"].native)
    # Older engine versions wrapped the scalar once more in an OCTET STRING or an INTEGER.
    if len(raw) == 34 and raw[:2] == b"\x04\x20":
        raw = raw[2:]
    elif raw[:1] == b"\x02" and len(raw) > 2:
        return PrivateKey(int(core.Integer.load(raw).native))
    if len(raw) != 32:
        raise InvalidKey("a 256-bit private key has 32 octets")
    return PrivateKey(int.from_bytes(raw, "little"))


def sign_raw(key: PrivateKey, data: bytes) -> bytes:
    """64 octets s‖r, big-endian, as `openssl dgst -md_gost12_256 -sign` prints them."""
    digest = bytearray(streebog256(data)[::-1])
    rs = bytes(_engine().sign(bytearray(key.d.to_bytes(32, "big")), digest))
    return rs[32:] + rs[:32]


def verify_raw(pub: PublicKey, data: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    digest = bytearray(streebog256(data)[::-1])
    rs = bytearray(signature[32:] + signature[:32])
    try:
        return bool(_engine().verify(bytearray(pub.to_xy_be()), digest, rs))
    except Exception:  # gostcrypto raises on out-of-range r or s; that is simply a bad signature
        return False


class _KeyParameters(core.Sequence):
    _fields = [
        ("public_key_param_set", core.ObjectIdentifier),
        ("digest_param_set", core.ObjectIdentifier, {"optional": True}),
    ]


class _KeyAlgorithm(core.Sequence):
    _fields = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class _Spki(core.Sequence):
    _fields = [
        ("algorithm", _KeyAlgorithm),
        ("public_key", core.OctetBitString),
    ]


class _Pkcs8(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("algorithm", _KeyAlgorithm),
        ("private_key", core.OctetString),
        ("attributes", core.Any, {"implicit": 0, "optional": True}),
    ]


def _key_algorithm() -> _KeyAlgorithm:
    params = _KeyParameters({"public_key_param_set": PARAMSET_OID, "digest_param_set": DIGEST_OID})
    return _KeyAlgorithm({"algorithm": SIGN_KEY_OID, "parameters": core.Any.load(params.dump())})
