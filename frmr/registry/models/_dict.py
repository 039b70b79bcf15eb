"""Foreign keys to reference dictionary entries, restricted to one dictionary."""

from __future__ import annotations

from typing import Any

from django.db import models


def dict_fk(
    oid: str, verbose_name: str, *, required: bool = True, **kwargs: Any
) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "nsi.DictionaryEntry",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        limit_choices_to={"dictionary": oid},
        related_name="+",
        null=not required,
        blank=not required,
        **kwargs,
    )
