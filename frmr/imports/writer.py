"""Writing many new rows fast: PostgreSQL COPY where available, bulk_create elsewhere.

Django's bulk_create on PostgreSQL sends every value through SQL parameters (arrays for UNNEST), which
costs about as much as the import's whole validation; COPY streams the rows in psycopg's C encoder.
Primary keys are taken from the table's sequence in one query beforehand, so that the new objects get
their ids before being written, as with bulk_create.

Besides model objects, COPY takes `Line`s: rows formatted beforehand (by the import's worker process,
`line_template`) in COPY's text format, with slots for what is known only when writing: the primary
key, the person's id and register OID, the time.
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg._copy_base import TextFormatter
from psycopg.adapt import Transformer

M = TypeVar("M", bound=models.Model)

# Slot markers in values given to `line_template`: characters of Unicode's private use area, which
# COPY's text format passes through unescaped; each becomes a %-placeholder of the template.
SLOT_MARK = "\ue000"
SLOT_PK = "\ue000pk\ue000"
SLOT_PERSON = "\ue000person\ue000"
SLOT_OID = "\ue000oid\ue000"
SLOT_NOW = "\ue000now\ue000"
_MARK = "\ue000".encode()
_SLOTS = {
    SLOT_PK.encode(): b"%(pk)d",
    SLOT_PERSON.encode(): b"%(person)d",
    SLOT_OID.encode(): b"%(oid)b",
    SLOT_NOW.encode(): b"%(now)b",
}


class Line(Protocol):
    """A new row of `model` written from a prepared COPY line; it learns its primary key here."""

    def copy_line(self, model: type[models.Model], pk: int, now: bytes) -> bytes: ...


_copy_disabled = False


@contextlib.contextmanager
def bulk_create_only() -> Iterator[None]:
    """Write with bulk_create even on PostgreSQL, so that a test can compare both paths' results."""
    global _copy_disabled
    previous, _copy_disabled = _copy_disabled, True
    try:
        yield
    finally:
        _copy_disabled = previous


def _use_copy() -> bool:
    return connection.vendor == "postgresql" and not _copy_disabled


def copy_available() -> bool:
    """Whether this connection writes with COPY, and so takes `Line`s."""
    return _use_copy()


def line_template(values: Sequence[Any]) -> bytes:
    """One row in COPY's text format, exactly as `copy.write_row(values)` sends it, as a %-template.

    Values may be (or contain) the SLOT_* markers; the result is filled with
    `template % {b"pk": …, b"person": …, b"oid": b"…", b"now": copy_text(now)}`.
    """
    line = _format_row(values).replace(b"%", b"%%")
    if _MARK in line:
        for marker, slot in _SLOTS.items():
            line = line.replace(marker, slot)
    return line


def copy_text(value: Any) -> bytes:
    """One value in COPY's text format (for a slot of a line template)."""
    return _format_row([value])[:-1]


_formatters = threading.local()


def _format_row(values: Sequence[Any]) -> bytes:
    # psycopg's own formatter, without a connection (the worker process has none): the adapters
    # Django adds to its connections concern loading and ranges, not the types written here.
    formatter = getattr(_formatters, "formatter", None)
    if formatter is None:
        formatter = _formatters.formatter = TextFormatter(Transformer())
    formatter.write_row(values)
    return bytes(formatter.end())


def _copy_columns(model: type[models.Model], *, with_pk: bool) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


@functools.cache
def _blank(model: type[models.Model]) -> tuple[dict[str, Any], dict[str, str]]:
    """The attribute values of a new object with every field at its default, and FK name → attname."""
    defaults: dict[str, Any] = {}
    relations: dict[str, str] = {}
    for field in model._meta.concrete_fields:
        defaults[field.attname] = field.get_default()
        if field.is_relation:
            relations[field.name] = field.attname
    return defaults, relations


def new_instance(model: type[M], **values: Any) -> M:
    """`model(**values)` without Model.__init__: several times faster for tens of thousands of objects.

    Only for the models this package writes, whose defaults are constants (no callables with side
    effects); related objects are kept in the instance's cache exactly as the descriptors would.
    """
    defaults, relations = _blank(model)
    obj = model.__new__(model)
    state = ModelState()
    state.adding = True
    obj.__dict__.update(defaults)
    obj.__dict__["_state"] = state
    cache = state.fields_cache
    for name, value in values.items():
        attname = relations.get(name)
        if attname is None:
            obj.__dict__[name] = value
        else:
            obj.__dict__[attname] = value.pk if value is not None else None
            cache[name] = value
    return obj


@functools.cache
def column_plan(model: type[models.Model]) -> list[tuple[str, models.Field[Any, Any] | None, str | None]]:
    """Per column: its attribute, the field if its value comes from pre_save (auto_now…), and for a
    foreign key the name of the related object whose fresh id it may need to take."""
    plan: list[tuple[str, models.Field[Any, Any] | None, str | None]] = []
    for field in model._meta.concrete_fields:
        computed = (
            field if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else None
        )
        plan.append((field.attname, computed, field.name if field.is_relation else None))
    return plan


def row_values(
    obj: models.Model,
    plan: list[tuple[str, models.Field[Any, Any] | None, str | None]],
    *,
    now: Any = None,
) -> list[Any]:
    """The COPY values of a new object; `now` stands for the auto_now columns if given (a slot)."""
    # Straight from __dict__ (every attribute of a new object is there): getattr and a call per
    # column were a tenth of the import's time.
    values = obj.__dict__
    row = []
    for attname, computed, relation in plan:
        if computed is not None:
            value = computed.pre_save(obj, True) if now is None else now
        else:
            value = values[attname]
            if value is None and relation is not None:
                related = obj._state.fields_cache.get(relation)
                if related is not None:
                    # A foreign key set to an object saved a moment ago takes that object's new id.
                    # Straight into __dict__: the attribute's descriptor would drop the cached object,
                    # and the audit snapshot would then fetch it back one query per row.
                    value = values[attname] = related.pk
        row.append(value)
    return row


def insert_objects(model: type[models.Model], objects: Sequence[models.Model | Line]) -> None:
    """Insert unsaved `objects` of `model` (or prepared `Line`s, with COPY only); each gets its key.

    Values go to COPY as they are on the objects (str, int, date, Decimal…): the models written here
    have no field that needs a database-specific conversion.
    """
    if not objects:
        return
    if not _use_copy():
        instances = [obj for obj in objects if isinstance(obj, models.Model)]
        assert len(instances) == len(objects), "prepared lines need COPY"
        model._default_manager.bulk_create(instances, batch_size=1000)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    plan = column_plan(model)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in meta.concrete_fields)
    alias = connection.alias
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        now = copy_text(timezone.now())
        lines = []
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, new_id in zip(objects, ids, strict=True):
                if not isinstance(obj, models.Model):
                    lines.append(obj.copy_line(model, new_id, now))
                    continue
                obj.pk = new_id
                copy.write_row(row_values(obj, plan))
                obj._state.adding = False
                obj._state.db = alias
            # Written as one block; the order of rows inside a COPY means nothing (the ids are set).
            if lines:
                copy.write(b"".join(lines))


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any] | bytes]
) -> None:
    """Insert plain rows (foreign keys as ids, JSON as data) without making model objects.

    A row may also be a complete line of COPY's text format (bytes, with COPY only).
    """
    if not rows:
        return
    if not _use_copy():
        assert not any(isinstance(row, bytes) for row in rows), "prepared lines need COPY"
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=1000
        )
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in columns]
    names = ", ".join(quote(str(f.column)) for f in fields)  # type: ignore[union-attr]
    as_json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    lines = []
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            if isinstance(row, bytes):
                lines.append(row)
                continue
            values = list(row)
            for i in as_json:
                values[i] = dumps(values[i])
            copy.write_row(values)
        if lines:
            copy.write(b"".join(lines))
