"""Lazy text for the OpenAPI document, where ninja and pydantic type a title, summary or description as str.

The schemas and operations are declared at import, before any request has a language; the document is
rendered per request by DjangoJSONEncoder, which turns a lazy string into the active language's text. The
casts only tell mypy what ninja and pydantic accept in practice. Messages in answers and errors are never
lazy: they are translated with `gettext` while the request is handled.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils import text, translation


def gettext_lazy(message: str) -> str:
    return cast(str, translation.gettext_lazy(message))


def format_lazy(format_string: str, **values: Any) -> str:
    return cast(str, text.format_lazy(format_string, **values))
