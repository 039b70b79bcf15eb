from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import ApplicantNameWord, Application, ApplicationStatus, RegistrationCounter
from frmr.accreditation.queue.snapshot import applicant_region_id
from frmr.core.names import name_words
from frmr.demo.applications import generate_applications
from frmr.demo.synthetic import generate_register
from frmr.nsi.services import dictionaries_load

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(autouse=True)
def register(db: None) -> None:
    dictionaries_load()
    generate_register(persons=60, batch=30, organizations=3)


def test_a_year_of_applications_as_the_services_would_leave_them() -> None:
    stats = generate_applications(applications=50, batch=20, seed=5)
    assert stats.applications == Application.objects.count() == 50
    words = set(ApplicantNameWord.objects.values_list("word", flat=True))
    for application in Application.objects.select_related("person", "applicant"):
        person = application.person
        assert application.applicant.person_id == person.pk
        assert application.applicant_name.split() == [
            p for p in (person.last_name, person.first_name, person.patronymic) if p
        ]
        assert application.applicant_snils == person.snils
        assert application.region_id == applicant_region_id(person.pk)
        assert application.name_words == name_words(application.applicant_name)
        assert set(application.name_words) <= words
        events = list(application.events.order_by("at", "pk").values_list("from_status", "to_status"))
        assert events[0] == (S.DRAFT, S.SUBMITTED) and events[-1][1] == application.status
        if application.status in (S.SUBMITTED, S.REGISTERED) and not application.returned_at:
            sent = application.submitted_at.astimezone().date()
            assert application.check_deadline == add_working_days(sent, 20)
        if application.status == S.AT_COMMISSION:
            assert application.deadline == application.commission_deadline
    assert Application.objects.filter(status=S.ACCREDITED).exists()
    # The counters are past every number handed out.
    for number in Application.objects.exclude(registration_number=None).values_list(
        "registration_number", flat=True
    ):
        year, _, serial = number.split("-")
        assert RegistrationCounter.objects.filter(year=int(year), last_number__gte=int(serial)).exists()


def test_the_command_stops_when_the_register_runs_out() -> None:
    out = StringIO()
    call_command("generate_applications", applications=100, batch=40, stdout=out)
    assert Application.objects.count() == 60
    assert "не хватило" in out.getvalue()
