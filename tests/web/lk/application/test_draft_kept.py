"""The draft's pages say until when the draft is kept; nobody else sees the draft, and a sent application
says nothing of the kind."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application
from frmr.accreditation.services.drafts import drafts_clean_up

KEPT = "Черновик хранится до 5 марта 2027 г.; после этого он будет удалён вместе с файлами."
LAST_CHANGE = datetime.datetime(2026, 12, 5, 12, 0)


@pytest.fixture
def old_draft(draft: Application) -> Application:
    Application.objects.filter(pk=draft.pk).update(updated_at=timezone.make_aware(LAST_CHANGE))
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("page", ["lk:application_detail", "lk:application_edit"])
def test_the_owner_sees_until_when_the_draft_is_kept(
    login: Any, old_draft: Application, practising: User, page: str
) -> None:
    response = login(practising).get(reverse(page, kwargs={"pk": old_draft.pk}))
    assert response.status_code == 200
    assert KEPT in response.content.decode()


def test_a_late_reminder_moves_the_day_on(login: Any, old_draft: Application, practising: User) -> None:
    # Reminded only on 1 March (no worker ran before): the draft stays the 14 days the reminder promises.
    drafts_clean_up(now=timezone.make_aware(datetime.datetime(2027, 3, 1, 9, 0)))
    response = login(practising).get(reverse("lk:application_detail", kwargs={"pk": old_draft.pk}))
    assert "Черновик хранится до 15 марта 2027 г.;" in response.content.decode()


def test_another_worker_cannot_see_the_draft(login: Any, old_draft: Application, other_worker: User) -> None:
    client = login(other_worker)
    for page in ("lk:application_detail", "lk:application_edit"):
        response = client.get(reverse(page, kwargs={"pk": old_draft.pk}))
        assert response.status_code == 404
        assert "Черновик хранится" not in response.content.decode()


def test_a_sent_application_is_kept_for_good(
    login: Any, complete_draft: Application, practising: User
) -> None:
    services.application_submit(application=complete_draft, actor=practising)
    response = login(practising).get(reverse("lk:application_detail", kwargs={"pk": complete_draft.pk}))
    assert response.status_code == 200
    assert "Черновик хранится" not in response.content.decode()
