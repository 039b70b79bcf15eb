from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


def version_field() -> models.PositiveIntegerField:  # type: ignore[type-arg]
    """The row's edit counter: every write of the row adds one (frmr.registry.services.versions).

    A form or an API client that loaded version N may save only while the row still holds N, so a
    second editor cannot silently undo the first one's change (docs/registry.md, «Версии записей»).
    """
    # The database default too: raw writers that list their columns (the demo register's COPY) get 1.
    return models.PositiveIntegerField(gettext_lazy("версия"), default=1, db_default=1, editable=False)
