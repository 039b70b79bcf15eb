"""Test data for accreditation: people with users, role holders, applications in any status.

Kept apart from tests/factories.py (registry-services) until that branch is merged; the fixtures in
tests/frmr/accreditation/conftest.py and tests/web/fac/conftest.py build on these helpers.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from typing import Any

from frmr.accounts.models import Role, RoleGrant, User
from frmr.accreditation import services
from frmr.accreditation.models import Application
from frmr.accreditation.requirements import requirements_for
from frmr.nsi import codes, oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Gender, Person

_seq = itertools.count(1)

# A minimal valid PDF: a document the checks of frmr.documents would accept (one empty page).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

SPECIALTY_THERAPY = "1001"  # Лечебное дело (врачебные, высшее)


def snils_with_checksum(number: int) -> str:
    digits = f"{number:09d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    control = total % 101
    if control == 100:
        control = 0
    return f"{digits}{control:02d}"


def make_person(**overrides: Any) -> Person:
    n = next(_seq)
    data: dict[str, Any] = {
        "oid": f"2026.{n + 1000000:07d}",
        "snils": snils_with_checksum(100_000_000 + n * 7),
        "last_name": "Иванова",
        "first_name": "Мария",
        "patronymic": "Петровна",
        "gender": Gender.FEMALE,
        "birth_date": datetime.date(1985, 3, 14),
        "phone": "+79123456789",
        "email": f"worker{n}@example.ru",
    }
    data.update(overrides)
    return Person.objects.create(**data)


def make_worker(username: str | None = None, person: Person | None = None) -> User:
    person = person or make_person()
    return User.objects.create(
        username=username or f"worker{person.pk}",
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        snils=person.snils,
        person=person,
    )


def make_role_user(role: str, username: str, organization: Any = None) -> User:
    user = User.objects.create(username=username, first_name="Сотрудник", last_name=username.title())
    RoleGrant.objects.create(user=user, role=role, organization=organization)
    return user


def fill_documents(application: Application, actor: User) -> None:
    for requirement in requirements_for(application.kind_code):
        if requirement.required:
            attach(application, actor, requirement.doc_type, 0)


def attach(application: Application, actor: User, doc_type: str, row: int, name: str = "скан.pdf") -> Any:
    n = next(_seq)
    return services.application_document_attach(
        application=application,
        actor=actor,
        doc_type=doc_type,
        row=row,
        storage_name=f"test/{application.pk}/{n}.pdf",
        original_name=name,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES + str(n).encode()).hexdigest(),
        page_count=1,
    )


def fill_draft(
    application: Application,
    actor: User,
    *,
    specialty_code: str = SPECIALTY_THERAPY,
    kind_code: str = codes.ACCREDITATION_PERIODIC,
    consent: bool = True,
) -> Application:
    specialty = DictionaryEntry.objects.of(oids.SPECIALTIES).get(code=specialty_code)
    return services.application_update_draft(
        application=application,
        actor=actor,
        contact_phone="+7 912 345-67-89",
        contact_email="worker@example.ru",
        education_level_code=specialty.attrs["education_level"],
        specialty_kind_code=specialty.attrs["specialty_kind"],
        specialty_code=specialty_code,
        accreditation_kind_code=kind_code,
        comment="",
        consent=consent,
    )


def submitted_application(actor: User, **kwargs: Any) -> Application:
    application = services.application_create_draft(actor=actor)
    application = fill_draft(application, actor, **kwargs)
    fill_documents(application, actor)
    return services.application_submit(application=application, actor=actor)


def registered_application(actor: User, staff: User, **kwargs: Any) -> Application:
    application = submitted_application(actor, **kwargs)
    return services.application_register(application=application, actor=staff)


def at_commission_application(actor: User, staff: User, **kwargs: Any) -> Application:
    application = registered_application(actor, staff, **kwargs)
    return services.application_pass_to_commission(application=application, actor=staff)


ROLE_FAC = Role.FAC_STAFF
ROLE_SECRETARY = Role.SECRETARY
