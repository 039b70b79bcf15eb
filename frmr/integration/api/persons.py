"""`person`, `person/list`, `person/full`, `person/accreditation`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from frmr.audit.actors import Actor
from frmr.core.validators import normalize_snils
from frmr.integration.api import answers as a
from frmr.integration.api import mapping as mp
from frmr.integration.api import schemas as s
from frmr.integration.api import specs as sp
from frmr.integration.api.core import ApiError, TokenAuth, acting, ok, ok_page, organization_for
from frmr.integration.api.lookup import (
    find_person,
    find_person_with_contacts,
    person_queryset_with_contacts,
    update_refusals,
    validation,
)
from frmr.integration.api.reads import person_read_ahead
from frmr.integration.api.text import gettext_lazy
from frmr.integration.api.versions import if_match, with_etag
from frmr.registry import models as m
from frmr.registry import services
from frmr.registry.selectors import person_file, person_get_by_snils, persons_visible_to_organization

router = Router(tags=["person"])

ERRORS: dict[Any, Any] = {
    (400, 401, 403, 404, 409, 412, 413, 422, 429, 503): s.ErrorEnvelope,
}


def _person_name(field: str) -> str:
    return mp.PERSON_NAMES.get(field, field)


def _nested(prefix: str, names: dict[str, str]) -> Any:
    return lambda field: f"{prefix}.{names.get(field, field)}"


def _write_contacts(
    *, actor: Actor, organization: m.Organization, person: m.Person, body: s.PersonIn, replace: bool
) -> None:
    """Create (POST) or replace (PUT) the documents and addresses this organization entered.

    Records other organizations entered are kept as they are: only they may change them.
    """
    if body.documents is not None:
        documents = list(person.documents.select_related("document_type"))
        own = {
            (d.document_type.code, d.series, d.number): d
            for d in documents
            if d.organization_id == organization.pk
        }
        others = {
            (d.document_type.code, d.series, d.number)
            for d in documents
            if d.organization_id != organization.pk
        }
        kept: set[int] = set()
        for index, item in enumerate(body.documents):
            data = mp.document_data(item)
            key = (data["document_type"], data["series"].strip(), data["number"].strip())
            try:
                if key in own:
                    services.section_update(
                        actor=actor, organization=organization, section=own[key], data=data
                    )
                    kept.add(own[key].pk)
                elif key not in others:
                    services.section_create(
                        actor=actor,
                        organization=organization,
                        person=person,
                        model=m.IdentityDocument,
                        data=data,
                    )
            except ValidationError as error:
                raise validation(error, _nested(f"documents[{index}]", mp.DOCUMENT_NAMES)) from None
        if replace:
            for doc in own.values():
                if doc.pk not in kept:
                    services.section_delete(actor=actor, organization=organization, section=doc)
    if body.addresses is not None:
        own_list = [
            a for a in person.addresses.select_related("address_type") if a.organization_id == organization.pk
        ]
        by_uid = {mp.address_uid(a): a for a in own_list}
        own_addresses = {a.address_type.code: a for a in own_list}
        kept = set()
        for index, address in enumerate(body.addresses):
            data = mp.address_data(address)
            # The address the client names by its `addressId`; else this organization's of the same type.
            existing = by_uid.get(address.addressId) if address.addressId else None
            if existing is None:
                existing = own_addresses.get(data["address_type"] or "")
            if existing is not None and not address.addressId:
                # Replaced in place: the address keeps the id the client already holds.
                data["uid"] = mp.address_uid(existing)
            try:
                if existing is not None and existing.pk not in kept:
                    services.section_update(
                        actor=actor, organization=organization, section=existing, data=data
                    )
                    kept.add(existing.pk)
                else:
                    services.section_create(
                        actor=actor, organization=organization, person=person, model=m.Address, data=data
                    )
            except ValidationError as error:
                raise validation(error, _nested(f"addresses[{index}]", mp.ADDRESS_NAMES)) from None
        if replace:
            for stale in own_list:
                if stale.pk not in kept:
                    services.section_delete(actor=actor, organization=organization, section=stale)


# The hot read of the API: the token's rate-limit statement reads the person too (TokenAuth.read_ahead).
@router.get(
    "person",
    response={200: a.PersonEnvelope, **ERRORS},
    summary=gettext_lazy("Личные данные работника"),
    operation_id="person_get",
    auth=TokenAuth(read_ahead=person_read_ahead),
)
def person_get(request: HttpRequest, q: Query[s.PersonQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    content = find_person_with_contacts(organization, q, request=request)
    return with_etag(ok(request, content), getattr(content, "version", None))


@router.post(
    "person",
    response={200: s.PersonWrittenEnvelope, **ERRORS},
    summary=gettext_lazy("Внести работника в регистр"),
    operation_id="person_post",
    openapi_extra=s.person_links(),
)
def person_post(request: HttpRequest, q: Query[s.Mo], payload: s.PersonIn) -> HttpResponse:
    organization = organization_for(request, q.mo)
    try:
        snils = normalize_snils(payload.snils)
    except ValidationError:
        snils = None
    if snils:
        existing = person_get_by_snils(snils=snils)
        if existing is not None:
            if persons_visible_to_organization(organization=organization).filter(pk=existing.pk).exists():
                message = _(
                    "Работник со СНИЛС %(snils)s уже есть в регистре (OID %(oid)s). Чтобы изменить его "
                    "данные, отправьте PUT person?mo=%(mo)s&snils=%(snils)s."
                ) % {"snils": snils, "oid": existing.oid, "mo": organization.oid}
            else:
                message = _(
                    "Работник со СНИЛС %(snils)s уже есть в регистре: его внесла другая организация. Чтобы "
                    "принять его на работу, отправьте POST "
                    "person/card?mo=%(mo)s&snils=%(snils)s&lastName=<фамилия>; после этого его данные "
                    "меняются запросом PUT person."
                ) % {"snils": snils, "mo": organization.oid}
            raise ApiError(409, message)
    actor = acting(request)
    with transaction.atomic():
        try:
            person = services.person_create(
                actor=actor, organization=organization, data=mp.person_data(payload)
            )
        except ValidationError as error:
            raise validation(error, _person_name) from None
        _write_contacts(actor=actor, organization=organization, person=person, body=payload, replace=False)
    return ok(request, {"entityId": person.oid, "oid": person.oid})


@router.put(
    "person",
    response={200: s.PersonWrittenEnvelope, **ERRORS},
    summary=gettext_lazy("Изменить личные данные"),
    operation_id="person_put",
)
def person_put(request: HttpRequest, q: Query[s.PersonQuery], payload: s.PersonIn) -> HttpResponse:
    organization = organization_for(request, q.mo)
    person = find_person(organization, q)
    expected = if_match(request)
    actor = acting(request)
    with transaction.atomic():
        with update_refusals(_person_name):
            person = services.person_update(
                actor=actor,
                organization=organization,
                person=person,
                data=mp.person_data(payload),
                expected_version=expected,
            )
        _write_contacts(actor=actor, organization=organization, person=person, body=payload, replace=True)
    return with_etag(ok(request, {"entityId": person.oid, "oid": person.oid}), person.version)


@router.delete(
    "person",
    response={200: s.WrittenEnvelope, **ERRORS},
    summary=gettext_lazy("Удалить ошибочно внесённого работника"),
    operation_id="person_delete",
)
def person_delete(request: HttpRequest, q: Query[s.EntityQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    person = find_person(organization, q)
    oid = person.oid
    actor = acting(request)
    try:
        services.person_delete(actor=actor, organization=organization, person=person)
    except ValidationError as error:
        raise validation(error, _person_name) from None
    return ok(request, {"entityId": oid})


@router.get(
    "person/list",
    response={200: a.PersonPageEnvelope, **ERRORS},
    summary=gettext_lazy("Работники организации (страница)"),
)
def person_list(request: HttpRequest, q: Query[s.ListQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    visible = persons_visible_to_organization(organization=organization)
    total = visible.count()
    page = person_queryset_with_contacts(visible.order_by("last_name", "first_name", "patronymic", "pk"))
    persons = list(page[q.offset : q.offset + q.limit])
    return ok_page(request, [mp.person_out(p) for p in persons], offset=q.offset, limit=q.limit, total=total)


@router.get(
    "person/full",
    response={200: a.FullPersonEnvelope, **ERRORS},
    summary=gettext_lazy("Всё личное дело одним запросом"),
    operation_id="person_full_get",
)
def person_full(request: HttpRequest, q: Query[s.PersonQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    found = find_person(organization, q, shape=lambda qs: qs.only("pk"))
    file = person_file(person=found)
    person = file.person
    content: dict[str, Any] = {
        "oid": person.oid,
        **mp.fields_out(person, mp.PERSON_FIELDS),
        "oksmId": mp.oksm_out(person.oksm_code, person.oksm_name),
        "documents": [mp.document_out(d) for d in file.documents],
        "addresses": [mp.address_out(a) for a in file.addresses],
    }
    for spec in sp.SECTIONS.values():
        records = [spec.to_json(item) for item in getattr(file, spec.attribute)]
        value: Any = (records[0] if records else None) if spec.single else records
        for key in spec.full_keys:
            content[key] = value
    # Only the organization's own cards: another employer's employment is not its business.
    content["personCard"] = [mp.card_out(c) for c in file.cards if c.organization_id == organization.pk]
    content["personAccreditation"] = mp.accreditation_out(person, file.accreditations)
    return ok(request, content)


@router.get(
    "person/accreditation",
    response={200: a.AccreditationEnvelope, **ERRORS},
    summary=gettext_lazy("Аккредитация (только чтение)"),
)
def person_accreditation(request: HttpRequest, q: Query[s.PersonQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    person = find_person(organization, q)
    records = list(m.AccreditationRecord.objects.filter(person=person).select_related("kind", "specialty"))
    return ok(request, mp.accreditation_out(person, records))
