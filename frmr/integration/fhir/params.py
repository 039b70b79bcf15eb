"""Reading the search parameters of a FHIR request; every mistake is a 400 naming the parameter."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.integration.fhir.errors import bad_request

DEFAULT_COUNT = 50
MAX_COUNT = 500

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$")
_PREFIXES = ("eq", "ge", "gt", "le", "lt")


def one(values: Sequence[str], name: str) -> str:
    if len(values) != 1:
        raise bad_request(
            _("Параметр %(name)s указан %(count)s раза: укажите его один раз.")
            % {"name": name, "count": len(values)}
        )
    return values[0]


def count(values: Sequence[str] | None) -> int:
    """`_count`: how many matches a page holds; above MAX_COUNT the page is MAX_COUNT (FHIR lets a
    server return fewer than asked)."""
    if not values:
        return DEFAULT_COUNT
    raw = one(values, "_count")
    if not raw.isdigit() or int(raw) < 1:
        raise bad_request(
            _("_count должен быть целым числом от 1 до %(most)s, а не «%(raw)s».")
            % {"most": MAX_COUNT, "raw": raw}
        )
    return min(int(raw), MAX_COUNT)


def boolean(values: Sequence[str], name: str) -> bool:
    raw = one(values, name)
    if raw not in ("true", "false"):
        raise bad_request(
            _("%(name)s принимает true или false, а не «%(raw)s».") % {"name": name, "raw": raw}
        )
    return raw == "true"


@dataclass(frozen=True)
class Token:
    """`system|value`, `|value` or `value` (system None: any system)."""

    system: str | None
    value: str


def token(raw: str, name: str) -> Token:
    system, bar, value = raw.partition("|")
    if not bar:
        system, value = "", raw
    if not value:
        raise bad_request(
            _("В %(name)s нет значения: укажите «система|значение» или «значение».") % {"name": name}
        )
    return Token(system or None, value)


def reference_id(raw: str, resource_type: str, name: str) -> str:
    """`Type/id`, a full URL ending in it, or a bare id."""
    parts = raw.rstrip("/").split("/")
    if len(parts) >= 2:
        if parts[-2] != resource_type:
            raise bad_request(
                _("%(name)s ссылается на %(resource_type)s: «%(resource_type)s/<id>», а не «%(raw)s».")
                % {"name": name, "resource_type": resource_type, "raw": raw}
            )
        return parts[-1]
    if not raw:
        raise bad_request(
            _("%(name)s пуст: укажите «%(resource_type)s/<id>».")
            % {"name": name, "resource_type": resource_type}
        )
    return raw


def _datetime_range(raw: str, name: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants [start, end) the value stands for at its precision (a day, a second, …)."""
    tz = timezone.get_current_timezone()
    try:
        if _YEAR.match(raw):
            start = datetime.datetime(int(raw), 1, 1, tzinfo=tz)
            return start, start.replace(year=start.year + 1)
        if _MONTH.match(raw):
            year, month = int(raw[:4]), int(raw[5:7])
            start = datetime.datetime(year, month, 1, tzinfo=tz)
            end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
            return start, end
        if _DATE.match(raw):
            start = datetime.datetime.combine(datetime.date.fromisoformat(raw), datetime.time(), tzinfo=tz)
            return start, start + datetime.timedelta(days=1)
        if _DATETIME.match(raw):
            start = datetime.datetime.fromisoformat(raw)
            if start.tzinfo is None:
                start = start.replace(tzinfo=tz)
            time_part = raw.split("T", 1)[1]
            if "." in time_part:
                # ".123" is that millisecond, ".123456" that microsecond.
                digits = len(re.split(r"[Z+-]", time_part.split(".", 1)[1])[0])
                step = datetime.timedelta(microseconds=10 ** (6 - digits))
            elif time_part.count(":") >= 2:
                step = datetime.timedelta(seconds=1)
            else:
                step = datetime.timedelta(minutes=1)
            return start, start + step
    except ValueError:
        pass
    raise bad_request(
        _(
            "%(name)s: «%(raw)s» — не дата FHIR. Укажите ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс+03:00 "
            "(перед датой можно поставить ge, gt, le, lt, eq)."
        )
        % {"name": name, "raw": raw}
    )


@dataclass(frozen=True)
class Bound:
    """`at_least`: the resource's time is ≥ instant; otherwise it is < instant."""

    at_least: bool
    instant: datetime.datetime


def last_updated(values: Sequence[str], name: str = "_lastUpdated") -> list[Bound]:
    bounds: list[Bound] = []
    for raw in values:
        prefix = raw[:2] if raw[:2] in _PREFIXES else "eq"
        start, end = _datetime_range(raw[2:] if raw[:2] in _PREFIXES else raw, name)
        if prefix == "ge":
            bounds.append(Bound(True, start))
        elif prefix == "gt":
            bounds.append(Bound(True, end))
        elif prefix == "le":
            bounds.append(Bound(False, end))
        elif prefix == "lt":
            bounds.append(Bound(False, start))
        else:
            bounds += [Bound(True, start), Bound(False, end)]
    return bounds


def since(values: Sequence[str]) -> datetime.datetime:
    """`_since` of a history: an instant (FHIR asks for one; a date is read as its midnight)."""
    raw = one(values, "_since")
    return _datetime_range(raw, "_since")[0]


# ------------------------------------------------------------------------------------------ Cursor


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (`forward`) or before the row with the sort key `key`."""

    forward: bool
    key: tuple[Any, ...]


def cursor_encode(cursor: Cursor) -> str:
    key = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in cursor.key]
    raw = json.dumps({"d": "n" if cursor.forward else "p", "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(values: Sequence[str], shape: Sequence[type]) -> Cursor:
    """The `_cursor` of a paging link; `shape` is the sort key's types (int, datetime)."""
    raw = one(values, "_cursor")
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        key = data["k"]
        if data["d"] not in ("n", "p") or not isinstance(key, list) or len(key) != len(shape):
            raise ValueError
        parsed: list[Any] = []
        for kind, value in zip(shape, key, strict=True):
            if kind is int and isinstance(value, int) and not isinstance(value, bool):
                parsed.append(value)
            elif kind is datetime.datetime and isinstance(value, str):
                parsed.append(datetime.datetime.fromisoformat(value))
            else:
                raise ValueError
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad_request(
            _("_cursor не распознан: берите ссылки next и previous из полученного Bundle как есть.")
        ) from None
    return Cursor(data["d"] == "n", tuple(parsed))
