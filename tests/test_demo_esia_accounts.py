"""The demo register and the ЕСИА emulator's accounts describe the same people.

They are two data files in two packages that never import each other, so this test is what keeps
`make run`'s promise: every demo person of the register can log in through the emulator.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = json.loads((ROOT / "frmr/demo/data/people.json").read_text(encoding="utf-8"))["persons"]
ACCOUNTS = json.loads((ROOT / "esia_emulator/data/users.json").read_text(encoding="utf-8"))["users"]


def test_every_demo_person_has_an_esia_account_with_the_same_identity() -> None:
    by_snils = {account["snils"]: account for account in ACCOUNTS}
    for person in PEOPLE:
        account = by_snils.get(person["snils"])
        assert account is not None, f"{person['last_name']} ({person['snils']}) has no ЕСИА account"
        assert (account["last_name"], account["first_name"], account["middle_name"]) == (
            person["last_name"],
            person["first_name"],
            person["patronymic"],
        )
        birth = date.fromisoformat(person["birth_date"]).strftime("%d.%m.%Y")
        assert account["birth_date"] == birth
        assert account["gender"] == ("M" if person["gender"] == 1 else "F")


def test_the_person_without_a_record_has_only_an_esia_account() -> None:
    novikov = "19056783401"
    assert novikov in {account["snils"] for account in ACCOUNTS}
    assert novikov not in {person["snils"] for person in PEOPLE}
