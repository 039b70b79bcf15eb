"""Two operators in two browsers edit «Личные данные» at once (issue 13, point 6)."""

from __future__ import annotations

from typing import Any

import pytest

from frmr.accounts.models import Role, User
from frmr.registry.models import Organization, Person
from tests.factories import RoleGrantFactory, UserFactory
from tests.web.mo.test_browser import log_in, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_second_operator_sees_what_changed_and_keeps_the_input(
    page: Any,
    browser: Any,
    live_server: Any,
    screenshot_dir: str,
    operator_a: User,
    org_a: Organization,
    employee: Person,
    dictionaries: None,
) -> None:
    colleague = UserFactory(username="operator-a-colleague", last_name="Петрова")
    RoleGrantFactory(user=colleague, role=Role.OPERATOR, organization=org_a)
    other_context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    other = other_context.new_page()
    try:
        log_in(page, operator_a, live_server)
        log_in(other, colleague, live_server)
        url = f"/mo/employees/{employee.oid}/personal/"
        page.goto(url)
        other.goto(url)

        page.get_by_label("Телефон").fill("+7 912 000-00-02")
        page.get_by_role("button", name="Сохранить").click()
        page.wait_for_url(f"**/mo/employees/{employee.oid}/")

        other.get_by_label("Место рождения").fill("г. Омск")
        other.get_by_role("button", name="Сохранить").click()
        summary = other.locator("[data-error-summary]")
        assert "изменил другой пользователь" in summary.inner_text()
        assert "«Телефон»: сейчас в регистре «+79120000002»" in summary.inner_text()
        assert other.get_by_label("Место рождения").input_value() == "г. Омск"
        shoot(other, screenshot_dir, "stale-save")

        # Having seen the change, the colleague takes the new phone and saves again.
        other.get_by_label("Телефон").fill("+7 912 000-00-02")
        other.get_by_role("button", name="Сохранить").click()
        other.wait_for_url(f"**/mo/employees/{employee.oid}/")
        employee.refresh_from_db()
        assert (employee.phone, employee.birth_place) == ("+79120000002", "г. Омск")
    finally:
        other_context.close()
