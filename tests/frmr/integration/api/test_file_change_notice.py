"""A worker is told once per API request that changed their file, naming the token as who did it."""

from __future__ import annotations

from typing import Any

import pytest

from frmr.notifications.file_changes import KIND
from frmr.notifications.models import Notification
from frmr.registry.models import Person
from tests.factories import UserFactory
from tests.frmr.integration.api.conftest import EXAMPLE_PERSON
from tests.frmr.integration.api.test_sections import BODIES

pytestmark = pytest.mark.django_db


def test_one_notice_per_request(api_a: Any, api_b: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the request's batch ends here
        assert api_a.post("person", EXAMPLE_PERSON).status_code == 200
    person = Person.objects.get(snils=EXAMPLE_PERSON["snils"])
    user = UserFactory(person=person, snils=person.snils)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_a.post("person/prof", BODIES["prof"][0], snils=person.snils).status_code == 200
    [notice] = Notification.objects.filter(recipient=user, kind=KIND)
    assert "Профессиональное образование" in notice.title and "API-токен" in notice.body
    # Another organization's refused request tells nobody anything.
    with django_capture_on_commit_callbacks(execute=True):
        assert api_b.post("person/prof", BODIES["prof"][0], snils=person.snils).status_code != 200
    assert Notification.objects.filter(recipient=user, kind=KIND).count() == 1
