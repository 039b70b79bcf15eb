"""Reads of the register, scoped to the organization that asks.

An organization sees a person who has or had an employment card in it, or whom it entered into the
register itself (so that a person created a moment before the hire is not lost). Everything else is
invisible to it, and lookups of invisible persons fail exactly like lookups of absent ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from frmr.core.validators import normalize_snils
from frmr.registry import models as m
from frmr.registry.catalogue import PERSON_REAL_REGISTER_FIELDS, RECORD_SECTIONS, Section


def persons_visible_to_organization(*, organization: m.Organization) -> QuerySet[m.Person]:
    """The persons frmr.registry.rules.person_visible_to lets the organization see, as one query."""
    # EXISTS instead of a join: no duplicates for persons with several cards, and no DISTINCT to sort.
    has_card = m.EmploymentCard.objects.filter(person=OuterRef("pk"), organization=organization)
    return m.Person.objects.filter(Exists(has_card) | Q(created_by_organization=organization))


def person_is_visible_to(*, person: m.Person, organization: m.Organization) -> bool:
    return persons_visible_to_organization(organization=organization).filter(pk=person.pk).exists()


def person_get_for_organization(*, organization: m.Organization, **lookup: Any) -> m.Person:
    """The person matching `lookup` if the organization may see them; else `Person.DoesNotExist`."""
    return persons_visible_to_organization(organization=organization).get(**lookup)


def person_get_by_snils(*, snils: str) -> m.Person | None:
    """Lookup in the whole register (to open an existing person before a hire); separators allowed."""
    return m.Person.objects.filter(snils=normalize_snils(snils)).first()


def cards_of_organization(
    *, organization: m.Organization, current_only: bool = False
) -> QuerySet[m.EmploymentCard]:
    cards = m.EmploymentCard.objects.filter(organization=organization).select_related(
        "person", "department", "position", "position_type", "end_reason"
    )
    if current_only:
        cards = cards.filter(end_date__isnull=True)
    return cards.order_by("person__last_name", "person__first_name", "-begin_date")


def card_get_for_organization(*, organization: m.Organization, card_id: int) -> m.EmploymentCard:
    """The organization's own card; another organization's answers `EmploymentCard.DoesNotExist`."""
    return m.EmploymentCard.objects.select_related(
        "person", "department", "position", "position_type", "end_reason"
    ).get(pk=card_id, organization=organization)


def department_get_for_organization(*, organization: m.Organization, department_id: int) -> m.Department:
    """The organization's own department; anybody else's answers `Department.DoesNotExist`."""
    return m.Department.objects.get(pk=department_id, organization=organization)


def absence_get_for_organization(*, organization: m.Organization, absence_id: int) -> m.Absence:
    """An absence on one of the organization's cards; anybody else's answers `Absence.DoesNotExist`."""
    return m.Absence.objects.select_related("card__person", "reason").get(
        pk=absence_id, card__organization=organization
    )


def section_record_get(*, section: Section, person: m.Person, record_id: int) -> m.PersonSection:
    """A record of the person's file in `section`; a record of another person answers the section
    model's `DoesNotExist` (catch `ObjectDoesNotExist`: the model is only known at run time)."""
    return section.record_model._default_manager.get(pk=record_id, person=person)


@dataclass
class PersonFile:
    """A whole personal file (личное дело), loaded in a fixed number of queries."""

    person: m.Person
    documents: list[m.IdentityDocument] = field(default_factory=list)
    addresses: list[m.Address] = field(default_factory=list)
    professional_education: list[m.ProfessionalEducation] = field(default_factory=list)
    postgraduate_education: list[m.PostgraduateEducation] = field(default_factory=list)
    additional_education: list[m.AdditionalEducation] = field(default_factory=list)
    certificates: list[m.SpecialistCertificate] = field(default_factory=list)
    accreditations: list[m.AccreditationRecord] = field(default_factory=list)
    qualification_categories: list[m.QualificationCategory] = field(default_factory=list)
    awards: list[m.Award] = field(default_factory=list)
    general_education: list[m.GeneralEducation] = field(default_factory=list)
    memberships: list[m.OrganizationMembership] = field(default_factory=list)
    military_service: list[m.MilitaryService] = field(default_factory=list)
    cards: list[m.EmploymentCard] = field(default_factory=list)

    @property
    def current_cards(self) -> list[m.EmploymentCard]:
        return [card for card in self.cards if card.end_date is None]


def person_file(*, person: m.Person) -> PersonFile:
    """Every section of the file: 1 query for the person + 1 per section + 2 for cards and absences."""
    prefetches = [
        Prefetch(
            section.attribute,
            queryset=section.model._default_manager.select_related("organization", *section.relations),
        )
        for section in RECORD_SECTIONS
        if section.attribute is not None
    ]
    prefetches.append(
        Prefetch(
            "cards",
            queryset=m.EmploymentCard.objects.select_related(
                "organization", "department", "position", "position_type", "end_reason"
            ).prefetch_related(Prefetch("absences", queryset=m.Absence.objects.select_related("reason"))),
        )
    )
    loaded = (
        m.Person.objects.select_related("citizenship", "created_by_organization")
        .prefetch_related(*prefetches)
        .get(pk=person.pk)
    )
    sections = {
        section.attribute: list(getattr(loaded, section.attribute).all())
        for section in RECORD_SECTIONS
        if section.attribute is not None
    }
    return PersonFile(person=loaded, cards=list(loaded.cards.all()), **sections)


def person_real_register_rows(*, person: m.Person) -> list[tuple[str, str]]:
    """The real register's extra person fields that are filled in, as (label, shown value) for a page.

    Both cabinets show them the same way: yes/no in words, dates as ДД.ММ.ГГГГ, empty ones left out.
    """
    rows = []
    for name in PERSON_REAL_REGISTER_FIELDS:
        value = getattr(person, name)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            shown = _("да") if value else _("нет")
        elif isinstance(value, datetime.date):
            shown = value.strftime("%d.%m.%Y")
        else:
            shown = str(value)
        model_field = m.Person._meta.get_field(name)
        assert not model_field.auto_created  # a concrete column, not a reverse relation
        label = str(getattr(model_field, "verbose_name", name))
        rows.append((label[:1].upper() + label[1:], shown))
    return rows
