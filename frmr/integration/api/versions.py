"""Versions over HTTP: `ETag` on a single record's GET, `If-Match` on its PUT (docs/api.md, «Версии»).

The real register's JSON has no version field, so the version travels in HTTP's own headers and the
bodies stay as they are. A PUT without `If-Match` is applied as before (the last writer wins): clients
written for the real register do not send it. With it, a record changed since the client's GET is
refused with 412 and nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from frmr.integration.api.core import ApiError
from frmr.registry.services.versions import StaleVersionError

_TAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')


class VersionedContent(dict[str, Any]):
    """A record's JSON (serialized as the plain object it is) that also knows the record's version."""

    def __init__(self, content: dict[str, Any], version: int) -> None:
        super().__init__(content)
        self.version = version


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: HttpResponse, version: int | None) -> HttpResponse:
    if version is not None:
        response["ETag"] = etag(version)
    return response


def if_match(request: HttpRequest) -> int | None:
    """The version named by `If-Match`, or None when there is none to check (absent or `*`).

    A weak tag (`W/"3"`, as some proxies rewrite strong ones) is read as the same version: our tags
    are always strong, so the number in it is ours.
    """
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    match = _TAG.match(raw.strip())
    if match is None:
        raise ApiError(
            400,
            _(
                "Заголовок If-Match «%(value)s» не понят: передайте один ETag из ответа GET на эту "
                'запись, например If-Match: "3", или не передавайте заголовок.'
            )
            % {"value": raw[:60]},
        )
    return int(match.group(1))


def precondition_failed(error: StaleVersionError) -> ApiError:
    """412 for a PUT based on an old version; the current ETag comes with it."""
    return ApiError(
        412,
        _(
            "Запись «%(verbose_name)s» изменена после того, как вы её получили: в регистре версия "
            "%(current_version)s, в заголовке If-Match — %(expected_version)s. Изменения не "
            "сохранены. Получите запись заново (GET), перенесите в неё свои изменения и повторите "
            "PUT с новым ETag."
        )
        % {
            "verbose_name": error.model._meta.verbose_name,
            "current_version": error.current_version,
            "expected_version": error.expected_version,
        },
        headers={"ETag": etag(error.current_version)},
    )
