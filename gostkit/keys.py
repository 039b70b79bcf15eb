"""GOST R 34.10-2012 (256-bit) keys, raw signatures and their PEM forms.

A key carries the OID of its curve (the parameter set named in the certificate's or PKCS#8's key
parameters), and signing and verification use that curve. Generated keys are on
id-GostR3410-2001-CryptoPro-A-ParamSet (1.2.643.2.2.35.1), which is what
`openssl genpkey -algorithm gost2012_256 -pkeyopt paramset:A` produces with the Debian GOST
engine. gostcrypto names the curves after R 1323565.1.024-2019 (TC26); the CryptoPro and exchange
("Xch") parameter sets are the same curves under older OIDs.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import core, pem
from gostcrypto import gostsignature

from gostkit.hashing import streebog256

SIGN_KEY_OID = "1.2.643.7.1.1.1.1"  # GOST R 34.10-2012, 256 bit
SIGN_KEY_512_OID = "1.2.643.7.1.1.1.2"  # GOST R 34.10-2012, 512 bit: not supported
SIGNATURE_OID = "1.2.643.7.1.1.3.2"  # GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)
DIGEST_OID = "1.2.643.7.1.1.2.2"  # GOST R 34.11-2012, 256 bit
PARAMSET_OID = "1.2.643.2.2.35.1"  # CryptoPro-A, the curve of generated keys

_TC26 = "id-tc26-gost-3410-2012-256-paramSet"
# OID → (name for people, gostcrypto's curve). Several OIDs name one curve.
CURVES: dict[str, tuple[str, str]] = {
    "1.2.643.2.2.35.1": ("CryptoPro-A", _TC26 + "B"),
    "1.2.643.2.2.35.2": ("CryptoPro-B", _TC26 + "C"),
    "1.2.643.2.2.35.3": ("CryptoPro-C", _TC26 + "D"),
    "1.2.643.2.2.36.0": ("CryptoPro-XchA", _TC26 + "B"),
    "1.2.643.2.2.36.1": ("CryptoPro-XchB", _TC26 + "D"),
    "1.2.643.7.1.2.1.1.1": ("TC26-256-A", _TC26 + "A"),
    "1.2.643.7.1.2.1.1.2": ("TC26-256-B", _TC26 + "B"),
    "1.2.643.7.1.2.1.1.3": ("TC26-256-C", _TC26 + "C"),
    "1.2.643.7.1.2.1.1.4": ("TC26-256-D", _TC26 + "D"),
}
# Curves we know by name but cannot use, so that a refusal can say what was offered.
_KNOWN_ELSEWHERE = {
    "1.2.643.2.2.35.0": "CryptoPro-Test",
    "1.2.643.7.1.2.1.2.0": "TC26-512-Test",
    "1.2.643.7.1.2.1.2.1": "TC26-512-A",
    "1.2.643.7.1.2.1.2.2": "TC26-512-B",
    "1.2.643.7.1.2.1.2.3": "TC26-512-C",
}
# TC26 recommends omitting the digest parameters for the TC26 curves; OpenSSL does so for them.
_DIGEST_PARAM_OMITTED = frozenset(oid for oid in CURVES if oid.startswith("1.2.643.7.1.2.1.1."))


def curve_name(oid: str) -> str:
    known = CURVES.get(oid, (None, ""))[0] or _KNOWN_ELSEWHERE.get(oid)
    return f"{known} ({oid})" if known else oid


class InvalidKey(ValueError):
    """The key material is not a GOST R 34.10-2012 256-bit key on the supported curve."""


class UnsupportedCurve(InvalidKey):
    """The key is on a curve (parameter set) gostkit cannot sign or verify with."""

    def __init__(self, oid: str) -> None:
        super().__init__(
            f"кривая {curve_name(oid)} не поддерживается: нужна одна из "
            + ", ".join(sorted({name for name, _ in CURVES.values()}))
        )
        self.oid = oid


def _curve(oid: str) -> dict[str, Any]:
    if oid not in CURVES:
        raise UnsupportedCurve(oid)
    return dict(gostsignature.CURVES_R_1323565_1_024_2019[CURVES[oid][1]])


def _engine(oid: str) -> gostsignature.GOST34102012:
    return gostsignature.new(gostsignature.MODE_256, _curve(oid))


@dataclass(frozen=True)
class PublicKey:
    x: int
    y: int
    paramset: str = PARAMSET_OID

    def __post_init__(self) -> None:
        _curve(self.paramset)

    @property
    def curve_name(self) -> str:
        return curve_name(self.paramset)

    def to_xy_be(self) -> bytes:
        return self.x.to_bytes(32, "big") + self.y.to_bytes(32, "big")

    def to_spki_der(self) -> bytes:
        # SPKI and certificates carry the point as X‖Y, each coordinate little-endian.
        point = self.x.to_bytes(32, "little") + self.y.to_bytes(32, "little")
        key = core.OctetString(point).dump()
        algorithm = _key_algorithm(self.paramset)
        return bytes(_Spki({"algorithm": algorithm, "public_key": core.OctetBitString(key)}).dump())

    @classmethod
    def from_spki_der(cls, der: bytes) -> PublicKey:
        spki = _Spki.load(der)
        paramset = _paramset(spki["algorithm"])
        inner = core.OctetString.load(bytes(spki["public_key"].native))
        point = bytes(inner.native)
        if len(point) != 64:
            raise InvalidKey("a 256-bit public key has 64 octets")
        return cls(int.from_bytes(point[:32], "little"), int.from_bytes(point[32:], "little"), paramset)

    def to_pem(self) -> bytes:
        return bytes(pem.armor("PUBLIC KEY", self.to_spki_der()))


@dataclass(frozen=True, repr=False)
class PrivateKey:
    d: int
    paramset: str = PARAMSET_OID

    def __post_init__(self) -> None:
        if not 0 < self.d < int(_curve(self.paramset)["q"]):
            raise InvalidKey("the private scalar is out of range for the curve")

    def __repr__(self) -> str:  # keeps the scalar out of logs and tracebacks
        return "PrivateKey(<hidden>)"

    def public_key(self) -> PublicKey:
        xy = bytes(_engine(self.paramset).public_key_generate(bytearray(self.d.to_bytes(32, "big"))))
        return PublicKey(int.from_bytes(xy[:32], "big"), int.from_bytes(xy[32:], "big"), self.paramset)

    def to_pem(self) -> bytes:
        # OpenSSL's GOST engine writes the scalar as 32 bare little-endian octets.
        info = _Pkcs8(
            {
                "version": 0,
                "algorithm": _key_algorithm(self.paramset),
                "private_key": core.OctetString(self.d.to_bytes(32, "little")),
            }
        )
        return bytes(pem.armor("PRIVATE KEY", info.dump()))


def generate_private_key(paramset: str = PARAMSET_OID) -> PrivateKey:
    q = int(_curve(paramset)["q"])
    return PrivateKey(secrets.randbelow(q - 1) + 1, paramset)


def load_private_key_pem(data: bytes) -> PrivateKey:
    kind, _headers, der = pem.unarmor(data)
    if kind != "PRIVATE KEY":
        raise InvalidKey(f"expected an unencrypted PKCS#8 'PRIVATE KEY', got {kind!r}")
    info = _Pkcs8.load(der)
    paramset = _paramset(info["algorithm"])
    raw = bytes(info["private_key"].native)
    # Older engine versions wrapped the scalar once more in an OCTET STRING or an INTEGER.
    if len(raw) == 34 and raw[:2] == b"\x04\x20":
        raw = raw[2:]
    elif raw[:1] == b"\x02" and len(raw) > 2:
        return PrivateKey(int(core.Integer.load(raw).native), paramset)
    if len(raw) != 32:
        raise InvalidKey("a 256-bit private key has 32 octets")
    return PrivateKey(int.from_bytes(raw, "little"), paramset)


def sign_raw(key: PrivateKey, data: bytes) -> bytes:
    """64 octets s‖r, big-endian, as `openssl dgst -md_gost12_256 -sign` prints them."""
    digest = bytearray(streebog256(data)[::-1])
    rs = bytes(_engine(key.paramset).sign(bytearray(key.d.to_bytes(32, "big")), digest))
    return rs[32:] + rs[:32]


def verify_raw(pub: PublicKey, data: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    digest = bytearray(streebog256(data)[::-1])
    rs = bytearray(signature[32:] + signature[:32])
    try:
        return bool(_engine(pub.paramset).verify(bytearray(pub.to_xy_be()), digest, rs))
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


def _key_algorithm(paramset: str) -> _KeyAlgorithm:
    fields = {"public_key_param_set": paramset}
    if paramset not in _DIGEST_PARAM_OMITTED:
        fields["digest_param_set"] = DIGEST_OID
    params = _KeyParameters(fields)
    return _KeyAlgorithm({"algorithm": SIGN_KEY_OID, "parameters": core.Any.load(params.dump())})


def _paramset(algorithm: _KeyAlgorithm) -> str:
    """The curve named in the key's parameters, refused with its name when we cannot use it."""
    oid = algorithm["algorithm"].dotted
    if oid == SIGN_KEY_512_OID:
        raise InvalidKey("ключи ГОСТ Р 34.10-2012 длиной 512 бит не поддерживаются: нужен ключ 256 бит")
    if oid != SIGN_KEY_OID:
        raise InvalidKey(f"это не ключ ГОСТ Р 34.10-2012 (256 бит): алгоритм {oid}")
    raw = algorithm["parameters"]
    try:
        params = _KeyParameters.load(raw.dump()) if raw.native is not None else None
        paramset = params["public_key_param_set"].dotted if params is not None else ""
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidKey("параметры ключа не читаются") from exc
    if not paramset:
        raise InvalidKey("в ключе не указана кривая (набор параметров)")
    _curve(paramset)
    return paramset
