"""The employer cabinet's roster: one row per (organization, person) that the organization may see.

Derived data, never edited by itself: every write path calls `frmr.registry.roster.roster_refresh`
in its own transaction, and `manage.py rebuild_roster` recomputes the whole table (docs/roster.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class RosterStatus(models.IntegerChoices):
    ENTERED = (
        0,
        gettext_lazy("не принят на работу"),
    )  # entered into the register by this organization, no card yet
    WORKING = 1, gettext_lazy("работает")  # at least one open card here
    DISMISSED = 2, gettext_lazy("уволен")  # cards here, all of them closed


class RosterEntry(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("организация"),
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="+", verbose_name=gettext_lazy("работник")
    )
    oid = models.CharField(gettext_lazy("OID в регистре"), max_length=16)
    name = models.CharField(gettext_lazy("ФИО"), max_length=302)
    # Upper case, Ё as Е: the key of the list's order and of the trigram search.
    search_name = models.CharField(gettext_lazy("ФИО для поиска"), max_length=302)
    snils = models.CharField(gettext_lazy("СНИЛС"), max_length=11)
    birth_date = models.DateField(gettext_lazy("дата рождения"))
    gender = models.PositiveSmallIntegerField(gettext_lazy("пол"))
    status = models.PositiveSmallIntegerField(gettext_lazy("состояние"), choices=RosterStatus.choices)
    # [{"position", "department", "rate", "begin", "end"}] of the person's cards in this organization.
    cards = models.JSONField(gettext_lazy("карточки"), default=list)

    class Meta:
        verbose_name = gettext_lazy("строка списка сотрудников")
        verbose_name_plural = gettext_lazy("список сотрудников организаций")
        constraints = [
            models.UniqueConstraint(fields=["organization", "person"], name="roster_unique_org_person"),
        ]
        indexes = [
            models.Index(fields=["organization", "search_name", "person"], name="roster_org_name"),
            models.Index(
                fields=["organization", "status", "search_name", "person"], name="roster_org_status"
            ),
            models.Index(fields=["organization", "snils"], name="roster_org_snils"),
            models.Index(fields=["person"], name="roster_person"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return self.name


class RosterFacet(models.Model):
    """A department or a position of a roster row's cards (closed ones too), with the row's sort key.

    The list filtered by a department or a position reads these rows in the order of their index
    (organization, kind, value, search_name, person) and stops after a page — in a department of
    30,000 as in one of 30 — where a containment test on the roster row itself had to fetch and sort
    every matching row. Derived like the roster and refreshed with it (frmr/registry/roster.py).
    """

    class Kind(models.IntegerChoices):
        DEPARTMENT = 1, gettext_lazy("подразделение")
        POSITION = 2, gettext_lazy("должность")

    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="facets")
    # Copies of the row's keys, without constraints of their own: the entry holds those.
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    kind = models.PositiveSmallIntegerField(gettext_lazy("что"), choices=Kind.choices)
    value = models.BigIntegerField(gettext_lazy("подразделение или должность (id)"))
    search_name = models.CharField(gettext_lazy("ФИО для поиска"), max_length=302)
    status = models.PositiveSmallIntegerField(gettext_lazy("состояние"), choices=RosterStatus.choices)

    class Meta:
        verbose_name = gettext_lazy("подразделение или должность в списке сотрудников")
        verbose_name_plural = gettext_lazy("подразделения и должности в списке сотрудников")
        indexes = [
            # With the status and the entry in the index, a filter's count reads the index alone.
            models.Index(
                fields=["organization", "kind", "value", "search_name", "person"],
                include=["status", "entry"],
                name="roster_facet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class RosterWord(models.Model):
    """Every word of the roster's search names (PostgreSQL): where a misspelt word finds its spelling.

    A few hundred thousand words at national scale against millions of names, so a trigram lookup
    here is cheap; words are only added (a stale one finds no rows, and costs nothing) and never unique:
    see `frmr.core.names.lexicon_add_sql` for why.
    """

    word = models.CharField(gettext_lazy("слово"), max_length=100)

    class Meta:
        verbose_name = gettext_lazy("слово ФИО")
        verbose_name_plural = gettext_lazy("слова ФИО")
        indexes = [models.Index(fields=["word"], name="roster_word")]

    def __str__(self) -> str:
        return self.word
