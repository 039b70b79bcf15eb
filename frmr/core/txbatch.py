"""Collecting what one transaction did, to act on it once after it commits.

`transaction_batch(name, flush)` returns a dict that lives as long as the current transaction: the
first call in a transaction registers `flush(data)` with `on_commit`, later calls in the same
transaction return the same dict. A rolled-back transaction drops its callback, and the next call
starts a new batch. Must be called inside an atomic block (outside one, `on_commit` would run at once,
before anything is collected).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

_ATTRIBUTE = "_frmr_transaction_batches"


def transaction_batch(name: str, flush: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("transaction_batch needs an atomic block")
    batches: dict[str, tuple[Callable[[], None], dict[str, Any]]] = connection.__dict__.setdefault(
        _ATTRIBUTE, {}
    )
    current = batches.get(name)
    # Still pending means this transaction registered it: a committed or rolled-back one has been
    # taken off `run_on_commit` (Django's list of (savepoint ids, callback, robust)).
    if current is not None and any(entry[1] is current[0] for entry in connection.run_on_commit):
        return current[1]
    data: dict[str, Any] = {}

    def callback() -> None:
        if batches.get(name, (None,))[0] is callback:
            del batches[name]
        flush(data)

    batches[name] = (callback, data)
    transaction.on_commit(callback, robust=True)
    return data
