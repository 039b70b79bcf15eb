"""Foreign keys to reference dictionary entries, restricted to one dictionary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def dict_fk(
    oid: str, verbose_name: StrOrPromise, *, required: bool = True, **kwargs: Any
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


def opt_text(verbose_name: StrOrPromise, max_length: int) -> models.CharField[Any, Any]:
    """An optional text column that bulk writers (COPY with their own column lists) may leave out."""
    return models.CharField(verbose_name, max_length=max_length, blank=True, default="", db_default="")


def opt_json(verbose_name: StrOrPromise) -> models.JSONField[Any, Any]:
    """Nested lists the real register sends inside a record (`courses[]`, `services[]`), kept as sent.

    No default: bulk writers (COPY) take each field's default once, and a shared mutable one would not
    do; null reads as an empty list."""
    return models.JSONField(verbose_name, null=True, blank=True)


def opt_int(verbose_name: StrOrPromise) -> models.IntegerField[Any, Any]:
    return models.IntegerField(verbose_name, null=True, blank=True)


def opt_bool(verbose_name: StrOrPromise) -> models.BooleanField[Any, Any]:
    # None means "not stated", which the real register tells apart from false.
    return models.BooleanField(verbose_name, null=True, blank=True)
