"""Sections of the personal file (`person/prof`, …, `person/nomination`) and `person/card`.

GET without `entityId` lists the person's records of the section, with it returns one; POST adds a
record; PUT (with `entityId`) replaces its fields; DELETE (with `entityId`) removes it. A record may be
changed or removed only by the organization that entered it, cards only by their own organization.

No `from __future__ import annotations` here: django-ninja must see the evaluated body type of the views
made per section (`body_schema` is a variable).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from frmr.audit.actors import Actor
from frmr.integration.api import answers as a
from frmr.integration.api import mapping as mp
from frmr.integration.api import schemas as s
from frmr.integration.api import specs as sp
from frmr.integration.api.core import ApiError, acting, not_found, ok, organization_for
from frmr.integration.api.lookup import (
    entity_id,
    find_person,
    find_person_for_hire,
    update_refusals,
    validation,
)
from frmr.integration.api.persons import ERRORS
from frmr.integration.api.text import format_lazy, gettext_lazy
from frmr.integration.api.versions import if_match, with_etag
from frmr.registry import models as m
from frmr.registry import services

router = Router()


def _section_record(
    spec: sp.SectionSpec, organization: m.Organization, q: s.RecordQuery | s.RecordRequiredQuery
) -> m.PersonSection:
    person = find_person(organization, q)
    pk = entity_id(q, required=True)
    record = (
        spec.model.objects.select_related(*spec.related)  # type: ignore[attr-defined]
        .filter(person=person, pk=pk)
        .first()
    )
    if record is None:
        raise not_found(
            _("У работника нет записи раздела «%(title)s» с entityId %(pk)s.")
            % {"title": spec.title, "pk": pk}
        )
    return record  # type: ignore[no-any-return]


def _own(record: m.PersonSection, organization: m.Organization) -> None:
    # The registry services trust a caller with no user (actor=actor): the API enforces ownership here.
    if record.organization_id != organization.pk:
        raise ApiError(
            403,
            _(
                "Эту запись внесла другая организация: изменить или удалить её может только она "
                "или администратор регистра."
            ),
        )


def _register_section(spec: sp.SectionSpec) -> None:
    path = f"person/{spec.resource}"
    tags = [path]
    body_schema: type[Schema] = spec.schema

    op = f"{spec.resource}_"

    @router.get(
        path,
        response={200: a.section_envelope(spec.resource, single=spec.single), **ERRORS},
        tags=tags,
        summary=format_lazy(
            gettext_lazy("{title}: запись") if spec.single else gettext_lazy("{title}: список или запись"),
            title=spec.title,
        ),
        operation_id=op + "get",
    )
    def section_get(request: HttpRequest, q: Query[s.RecordQuery]) -> HttpResponse:
        organization = organization_for(request, q.mo)
        if q.entityId:
            record = _section_record(spec, organization, q)
            return with_etag(ok(request, spec.to_json(record)), record.version)
        person = find_person(organization, q, shape=lambda qs: qs.only("pk"))
        records = spec.model.objects.filter(person=person).select_related(*spec.related)  # type: ignore[attr-defined]
        if spec.single:
            record = records.first()
            return ok(request, None if record is None else spec.to_json(record))
        return ok(request, [spec.to_json(r) for r in records])

    @router.post(
        path,
        response={200: s.WrittenEnvelope, **ERRORS},
        tags=tags,
        summary=format_lazy(gettext_lazy("{title}: добавить"), title=spec.title),
        operation_id=op + "post",
        openapi_extra=s.record_links(spec.resource),
    )
    def section_post(request: HttpRequest, q: Query[s.PersonQuery], payload: body_schema) -> HttpResponse:  # type: ignore[valid-type]
        organization = organization_for(request, q.mo)
        person = find_person(organization, q)
        if spec.single:
            existing = spec.model.objects.filter(person=person).first()  # type: ignore[attr-defined]
            if existing is not None:
                raise ApiError(
                    409,
                    _(
                        "Сведения раздела «%(title)s» у работника уже есть (%(id_key)s %(pk)s): измените их "
                        "запросом PUT person/%(resource)s?…&entityId=%(pk)s."
                    )
                    % {
                        "title": spec.title,
                        "id_key": spec.id_key,
                        "pk": existing.pk,
                        "resource": spec.resource,
                    },
                )
        actor = acting(request)
        try:
            record = services.section_create(
                actor=actor,
                organization=organization,
                person=person,
                model=spec.model,
                data=spec.from_body(payload),
            )
        except ValidationError as error:
            raise validation(error, spec.name) from None
        except IntegrityError:
            # Another request added the only record of a 0..1 section between our check and insert.
            raise ApiError(
                409, _("Сведения раздела «%(title)s» у работника уже есть.") % {"title": spec.title}
            ) from None
        return ok(request, {"entityId": str(record.pk)})

    @router.put(
        path,
        response={200: s.WrittenEnvelope, **ERRORS},
        tags=tags,
        summary=format_lazy(gettext_lazy("{title}: изменить"), title=spec.title),
        operation_id=op + "put",
    )
    def section_put(
        request: HttpRequest,
        q: Query[s.RecordRequiredQuery],
        payload: body_schema,  # type: ignore[valid-type]
    ) -> HttpResponse:
        organization = organization_for(request, q.mo)
        record = _section_record(spec, organization, q)
        _own(record, organization)
        expected = if_match(request)
        actor = acting(request)
        with update_refusals(spec.name):
            saved = services.section_update(
                actor=actor,
                organization=organization,
                section=record,
                data=spec.from_body(payload),
                expected_version=expected,
            )
        return with_etag(ok(request, {"entityId": str(record.pk)}), saved.version)

    @router.delete(
        path,
        response={200: s.WrittenEnvelope, **ERRORS},
        tags=tags,
        summary=format_lazy(gettext_lazy("{title}: удалить"), title=spec.title),
        operation_id=op + "delete",
    )
    def section_delete(request: HttpRequest, q: Query[s.RecordRequiredQuery]) -> HttpResponse:
        organization = organization_for(request, q.mo)
        record = _section_record(spec, organization, q)
        _own(record, organization)
        pk = record.pk
        actor = acting(request)
        services.section_delete(actor=actor, organization=organization, section=record)
        return ok(request, {"entityId": str(pk)})

    for view in (section_get, section_post, section_put, section_delete):
        view.__name__ = f"{view.__name__}_{spec.resource}"


for _spec in sp.SECTIONS.values():
    _register_section(_spec)


# --------------------------------------------------------------------------------------------- Cards

CARD_TAGS = ["person/card"]


def _card_name(field: str) -> str:
    if field.startswith("temporaryDerelictions"):
        return field
    return mp.CARD_NAMES.get(field, field)


def _department(organization: m.Organization, body: s.CardIn) -> m.Department:
    department = m.Department.objects.filter(
        organization=organization, oid=body.nrPmuDepartId.strip()
    ).first()
    if department is None:
        raise ApiError(
            422,
            _("«nrPmuDepartId»: в организации «%(organization)s» нет подразделения с OID %(department)s.")
            % {"organization": organization, "department": body.nrPmuDepartId},
            errors=[{"field": "nrPmuDepartId", "message": _("нет такого подразделения в вашей организации")}],
        )
    return department


def _check_card_mo(organization: m.Organization, body: s.CardIn) -> None:
    if body.oid and body.oid.strip() != organization.oid:
        raise ApiError(
            403,
            _(
                "Карточка с oid %(oid)s — карточка другой организации; токен выдан «%(organization)s» "
                "(OID %(organization_oid)s)."
            )
            % {"oid": body.oid, "organization": organization, "organization_oid": organization.oid},
        )


def _cards(person: m.Person, organization: m.Organization) -> Any:
    return (
        m.EmploymentCard.objects.filter(person=person, organization=organization)
        .select_related("organization", "department", "position", "position_type", "end_reason")
        .prefetch_related("absences__reason")
    )


def _card(
    person: m.Person, organization: m.Organization, q: s.RecordQuery | s.RecordRequiredQuery
) -> m.EmploymentCard:
    pk = entity_id(q, required=True)
    card = _cards(person, organization).filter(pk=pk).first()
    if card is None:
        raise not_found(
            _("У работника нет карточки с id %(pk)s в организации «%(organization)s».")
            % {"pk": pk, "organization": organization}
        )
    return card  # type: ignore[no-any-return]


def _absence_namer(index: int) -> Callable[[str], str]:
    return lambda field: f"temporaryDerelictions[{index}].{mp.ABSENCE_NAMES.get(field, field)}"


def _sync_absences(
    actor: Actor, organization: m.Organization, card: m.EmploymentCard, items: list[s.AbsenceIn]
) -> None:
    """The list replaces the card's periods: matched by reason and start date, others added or removed."""
    existing = {(a.reason.code, a.begin_date): a for a in card.absences.select_related("reason")}
    kept: set[int] = set()
    for index, item in enumerate(items):
        data = mp.absence_data(item)
        match = existing.get((data["reason"] or "", item.beginDate))
        try:
            if match is not None:
                services.absence_update(actor=actor, organization=organization, absence=match, data=data)
                kept.add(match.pk)
            else:
                services.absence_add(actor=actor, organization=organization, card=card, data=data)
        except ValidationError as error:
            raise validation(error, _absence_namer(index)) from None
    for absence in existing.values():
        if absence.pk not in kept:
            services.absence_delete(actor=actor, organization=organization, absence=absence)


@router.get(
    "person/card",
    response={200: a.CardEnvelope, **ERRORS},
    tags=CARD_TAGS,
    summary=gettext_lazy("Карточки: список или одна"),
    operation_id="card_get",
)
def card_get(request: HttpRequest, q: Query[s.RecordQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    person = find_person(organization, q, shape=lambda qs: qs.only("pk"))
    if q.entityId:
        card = _card(person, organization, q)
        return with_etag(ok(request, mp.card_out(card)), card.version)
    return ok(request, [mp.card_out(c) for c in _cards(person, organization)])


@router.post(
    "person/card",
    response={200: s.WrittenEnvelope, **ERRORS},
    tags=CARD_TAGS,
    summary=gettext_lazy("Приём на работу"),
    operation_id="card_post",
    openapi_extra=s.record_links("card"),
)
def card_post(request: HttpRequest, q: Query[s.PersonQuery], payload: s.CardIn) -> HttpResponse:
    organization = organization_for(request, q.mo)
    _check_card_mo(organization, payload)
    person = find_person_for_hire(organization, q)
    department = _department(organization, payload)
    actor = acting(request)
    with transaction.atomic():
        try:
            card = services.card_hire(
                actor=actor, organization=organization, person=person, data=mp.card_data(payload, department)
            )
            if payload.endDate is not None or payload.fireReasonId is not None:
                card = services.card_dismiss(
                    actor=actor,
                    organization=organization,
                    card=card,
                    end_date=payload.endDate,
                    end_reason=s.code_of(payload.fireReasonId),
                )
        except ValidationError as error:
            raise validation(error, _card_name) from None
        if payload.temporaryDerelictions:
            _sync_absences(actor, organization, card, payload.temporaryDerelictions)
    return ok(request, {"entityId": str(card.pk)})


@router.put(
    "person/card",
    response={200: s.WrittenEnvelope, **ERRORS},
    tags=CARD_TAGS,
    summary=gettext_lazy("Изменить карточку, уволить"),
    operation_id="card_put",
)
def card_put(request: HttpRequest, q: Query[s.RecordRequiredQuery], payload: s.CardIn) -> HttpResponse:
    organization = organization_for(request, q.mo)
    _check_card_mo(organization, payload)
    person = find_person(organization, q, shape=lambda qs: qs.only("pk"))
    card = _card(person, organization, q)
    department = _department(organization, payload)
    data = mp.card_data(payload, department)
    dismissing = card.end_date is None and payload.endDate is not None
    if not dismissing:
        data["end_date"] = payload.endDate
        data["end_reason"] = s.code_of(payload.fireReasonId)
    expected = if_match(request)
    actor = acting(request)
    with transaction.atomic():
        with update_refusals(_card_name):
            card = services.card_update(
                actor=actor, organization=organization, card=card, data=data, expected_version=expected
            )
            if dismissing:
                # A dismissal is its own audited event («Увольнение»), not a correction of the card.
                card = services.card_dismiss(
                    actor=actor,
                    organization=organization,
                    card=card,
                    end_date=payload.endDate,
                    end_reason=s.code_of(payload.fireReasonId),
                )
        if payload.temporaryDerelictions is not None:
            _sync_absences(actor, organization, card, payload.temporaryDerelictions)
    return with_etag(ok(request, {"entityId": str(card.pk)}), card.version)


@router.delete(
    "person/card",
    response={200: s.WrittenEnvelope, **ERRORS},
    tags=CARD_TAGS,
    summary=gettext_lazy("Удалить ошибочную карточку"),
    operation_id="card_delete",
)
def card_delete(request: HttpRequest, q: Query[s.RecordRequiredQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    person = find_person(organization, q, shape=lambda qs: qs.only("pk"))
    card = _card(person, organization, q)
    pk = card.pk
    actor = acting(request)
    services.card_delete(actor=actor, organization=organization, card=card)
    return ok(request, {"entityId": str(pk)})
