"""Issue 12.13: the demo shows the role chooser (one person with two roles) and says the signature PIN."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.demo.catalog import ESIA_DEMO_SIGNATURE_PIN
from frmr.demo.loader import load_demo
from frmr.demo.logins import logins_text
from frmr.nsi.services import dictionaries_load

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    dictionaries_load()
    load_demo()


def test_the_two_role_demo_user_is_asked_to_choose(demo: None) -> None:
    lebedev = User.objects.get(esia_oid="1000000003")
    client = Client()
    client.force_login(lebedev)
    response = client.get(reverse("auth:after_login"))
    assert response.status_code == 302 and response["Location"] == reverse("auth:choose_role")
    page = client.get(response["Location"]).content.decode()
    assert "Секретарь" in page or "секретарь" in page
    assert "Медицинский работник" in page or "работник" in page


def test_a_one_role_demo_user_goes_straight_to_the_cabinet(demo: None) -> None:
    ivanova = User.objects.get(esia_oid="1000000001")
    client = Client()
    client.force_login(ivanova)
    assert client.get(reverse("auth:after_login"))["Location"] == "/lk/"


def test_the_pin_is_in_the_readme_and_the_logins_table() -> None:
    users = json.loads((ROOT / "esia_emulator" / "data" / "users.json").read_text(encoding="utf-8"))
    pins = {
        certificate["pin"]
        for user in users["users"]
        for certificate in user.get("certificates", [])
        if "pin" in certificate
    }
    assert pins == {ESIA_DEMO_SIGNATURE_PIN}
    assert f"**`{ESIA_DEMO_SIGNATURE_PIN}`**" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert ESIA_DEMO_SIGNATURE_PIN in logins_text()


def test_the_emulator_demo_table_says_who_is_who_in_russian() -> None:
    for name in ("esia_emulator/data/users.json", "frmr/demo/data/esia_users.json"):
        data = json.loads((ROOT / name).read_text(encoding="utf-8"))
        users = data["users"] if isinstance(data, dict) else data
        for user in users:
            note = user.get("note", "")
            assert not re.search(r"\b[A-Za-z]{3,}\b", note.replace("ЕСИА", "")), (name, note)
