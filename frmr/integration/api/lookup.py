"""Finding the person and the record a request names, within what the organization may see."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from frmr.core.validators import normalize_snils, validate_snils
from frmr.integration.api import mapping as mp
from frmr.integration.api import schemas as s
from frmr.integration.api.core import ApiError, from_django_validation, not_found
from frmr.integration.api.reads import persons_with_contacts
from frmr.integration.api.versions import VersionedContent, precondition_failed
from frmr.registry import models as m
from frmr.registry.selectors import person_get_by_snils, persons_visible_to_organization
from frmr.registry.services.versions import StaleVersionError

T = TypeVar("T")


def clean_snils(raw: str) -> str:
    try:
        validate_snils(raw)
        return normalize_snils(raw)
    except ValidationError as error:
        raise ApiError(
            400,
            _("Параметр snils: %(message)s") % {"message": error.messages[0]},
            errors=[{"field": "snils", "message": error.messages[0]}],
        ) from None


def _identity_filter(queryset: QuerySet[m.Person], q: s.PersonQuery) -> tuple[QuerySet[m.Person], str]:
    """Filter by every identifier given (they must all fit one person); also a description for messages."""
    if not (q.oid or q.snils or q.documentId is not None):
        raise ApiError(
            400,
            _(
                "Укажите работника: параметр oid, snils или documentId вместе с number "
                "(номер документа, удостоверяющего личность)."
            ),
        )
    said: list[str] = []
    if q.oid:
        queryset = queryset.filter(oid=q.oid.strip())
        said.append(f"OID {q.oid.strip()}")
    if q.snils:
        snils = clean_snils(q.snils)
        queryset = queryset.filter(snils=snils)
        said.append(_("СНИЛС %(snils)s") % {"snils": snils})
    if q.documentId is not None:
        if not q.number:
            raise ApiError(400, _("С параметром documentId укажите и number — номер документа."))
        documents = m.IdentityDocument.objects.filter(
            person=OuterRef("pk"), document_type__code=str(q.documentId), number=q.number.strip()
        )
        if q.serial:
            documents = documents.filter(series=q.serial.strip())
        if q.passDate:
            documents = documents.filter(issue_date=q.passDate)
        queryset = queryset.filter(Exists(documents))
        said.append(
            (
                _("документ %(type)s %(serial)s %(number)s")
                % {"type": q.documentId, "serial": q.serial or "", "number": q.number}
            ).replace("  ", " ")
        )
    if q.lastName and q.lastName.strip():
        said.append(_("фамилия %(last_name)s") % {"last_name": q.lastName.strip()})
    return queryset, ", ".join(said)


def _surname_fits(person: m.Person, q: s.PersonQuery) -> bool:
    # The real register reads a card by the worker's OID and surname: a surname given must fit too.
    # Compared here, not in SQL: SQLite's case-insensitive match knows only Latin letters.
    return (
        not (q.lastName and q.lastName.strip())
        or person.last_name.casefold() == q.lastName.strip().casefold()
    )


def person_queryset_with_contacts(queryset: QuerySet[m.Person]) -> QuerySet[m.Person]:
    """Personal data with documents and addresses: three queries however many there are."""
    return queryset.select_related("citizenship").prefetch_related(
        Prefetch("documents", queryset=m.IdentityDocument.objects.select_related("document_type")),
        Prefetch("addresses", queryset=m.Address.objects.select_related("address_type", "region")),
    )


def find_person(
    organization: m.Organization,
    q: s.PersonQuery,
    *,
    shape: Callable[[QuerySet[m.Person]], QuerySet[m.Person]] | None = None,
) -> m.Person:
    queryset, said = _identity_filter(persons_visible_to_organization(organization=organization), q)
    if shape:
        queryset = shape(queryset)
    found = list(queryset[:2])
    if q.lastName and q.lastName.strip():
        found = [person for person in found if _surname_fits(person, q)]
    return _the_one(found, organization, said)


def find_person_with_contacts(
    organization: m.Organization, q: s.PersonQuery, *, request: HttpRequest | None = None
) -> dict[str, Any]:
    """`GET person`'s content: personal data, documents and addresses of the one person `q` names
    (with `request`, its rows may already have been read by TokenAuth: reads.person_read_ahead)."""
    if q.documentId is not None or q.lastName or not (q.oid or q.snils):
        person = find_person(organization, q, shape=person_queryset_with_contacts)
        return VersionedContent(mp.person_out(person), person.version)
    # By OID and/or СНИЛС — what clients ask nearly always — in one statement (reads.py).
    # The same reading of the parameters as _identity_filter's, in the same order.
    said: list[str] = []
    oid = snils = None
    if q.oid:
        oid = q.oid.strip()
        said.append(f"OID {oid}")
    if q.snils:
        snils = clean_snils(q.snils)
        said.append(_("СНИЛС %(snils)s") % {"snils": snils})
    found = persons_with_contacts(organization=organization, oid=oid, snils=snils, request=request)
    return _the_one(found, organization, ", ".join(said))


def _the_one(found: list[T], organization: m.Organization, said: str) -> T:
    if not found:
        raise not_found(
            _(
                "Работник (%(said)s) не найден среди работников организации «%(organization)s». "
                "Организация видит только тех, у кого есть или была карточка в ней."
            )
            % {"said": said, "organization": organization}
        )
    if len(found) > 1:
        raise ApiError(
            409,
            _("Под условия (%(said)s) подходят несколько работников: уточните запрос (oid или snils).")
            % {"said": said},
        )
    return found[0]


def find_person_for_hire(organization: m.Organization, q: s.PersonQuery) -> m.Person:
    """For POST person/card: a person not yet visible may be named by СНИЛС and фамилия together."""
    try:
        return find_person(organization, q)
    except ApiError as error:
        if error.status != 404 or not (q.snils and q.lastName):
            raise
    person = person_get_by_snils(snils=clean_snils(q.snils))
    if person is None or person.last_name.casefold() != q.lastName.strip().casefold():
        raise not_found(
            _(
                "В регистре нет работника со СНИЛС %(snils)s и фамилией «%(last_name)s». Сначала внесите "
                "его: POST person."
            )
            % {"snils": q.snils, "last_name": q.lastName}
        )
    return person


def entity_id(q: s.EntityQuery | s.RecordQuery | s.RecordRequiredQuery, *, required: bool) -> int | None:
    if not q.entityId:
        if required:
            raise ApiError(400, _("Укажите entityId — идентификатор записи (его вернул POST или GET)."))
        return None
    # ASCII digits only: str.isdigit() also accepts "¹" or "²", which int() refuses.
    if not (q.entityId.strip().isascii() and q.entityId.strip().isdigit()) or len(q.entityId.strip()) > 18:
        raise ApiError(
            400,
            _("entityId «%(entity_id)s» — не идентификатор записи: нужно число.") % {"entity_id": q.entityId},
        )
    return int(q.entityId.strip())


def validation(error: ValidationError, names: Callable[[str], str]) -> ApiError:
    if getattr(error, "code", None) == "in_use":
        return ApiError(409, error.messages[0])
    return from_django_validation(error, names)


@contextmanager
def update_refusals(names: Callable[[str], str]) -> Iterator[None]:
    """A PUT's refusals as the API answers them: 412 for a save based on an old version (If-Match),
    otherwise as `validation`."""
    try:
        yield
    except StaleVersionError as error:
        raise precondition_failed(error) from None
    except ValidationError as error:
        raise validation(error, names) from None
