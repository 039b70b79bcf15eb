"""Functions the roster's SQL needs on SQLite, registered on every SQLite connection.

SQLite's upper() folds ASCII letters only and it has no trigram similarity; the roster's refresh
(frmr/registry/roster.py, through frmr.core.names.normalize_name_sql) and the typo-tolerant search
(frmr/registry/search.py) call these instead. Both are frmr.core.names functions, not copies.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created

from frmr.core.names import name_similarity, normalize_name


def _upper(value: Any) -> str | None:
    return None if value is None else normalize_name(str(value))


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("frmr_upper", 1, _upper, deterministic=True)
    raw.create_function("frmr_similarity", 2, name_similarity, deterministic=True)


def connect() -> None:
    connection_created.connect(register, dispatch_uid="frmr.registry.sqlite")
