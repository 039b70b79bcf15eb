"""`changes`: the change feed of the token's organization (docs/api.md «Лента изменений», docs/sync.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from frmr.changes.models import ChangeKind
from frmr.changes.selectors import MAX_LIMIT, UnknownPosition, change_feed
from frmr.integration.api import schemas as s
from frmr.integration.api.core import ApiError, json_response, organization_for, request_id
from frmr.integration.api.persons import ERRORS
from frmr.integration.api.text import format_lazy, gettext_lazy

router = Router(tags=["changes"])


class ChangesQuery(s.Mo):
    after: int = Field(
        0,
        ge=0,
        le=9_000_000_000_000_000_000,
        description=gettext_lazy(
            "позиция последнего полученного события (`after` из прошлого ответа); 0 — с начала"
        ),
    )
    limit: int = Field(
        100, ge=1, le=MAX_LIMIT, description=format_lazy(gettext_lazy("не больше {limit}"), limit=MAX_LIMIT)
    )


class ChangeOut(Schema):
    position: int = Field(description=gettext_lazy("позиция события в ленте организации"))
    at: str = Field(description=gettext_lazy("когда изменение записано (ISO 8601)"))
    kind: ChangeKind = Field(
        description=gettext_lazy("created — создана, updated — изменена, deleted — удалена")
    )
    entityType: str = Field(
        description=gettext_lazy("вид записи: registry.person, registry.employmentcard, …")
    )
    entityId: str = Field(description=gettext_lazy("идентификатор записи (entityId в запросах раздела)"))
    personOid: str | None = Field(
        None, description=gettext_lazy("OID работника, чьего личного дела касается запись")
    )


class ChangesEnvelope(s.Envelope):
    content: list[ChangeOut]
    after: int = Field(description=gettext_lazy("передайте в следующем запросе как after"))


@router.get(
    "changes",
    response={200: ChangesEnvelope, **ERRORS},
    summary=gettext_lazy("Лента изменений"),
    description=(
        gettext_lazy(
            "События изменений записей, которые видит организация токена: по транзакциям в порядке их "
            "номеров, события одной транзакции подряд. Ни одно событие не пропускается и не повторяется, "
            "если каждый раз передавать after из прошлого ответа: событие появляется в ленте, когда "
            "завершены все транзакции старше его транзакции (docs/sync.md). Событие не несёт данных: "
            "прочитайте запись (entityType, entityId, personOid) запросом её раздела."
        )
    ),
    operation_id="changes_get",
)
def changes_get(request: HttpRequest, q: Query[ChangesQuery]) -> HttpResponse:
    organization = organization_for(request, q.mo)
    try:
        page = change_feed(organization_id=organization.pk, after=q.after, limit=q.limit)
    except UnknownPosition:
        raise ApiError(
            404,
            _(
                "В ленте организации нет события с позицией %(after)s: передайте after из прошлого "
                "ответа или 0, чтобы читать ленту с начала."
            )
            % {"after": q.after},
            errors=[{"field": "after", "message": _("позиция не из ленты этой организации")}],
        ) from None
    content = [
        {
            "position": event.position,
            "at": event.at.isoformat(),
            "kind": event.kind,
            "entityType": event.entity_type,
            "entityId": event.entity_id,
            "personOid": event.person_oid or None,
        }
        for event in page.events
    ]
    return json_response(
        {
            "requestId": request_id(request),
            "errorUserMessage": None,
            "content": content,
            "after": page.after,
        }
    )
