"""One phone display format and words agreeing with the person (issue 12.9)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from frmr.core.text import by_gender, format_phone


@pytest.mark.parametrize(
    "stored",
    ["+79165554433", "89165554433", "+7 (916) 555-44-33", "9165554433", "+7 916 555 44 33"],
)
def test_every_way_of_writing_a_number_is_shown_alike(stored: str) -> None:
    assert format_phone(stored) == "+7 916 555-44-33"


@pytest.mark.parametrize("stored", ["", "доб. 12", "+1 212 555 0100"])
def test_what_is_not_a_russian_number_is_shown_as_given(stored: str) -> None:
    assert format_phone(stored) == stored


class Person:
    def __init__(self, gender: int) -> None:
        self.gender = gender


class UserWithPerson:
    def __init__(self, person: object) -> None:
        self.person = person


def test_words_agree_with_the_gender() -> None:
    assert by_gender(Person(2), "уволен", "уволена") == "уволена"
    assert by_gender(Person(1), "уволен", "уволена") == "уволен"
    assert by_gender(UserWithPerson(Person(2)), "Ответил", "Ответила") == "Ответила"
    assert by_gender(UserWithPerson(None), "Ответил", "Ответила", "Кто ответил") == "Кто ответил"


def test_the_template_filters() -> None:
    template = Template('{% load frmr_text %}{{ p|phone }} {{ w|gendered:"принят,принята" }}')
    assert template.render(Context({"p": "+79165554433", "w": Person(2)})) == "+7 916 555-44-33 принята"
