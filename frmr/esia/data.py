"""What the client hands to the rest of the product: verified tokens and the person's data."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EsiaTokens:
    access_token: str
    id_token: str
    oid: str
    expires_in: int
    refresh_token: str = ""
    access_claims: dict[str, Any] = field(default_factory=dict, repr=False)
    id_claims: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def session_id(self) -> str:
        """ЕСИА's session id (`urn:esia:sid`): kept so a logout can be matched to the login."""
        return str(self.id_claims.get("urn:esia:sid") or self.access_claims.get("urn:esia:sid") or "")

    @property
    def auth_method(self) -> str:
        """How the person proved who they are: PWD (password), DS (signature), …"""
        amr = self.id_claims.get("urn:esia:amd") or self.id_claims.get("amr") or ""
        return ",".join(amr) if isinstance(amr, list) else str(amr)


@dataclass(frozen=True)
class EsiaOrganization:
    """An organization ЕСИА lists for the person (as an employee); may be absent for want of scope."""

    name: str
    ogrn: str = ""
    oid: str = ""


@dataclass(frozen=True)
class EsiaPerson:
    oid: str
    last_name: str
    first_name: str
    patronymic: str = ""
    birth_date: datetime.date | None = None
    gender: str = ""  # "M" or "F", as ЕСИА sends it
    snils: str = ""  # 11 digits, no separators; empty when ЕСИА did not give it
    email: str = ""
    mobile: str = ""
    trusted: bool = False
    organizations: tuple[EsiaOrganization, ...] = ()

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)


def normalize_snils(value: object) -> str:
    """`123-456-789 01` → `12345678901`; anything that is not 11 digits becomes empty."""
    digits = re.sub(r"\D", "", str(value or ""))
    return digits if len(digits) == 11 else ""


def parse_esia_date(value: object) -> datetime.date | None:
    """ЕСИА writes dates as dd.MM.yyyy."""
    try:
        return datetime.datetime.strptime(str(value), "%d.%m.%Y").date()
    except ValueError:
        return None


def person_from_json(oid: str, body: dict[str, Any], contacts: list[dict[str, Any]]) -> EsiaPerson:
    return EsiaPerson(
        oid=oid,
        last_name=str(body.get("lastName") or "").strip(),
        first_name=str(body.get("firstName") or "").strip(),
        patronymic=str(body.get("middleName") or "").strip(),
        birth_date=parse_esia_date(body.get("birthDate")),
        gender=str(body.get("gender") or "").upper()[:1],
        snils=normalize_snils(body.get("snils")),
        email=_contact(contacts, "EML"),
        mobile=_contact(contacts, "MBT"),
        trusted=bool(body.get("trusted")),
        organizations=_organizations(body),
    )


def _contact(contacts: list[dict[str, Any]], kind: str) -> str:
    matching = [c for c in contacts if c.get("type") == kind and c.get("value")]
    # A verified contact wins over one the person has only typed in.
    matching.sort(key=lambda c: c.get("vrfStu") != "VERIFIED")
    return str(matching[0]["value"]).strip() if matching else ""


def _organizations(body: dict[str, Any]) -> tuple[EsiaOrganization, ...]:
    found: list[EsiaOrganization] = []
    for key in ("organizations", "orgs", "roles"):
        collection = body.get(key)
        elements = collection.get("elements") if isinstance(collection, dict) else collection
        if not isinstance(elements, list):
            continue
        for element in elements:
            if not isinstance(element, dict):
                continue  # an unresolved link: the organization itself was not embedded
            name = element.get("fullName") or element.get("shortName") or element.get("name")
            if name:
                found.append(
                    EsiaOrganization(
                        name=str(name),
                        ogrn=str(element.get("ogrn") or ""),
                        oid=str(element.get("oid") or ""),
                    )
                )
    return tuple(dict.fromkeys(found))
