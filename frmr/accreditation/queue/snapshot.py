"""The applicant's name, СНИЛС and region written onto the application when it is sent.

The queue lists and searches hundreds of thousands of applications; reading the register (5 million
persons, their cards and addresses) for every row would make each page cost the register's size. So
the application carries what the queue needs, as it was when the applicant sent it — like the name
written on a paper application — taken again when it is sent after a return for revision. Its history
and the personal file on the application's page are read live.
"""

from __future__ import annotations

from frmr.accreditation.models import ApplicantNameWord, Application
from frmr.core.names import lexicon_add, name_words
from frmr.registry.models import Address, EmploymentCard, Person


def applicant_region_id(person_id: int) -> int | None:
    """The region of the applicant's current employer (the latest hire), else of their address."""
    employer = (
        EmploymentCard.objects.filter(person_id=person_id, end_date__isnull=True)
        .order_by("-begin_date", "-pk")
        .values_list("organization__region_id", flat=True)
        .first()
    )
    if employer is not None:
        return employer
    return (
        Address.objects.filter(person_id=person_id).order_by("pk").values_list("region_id", flat=True).first()
    )


def display_name(person: Person) -> str:
    return " ".join(part for part in (person.last_name, person.first_name, person.patronymic) if part)


def remember_words(words: list[str]) -> None:
    """Add the words to the lexicon the typo search looks spellings up in."""
    lexicon_add(ApplicantNameWord, words)


def take_applicant_snapshot(application: Application) -> None:
    """Set the snapshot fields on `application` (the caller saves it) and extend the lexicon."""
    person = application.person
    application.applicant_name = display_name(person)
    application.applicant_snils = person.snils
    application.name_words = name_words(application.applicant_name)
    application.region_id = applicant_region_id(person.pk)
    remember_words(application.name_words)
