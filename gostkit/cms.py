"""Detached CMS (PKCS#7) SignedData with a GOST R 34.10-2012 signature: what the legacy ЕСИА
endpoints (`/aas/oauth2/ac`, `/aas/oauth2/te`) take as `client_secret`.

Verification only, of what `openssl cms -sign` / `openssl smime -sign` with the GOST engine produce,
with or without signed attributes (`-noattr`); the signer's certificate travels inside the CMS,
which is how ЕСИА learns who signed.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import cms

from gostkit.certs import Certificate, InvalidCertificate, load_certificate_der
from gostkit.hashing import streebog256
from gostkit.jwt import InvalidSignature
from gostkit.keys import DIGEST_OID, SIGN_KEY_OID, SIGNATURE_OID, InvalidKey, verify_raw

_SIGNATURE_ALGORITHMS = frozenset({SIGN_KEY_OID, SIGNATURE_OID})


class MalformedCms(ValueError):
    """The data is not a CMS SignedData we can read."""


def verify_detached_cms(der: bytes, content: bytes) -> Certificate:
    """The certificate that signed `content`; raises MalformedCms or InvalidSignature otherwise."""
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise MalformedCms("not a SignedData")
        signed = info["content"]
        signer_infos = list(signed["signer_infos"])
        embedded = signed["encap_content_info"]["content"].native
        certificates = [choice.chosen for choice in signed["certificates"] or []]
    except (ValueError, TypeError, KeyError) as exc:
        raise MalformedCms(str(exc)) from exc
    if len(signer_infos) != 1:
        raise MalformedCms("exactly one signer expected")
    if embedded is not None and bytes(embedded) != content:
        raise InvalidSignature("the CMS carries other content than the signed string")
    signer = signer_infos[0]
    if signer["digest_algorithm"]["algorithm"].dotted != DIGEST_OID:
        raise InvalidSignature("the digest is not GOST R 34.11-2012 (256 bit)")
    if signer["signature_algorithm"]["algorithm"].dotted not in _SIGNATURE_ALGORITHMS:
        raise InvalidSignature("the signature is not GOST R 34.10-2012 (256 bit)")
    cert = _signer_certificate(signer["sid"], certificates)
    signed_bytes = content
    attributes = signer["signed_attrs"]
    if attributes.native is not None and len(attributes):
        digests = [a["values"][0].native for a in attributes if a["type"].native == "message_digest"]
        if len(digests) != 1 or bytes(digests[0]) != streebog256(content):
            raise InvalidSignature("the signed messageDigest is not the digest of the signed string")
        # The signature covers the attributes re-encoded with the SET OF tag instead of [0].
        signed_bytes = b"\x31" + attributes.dump()[1:]
    if not verify_raw(cert.public_key, signed_bytes, bytes(signer["signature"].native)):
        raise InvalidSignature("the CMS signature does not verify")
    return cert


def _signer_certificate(sid: cms.SignerIdentifier, certificates: list[Any]) -> Certificate:
    for candidate in certificates:
        if not hasattr(candidate, "dump"):
            continue
        tbs = candidate["tbs_certificate"]
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            matches = (
                tbs["issuer"] == wanted["issuer"]
                and tbs["serial_number"].native == wanted["serial_number"].native
            )
        else:
            matches = candidate.key_identifier == sid.chosen.native
        if matches:
            try:
                return load_certificate_der(candidate.dump())
            except (InvalidCertificate, InvalidKey) as exc:
                raise InvalidSignature(f"the signer's certificate cannot be used: {exc}") from exc
    raise MalformedCms("the signer's certificate is not inside the CMS")
