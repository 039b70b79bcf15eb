"""The CapabilityStatement at /fhir/metadata, built from the directory's own parameter lists."""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from frmr.integration.fhir import directory

FHIR_VERSION = "4.0.1"
# When the statement's content last changed; bump it with any change of the directory's interface.
STATEMENT_DATE = "2026-12-07"

_PARAM_TYPES = {
    "identifier": "token",
    "name": "string",
    "family": "string",
    "given": "string",
    "active": "token",
    "status": "token",
    "organization": "reference",
    "practitioner": "reference",
    "_lastUpdated": "date",
}


def _docs() -> dict[str, str]:
    return {
        "identifier": _(
            "СНИЛС (urn:oid:1.2.643.100.3), номер в регистре, OID (urn:ietf:rfc:3986), ОГРН, ИНН"
        ),
        "name": _(
            "начало фамилии, имени, отчества или наименования, без учёта регистра; name:contains — подстрока"
        ),
        "organization": _("Organization/<OID>; для PractitionerRole — только организация токена"),
        "_lastUpdated": _("ge, gt, le, lt, eq и дата или дата-время"),
    }


def capability_statement(base_url: str) -> dict[str, Any]:
    return _statement(base_url, get_language())


# One statement per address and interface language: its texts are translated when it is built.
@functools.cache
def _statement(base_url: str, language: str) -> dict[str, Any]:
    docs = _docs()
    rest_resources = []
    for kind in directory.KINDS.values():
        search_params = [
            {
                "name": name,
                "type": _PARAM_TYPES[name],
                **({"documentation": docs[name]} if name in docs else {}),
            }
            for name in sorted(kind.params)
            if name in _PARAM_TYPES
        ]
        entry: dict[str, Any] = {
            "type": kind.name,
            "interaction": [{"code": "read"}, {"code": "search-type"}, {"code": "history-type"}],
            "versioning": "versioned",
            "readHistory": False,
            "searchParam": search_params,
        }
        if kind.includes:
            entry["searchInclude"] = sorted(kind.includes)
        rest_resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": STATEMENT_DATE,
        "publisher": _("ФРМР"),
        "kind": "instance",
        "software": {"name": _("ФРМР")},
        "implementation": {
            "description": _("Справочник медицинских работников (FHIR R4, IHE mCSD)"),
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": _(
                    "Справочник по профилю IHE mCSD: чтение, поиск и история. Страницы — ссылки next и "
                    "previous Bundle; подробности в docs/fhir.md."
                ),
                "security": {
                    "cors": False,
                    "description": _(
                        "Заголовок Authorization: Bearer <токен API организации> (тот же, что у API ФРМР). "
                        "Работники и карточки видны в пределах организации токена."
                    ),
                },
                "resource": rest_resources,
            }
        ],
    }
