"""The request id and the JSON log formatter.

A request's id comes from its `X-Request-ID` header (a proxy or a client may set it; only a short
token of safe characters is believed) or is generated; it is kept in a context variable for the
request's duration, answered in the `X-Request-ID` header, written on every log line, and stored with
every task the request enqueues (frmr/taskqueue/backend.py), whose worker sets it again while the
task runs. So one id finds a request's lines on the web node and its tasks' lines on the workers.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
_TRUSTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_request_id: ContextVar[str | None] = ContextVar("frmr_request_id", default=None)


def request_id_current() -> str | None:
    return _request_id.get()


def request_id_from(header: str | None) -> str:
    """The id a client sent, if it is a short token of safe characters (it goes into logs); else a new one."""
    if header and _TRUSTED_ID.fullmatch(header):
        return header
    # The form the API's envelope has always answered in `requestId` (the real register's form too).
    return str(uuid.uuid4())


@contextmanager
def request_id_bound(value: str | None) -> Iterator[None]:
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


# Attributes every LogRecord has; anything else on a record came from `extra=` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
