"""Self-signed GOST X.509 certificates: enough for registering an information system with ЕСИА
and for publishing the emulator's token-signing key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import core, pem, x509

from gostkit.hashing import streebog256
from gostkit.keys import SIGNATURE_OID, PrivateKey, PublicKey, sign_raw


class InvalidCertificate(ValueError):
    """The data is not a GOST R 34.10-2012 256-bit X.509 certificate."""


@dataclass(frozen=True)
class Certificate:
    der: bytes
    public_key: PublicKey
    subject_cn: str

    def to_pem(self) -> bytes:
        return bytes(pem.armor("CERTIFICATE", self.der))

    @property
    def hash(self) -> str:
        return certificate_hash(self.der)


def certificate_hash(cert_der: bytes) -> str:
    """The `client_certificate_hash` ЕСИА expects: Streebog-256 of the DER, upper-case hex."""
    return streebog256(cert_der).hex().upper()


def load_certificate_der(der: bytes) -> Certificate:
    try:
        cert = x509.Certificate.load(der)
        tbs = cert["tbs_certificate"]
        spki_der = tbs["subject_public_key_info"].dump()
        subject = tbs["subject"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidCertificate(str(exc)) from exc
    try:
        key = PublicKey.from_spki_der(spki_der)
    except ValueError as exc:
        raise InvalidCertificate(str(exc)) from exc
    cn = subject.get("common_name", "") if isinstance(subject, dict) else ""
    return Certificate(der=der, public_key=key, subject_cn=str(cn))


def load_certificate_pem(data: bytes) -> Certificate:
    if not pem.detect(data):
        return load_certificate_der(data)
    kind, _headers, der = pem.unarmor(data)
    if kind != "CERTIFICATE":
        raise InvalidCertificate(f"expected a CERTIFICATE, got {kind!r}")
    return load_certificate_der(der)


def make_self_signed_certificate(key: PrivateKey, common_name: str, days: int) -> Certificate:
    name = x509.Name.build({"common_name": common_name})
    # Back-date a little so that a clock slightly behind ours still accepts the certificate.
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    algorithm = x509.SignedDigestAlgorithm({"algorithm": SIGNATURE_OID})
    public = key.public_key()
    spki = x509.PublicKeyInfo.load(public.to_spki_der())
    key_id = streebog256(public.to_spki_der())[:20]
    tbs = x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": int.from_bytes(secrets.token_bytes(16), "big") >> 1,
            "signature": algorithm,
            "issuer": name,
            "validity": {
                "not_before": x509.Time({"utc_time": now}),
                "not_after": x509.Time({"utc_time": now + timedelta(days=days)}),
            },
            "subject": name,
            "subject_public_key_info": spki,
            "extensions": [
                {"extn_id": "key_identifier", "critical": False, "extn_value": key_id},
                {
                    "extn_id": "basic_constraints",
                    "critical": True,
                    "extn_value": {"ca": False},
                },
                {
                    "extn_id": "key_usage",
                    "critical": True,
                    "extn_value": {"digital_signature", "non_repudiation"},
                },
            ],
        }
    )
    tbs_der = tbs.dump()
    cert = x509.Certificate(
        {
            "tbs_certificate": x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": algorithm,
            "signature_value": core.OctetBitString(sign_raw(key, tbs_der)),
        }
    )
    return Certificate(der=cert.dump(), public_key=public, subject_cn=common_name)
