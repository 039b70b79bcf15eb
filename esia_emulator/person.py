"""The person REST API's documents, rendered from a users.json record in ЕСИА's field formats."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from esia_emulator.identifiers import format_phone, format_snils, normalize_phone
from esia_emulator.models import LEVEL_CONFIRMED, Account

Element = dict[str, Any]


def etag(obj: Any) -> str:
    return (
        hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:40].upper()
    )


def _element_id(oid: int, index: int) -> int:
    # Stable across restarts and reseeding: the element URLs a client stored stay valid.
    return (oid % 10**8) * 100 + index


def root(account: Account, scopes: frozenset[str]) -> Element:
    d = account.data
    doc: Element = {"stateFacts": ["EntityRoot"]}
    if "fullname" in scopes:
        doc.update(
            firstName=d.get("first_name", ""),
            lastName=d.get("last_name", ""),
            middleName=d.get("middle_name", ""),
        )
    if "birthdate" in scopes and d.get("birth_date"):
        doc["birthDate"] = d["birth_date"]
    if "birthplace" in scopes and d.get("birth_place"):
        doc["birthPlace"] = d["birth_place"]
    if "gender" in scopes:
        doc["gender"] = d.get("gender", "")
    if "snils" in scopes and account.snils:
        doc["snils"] = format_snils(account.snils)
    if "inn" in scopes and d.get("inn"):
        doc["inn"] = d["inn"]
    if "id_doc" in scopes and d.get("documents"):
        doc["rIdDoc"] = _element_id(account.oid, 80)
    doc.update(
        trusted=account.level == LEVEL_CONFIRMED,
        citizenship=d.get("citizenship", "RUS"),
        status="REGISTERED",
        verifying=False,
        containsUpCfmCode=False,
    )
    doc["eTag"] = etag(doc)
    return doc


def contacts(account: Account, scopes: frozenset[str]) -> list[Element]:
    d = account.data
    everything = "contacts" in scopes
    found: list[Element] = []
    if account.phone and ("mobile" in scopes or everything):
        found.append({"type": "MBT", "vrfStu": "VERIFIED", "value": format_phone(account.phone)})
    if account.email and ("email" in scopes or everything):
        found.append({"type": "EML", "vrfStu": "VERIFIED", "value": d.get("email", account.email)})
    if everything:
        for extra in d.get("contacts", []):
            value = extra.get("value", "")
            if extra.get("type") in ("PHN", "CPH", "MBT") and normalize_phone(value):
                value = format_phone(normalize_phone(value) or value)
            status = "VERIFIED" if extra.get("verified", False) else "NOT_VERIFIED"
            found.append({"type": extra.get("type", "PHN"), "vrfStu": status, "value": value})
    return _identify(account.oid, found, start=1)


def addresses(account: Account, scopes: frozenset[str]) -> list[Element]:
    if "addresses" not in scopes:
        return []
    items = []
    for a in account.data.get("addresses", []):
        item = {
            "type": a.get("type", "PRG"),
            "addressStr": a.get("address", ""),
            "countryId": a.get("country", "RUS"),
            "zipCode": a.get("zip_code", ""),
            "region": a.get("region", ""),
            "city": a.get("city", ""),
            "street": a.get("street", ""),
            "house": a.get("house", ""),
        }
        if a.get("flat"):
            item["flat"] = a["flat"]
        items.append(item)
    return _identify(account.oid, items, start=50)


def documents(account: Account, scopes: frozenset[str]) -> list[Element]:
    if "id_doc" not in scopes:
        return []
    items = [
        {
            "type": doc.get("type", "RF_PASSPORT"),
            "vrfStu": "VERIFIED" if account.level == LEVEL_CONFIRMED else "NOT_VERIFIED",
            "series": doc.get("series", ""),
            "number": doc.get("number", ""),
            "issueDate": doc.get("issue_date", ""),
            "issueId": doc.get("issue_id", ""),
            "issuedBy": doc.get("issued_by", ""),
        }
        for doc in account.data.get("documents", [])
    ]
    return _identify(account.oid, items, start=80)


def organizations(account: Account, scopes: frozenset[str]) -> list[Element]:
    if "usr_org" not in scopes:
        return []
    return [
        {
            "stateFacts": ["Identifiable"],
            "oid": org["oid"],
            "prnOid": account.oid,
            "fullName": org.get("full_name", ""),
            "shortName": org.get("short_name", ""),
            "ogrn": org.get("ogrn", ""),
            "type": "LEGAL",
            "chief": bool(org.get("chief", False)),
            "admin": False,
            "active": True,
            "hasRightOfSubstitution": False,
            "hasApprovalTabAccess": False,
            "isLiquidated": False,
            "eTag": etag(org),
        }
        for org in account.data.get("organizations", [])
    ]


def _identify(oid: int, items: list[Element], *, start: int) -> list[Element]:
    out = []
    for offset, item in enumerate(items):
        full = {"stateFacts": ["Identifiable"], "id": _element_id(oid, start + offset), **item}
        full["eTag"] = etag(full)
        out.append(full)
    return out


COLLECTIONS: dict[str, tuple[str, frozenset[str], Callable[[Account, frozenset[str]], list[Element]]]] = {
    # url segment: (embed name on the root, scopes that open it, renderer)
    "ctts": ("contacts", frozenset({"contacts", "email", "mobile"}), contacts),
    "addrs": ("addresses", frozenset({"addresses"}), addresses),
    "docs": ("documents", frozenset({"id_doc"}), documents),
    "orgs": ("organizations", frozenset({"usr_org"}), organizations),
}


def collection(elements: list[Element], urls: list[str], *, embed: bool) -> Element:
    body: Element = {"stateFacts": ["hasSize"], "size": len(elements)}
    body["elements"] = elements if embed else urls
    body["eTag"] = etag(body)
    return body


def parse_embed(value: str) -> set[str]:
    """`(contacts.elements,documents.elements)` → {"contacts.elements", "documents.elements"}."""
    inner = value.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    return {part.strip() for part in inner.split(",") if part.strip()}


# Scopes that open the root document of a person.
ROOT_SCOPES = frozenset({"fullname", "birthdate", "birthplace", "gender", "snils", "inn", "id_doc"})
