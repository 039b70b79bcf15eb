"""`GET person` in one statement: the person, the scope check, documents and addresses.

The ORM form of this read (lookup.find_person + lookup.person_queryset_with_contacts + mapping.person_out)
takes three queries and most of a request's Python time compiling them. This is the same read as one
hand-written statement, documents and addresses aggregated into JSON arrays by the database, the SQL
text built once per database vendor. tests/frmr/integration/api/test_reads.py holds both forms to the
same answers.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest

from frmr.core import replicas
from frmr.core.validators import normalize_snils, validate_snils
from frmr.integration.api.core import ReadAhead, read_ahead_rows
from frmr.integration.api.mapping import ADDRESS_TEXT, code_value, date_out, oksm_out
from frmr.integration.api.versions import VersionedContent
from frmr.integration.models import ApiToken
from frmr.integration.prepared import fetch_prepared
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m

_PERSON_COLUMNS = (
    "p.id, p.oid, p.last_name, p.first_name, p.patronymic, p.gender, p.birth_date, p.birth_place, "
    "p.death_date, p.snils, p.inn, cz.code, cz.name, p.phone, p.email, p.mr, p.student, "
    "p.is_medical_worker, p.is_pharm_worker, p.ern_id, p.oksm_code, p.oksm_name, p.military_relation, "
    "p.is_disabled, p.disabled_group, p.disabled_group_name, p.disabled_date, p.covid19"
)
_DOCUMENT_COLUMNS = "d.id, dt.code, d.series, d.number, d.issue_date, d.issued_by, d.division_code"
# The address's own columns after id, type, date and region, in mapping.ADDRESS_TEXT's order.
_ADDRESS_COLUMNS = "a.id, a.uid, at.code, a.registration_date, rg.code, " + ", ".join(
    f"a.{model}" for _json, model in ADDRESS_TEXT
)


def _json_rows(vendor: str, columns: str, source: str, order: str) -> str:
    """A scalar subquery: the rows of `source` as a JSON array of arrays, in `order`."""
    if vendor == "postgresql":
        return f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]') {source})"
    # SQLite before 3.44 has no ORDER BY inside aggregates: the rows are ordered in a subquery, whose
    # order its json_group_array keeps.
    names = ", ".join(f"c{i}" for i in range(columns.count(",") + 1))
    aliased = ", ".join(f"{col.strip()} AS c{i}" for i, col in enumerate(columns.split(",")))
    return f"(SELECT json_group_array(json_array({names})) FROM (SELECT {aliased} {source} ORDER BY {order}))"  # noqa: S608


def _sql(vendor: str, *, by_oid: bool, by_snils: bool) -> str:
    key = (vendor, by_oid, by_snils)
    sql = _SQL.get(key)
    if sql is not None:
        return sql
    t = {
        "person": m.Person._meta.db_table,
        "entry": DictionaryEntry._meta.db_table,
        "document": m.IdentityDocument._meta.db_table,
        "address": m.Address._meta.db_table,
        "card": m.EmploymentCard._meta.db_table,
    }
    t = {name: connection.ops.quote_name(table) for name, table in t.items()}
    documents = _json_rows(
        vendor,
        _DOCUMENT_COLUMNS,
        f"FROM {t['document']} d JOIN {t['entry']} dt ON dt.id = d.document_type_id WHERE d.person_id = p.id",
        # The ORM's default order of documents (newest first), then a stable tie-break.
        "d.issue_date DESC, d.id",
    )
    addresses = _json_rows(
        vendor,
        _ADDRESS_COLUMNS,
        f"FROM {t['address']} a JOIN {t['entry']} at ON at.id = a.address_type_id "
        f"JOIN {t['entry']} rg ON rg.id = a.region_id WHERE a.person_id = p.id",
        "a.id",
    )
    conditions = ["p.oid = %(oid)s"] if by_oid else []
    conditions += ["p.snils = %(snils)s"] if by_snils else []
    # The register's visibility rule (frmr.registry.rules.person_visible_to, as the selector
    # persons_visible_to_organization queries it): a card in the organization, or entered by it.
    # tests/frmr/registry/test_rules.py holds this SQL, the selector and the rule to the same persons.
    # (Only table names from the models are formatted into the SQL; values are always parameters.)
    conditions.append(
        f"(EXISTS (SELECT 1 FROM {t['card']} e WHERE e.person_id = p.id AND e.organization_id = %(org)s) "  # noqa: S608
        "OR p.created_by_organization_id = %(org)s)"
    )
    # The version comes last, for the ETag header (versions.py): the JSON is built from the rest.
    sql = (
        f"SELECT {_PERSON_COLUMNS}, {documents}, {addresses}, p.version "  # noqa: S608
        f"FROM {t['person']} p LEFT JOIN {t['entry']} cz ON cz.id = p.citizenship_id "
        f"WHERE {' AND '.join(conditions)} LIMIT 2"
    )
    _SQL[key] = sql
    return sql


_SQL: dict[tuple[str, bool, bool], str] = {}


def _bool(value: Any) -> bool | None:
    # SQLite gives booleans as 0/1.
    return None if value is None else bool(value)


def _array(value: Any) -> list[list[Any]]:
    # PostgreSQL's json arrives parsed; SQLite's JSON is text.
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def _address(row: list[Any]) -> dict[str, Any]:
    pk, uid, kind, registered, region, *texts = row
    return {
        "addressId": uid or str(pk),
        "regDate": date_out(registered),
        "addressTypeId": code_value(kind),
        "address": {
            "region": code_value(region),
            **{json_name: text for (json_name, _model), text in zip(ADDRESS_TEXT, texts, strict=True)},
        },
    }


def _person(row: tuple[Any, ...]) -> dict[str, Any]:
    (_pk, oid, last, first, patronymic, gender, birth, place, death, snils, inn, cz_code, cz_name, phone,
     email, mr, student, medical, pharm, ern_id, oksm_code, oksm_name, military, disabled, disabled_group,
     disabled_group_name, disabled_date, covid19, documents, addresses) = row  # fmt: skip
    # Keys in mapping.person_out's order: tests/frmr/integration/api/test_reads.py holds the two to the
    # same answer.
    return {
        "oid": oid,
        "mr": bool(mr),
        "student": bool(student),
        "isMedicalWorker": bool(medical),
        "isPharmWorker": bool(pharm),
        "ernId": ern_id,
        "lastName": last,
        "firstName": first,
        "patronymic": patronymic,
        "gender": gender,
        "birthDate": date_out(birth),
        "birthPlace": place,
        "deathDate": date_out(death),
        "snils": snils,
        "inn": inn,
        "citizenShipId": None if cz_code is None else {"code": code_value(cz_code), "name": cz_name},
        "militaryRelationId": military,
        "phone": phone,
        "email": email,
        "isDisabled": _bool(disabled),
        "disabledGroupId": disabled_group,
        "disabledGroupName": disabled_group_name,
        "disabledDate": date_out(disabled_date),
        "covid19": _bool(covid19),
        "oksmId": oksm_out(oksm_code, oksm_name),
        "documents": [
            {
                "documentId": code_value(kind),
                "serial": series,
                "number": number,
                "passDate": date_out(issued),
                "passOrg": issued_by,
                "codeOrg": division,
            }
            for _doc_pk, kind, series, number, issued, issued_by, division in _array(documents)
        ],
        "addresses": [_address(item) for item in _array(addresses)],
    }


def _key(organization_id: int, oid: str | None, snils: str | None) -> tuple[str, int, str | None, str | None]:
    return ("person", organization_id, oid, snils)


def persons_with_contacts(
    *,
    organization: m.Organization,
    oid: str | None,
    snils: str | None,
    request: HttpRequest | None = None,
) -> list[dict[str, Any]]:
    """Up to two persons the organization may see with this OID and/or СНИЛС (normalized; None = any),
    as `GET person` shows them. Uses the rows TokenAuth read ahead in `request`, if it read these."""
    assert oid is not None or snils is not None
    rows = read_ahead_rows(request, _key(organization.pk, oid, snils)) if request is not None else None
    if rows is None:
        sql = _sql(connection.vendor, by_oid=oid is not None, by_snils=snils is not None)
        params = {"oid": oid, "snils": snils, "org": organization.pk}
        rows = fetch_prepared(sql, params, using=replicas.raw_read_alias())
    return [VersionedContent(_person(row[:-1]), row[-1]) for row in rows]


_READ_AHEAD_PARAMETERS = frozenset({"mo", "oid", "snils", "mr"})


def person_read_ahead(request: HttpRequest, token: ApiToken) -> ReadAhead | None:
    """For TokenAuth: `GET person`'s read, if the raw query string plainly names one (mo of the token's
    organization, a well-formed СНИЛС and/or an OID). Anything else is left to the operation."""
    query = request.GET
    mo = query.get("mo")
    if not set(query) <= _READ_AHEAD_PARAMETERS or (mo is not None and mo != token.organization.oid):
        return None
    oid_raw, snils_raw = query.get("oid"), query.get("snils")
    oid = oid_raw.strip() if oid_raw else None  # read as lookup.find_person_with_contacts reads them
    snils = None
    if snils_raw:
        try:
            validate_snils(snils_raw)
        except ValidationError:
            return None  # the operation answers 400
        snils = normalize_snils(snils_raw)
    if oid is None and snils is None:
        return None
    sql = _sql(connection.vendor, by_oid=oid is not None, by_snils=snils is not None)
    params = {"oid": oid, "snils": snils, "org": token.organization_id}
    return ReadAhead(key=_key(token.organization_id, oid, snils), sql=sql, params=params)
