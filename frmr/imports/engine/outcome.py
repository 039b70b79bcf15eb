"""What an import reports: each row's outcome, and the whole file's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from frmr.imports.rows import RowError, shown

PREVIEW_LIMIT = 500
ERROR_LIMIT = 1000

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"
SKIPPED = "skipped"  # applied without the operator's confirmation of its change of ФИО / birth date

ACTION_IDENTITY_SKIPPED = gettext_lazy("пропущена: смена ФИО или даты рождения не подтверждена")


@dataclass
class RowOutcome:
    row: int
    snils: str
    name: str
    status: str
    actions: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # A change of identity: [field label, old, new] per field, and the key that confirms it.
    identity: list[list[str]] = field(default_factory=list)
    identity_key: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = {
            "row": self.row,
            "snils": shown(self.snils),
            "name": shown(self.name),
            "status": self.status,
            "actions": self.actions,
            "errors": [error.as_dict() for error in self.errors],
        }
        if self.identity:
            data["identity"] = self.identity
            data["identity_key"] = self.identity_key
        return data


@dataclass
class ImportResult:
    dry_run: bool
    total: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0, SKIPPED: 0}
    )
    objects: dict[str, int] = field(default_factory=dict)  # what was (or would be) written, by kind
    preview: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    file_errors: list[str] = field(default_factory=list)
    # Every row that changes (or, unconfirmed, would have changed) a person's ФИО or birth date.
    identity: list[dict[str, Any]] = field(default_factory=list)
    identity_count: int = 0

    def add(self, outcome: RowOutcome) -> None:
        self.total += 1
        self.counts[outcome.status] += 1
        if len(self.preview) < PREVIEW_LIMIT:
            self.preview.append(outcome.as_dict())
        if outcome.identity:
            self.identity_count += 1
            if len(self.identity) < ERROR_LIMIT:
                self.identity.append(outcome.as_dict())
        for error in outcome.errors:
            self.error_count += 1
            if len(self.errors) < ERROR_LIMIT:
                self.errors.append(error.as_dict())

    def summary(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "counts": self.counts,
            "objects": self.objects,
            "error_count": self.error_count,
            "identity_count": self.identity_count,
        }
