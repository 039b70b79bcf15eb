"""Every page of every role, at 1280 and 390 px: no axe-core violation of any impact, no sideways scroll.

axe-core comes from the npm registry, never a CDN: scripts/test.sh installs a pinned version into
var/npm (`npm install --no-save --prefix var/npm axe-core@…`). Without it the walk fails in CI and is
skipped elsewhere.

Our pages run under a strict CSP (`script-src 'self'`), which blocks a script tag with inline content,
so `page.add_script_tag(path=…)` cannot inject axe. The file's source is evaluated through the
DevTools protocol instead (`page.evaluate`), which CSP does not govern; the page keeps its real
policy, so the walk also catches anything of ours that the policy would block.

Screenshots: var/screenshots/walk-<role>-<page>-<width>.png.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page

from frmr.accounts.models import User
from frmr.accreditation import services as accreditation_services
from frmr.accreditation.models import Application
from frmr.corrections.services import correction_request_create
from frmr.documents.storage import document_storage
from frmr.registry.models import AccreditationRecord, Organization
from tests import accreditation_helpers as helpers
from tests.conftest import IN_CI, allow_only_local
from tests.esia_fixtures import esia_emulator_db, esia_emulator_server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
SHOTS = ROOT / "var" / "screenshots"

# The demo's ЕСИА accounts (frmr/demo/accounts.py).
DOCTOR, NURSE, OPERATOR_A, CENTRE, SECRETARY = (
    "1000000001",
    "1000000002",
    "1000000004",
    "1000000006",
    "1000000007",
)

OVERFLOWING = """(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > limit + 1)
  .slice(-5)
  .map(el => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(
      n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(0, 2).join(' ')),
  }));
}"""


# The cabinets' shared patterns (issue 12, point 8), checked on every page as it is.
PATTERNS = """() => {
  const problems = [];
  const main = document.querySelector('main'), header = document.querySelector('.site-header__inner');
  const mainWidth = main && main.getBoundingClientRect().width;
  const headerWidth = header && header.getBoundingClientRect().width;
  if (main && header && Math.abs(mainWidth - headerWidth) > 1)
    problems.push(`the page is ${mainWidth}px wide, the header ${headerWidth}px`);
  for (const summary of document.querySelectorAll('.error-summary')) {
    const before = summary.previousElementSibling;
    if (!before || !/^H[1-4]$/.test(before.tagName)) {
      const what = before ? before.tagName + '.' + before.className : 'nothing';
      problems.push(`error summary after ${what}, not a heading`);
    }
  }
  for (const input of document.querySelectorAll('input[type=file]')) {
    if (!input.closest('[data-file-pick], [data-doc-row]')) problems.push(`a bare file input #${input.id}`);
  }
  for (const input of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'radio', 'checkbox', 'submit'].includes(input.type)) continue;
    if (!(input.required || input.getAttribute('aria-required') === 'true')) continue;
    const label = input.id && document.querySelector(`label[for="${input.id}"]`);
    if (!label || !label.querySelector('.field__required')) problems.push(`required #${input.id} has no «*»`);
  }
  return problems;
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE} (scripts/test.sh installs it with npm)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text("utf-8")


@pytest.fixture
def stand(settings: Any, live_server: Any, esia_emulator_server: str) -> dict[str, Any]:  # noqa: F811
    """The demo data, plus an application at each step the centre and the commission see."""
    settings.ESIA_BASE_URL = esia_emulator_server
    settings.ESIA_REDIRECT_URI = f"{live_server.url}/login/esia/callback/"
    settings.SITE_URL = live_server.url
    call_command("load_dictionaries", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    users = {oid: User.objects.get(esia_oid=oid) for oid in (DOCTOR, NURSE, OPERATOR_A, CENTRE, SECRETARY)}
    submitted = helpers.submitted_application(users[DOCTOR])
    at_commission = helpers.at_commission_application(users[NURSE], users[CENTRE])
    storage = document_storage()
    for application in (submitted, at_commission):
        for document in application.documents.all():
            storage.save(document.storage_name, ContentFile(helpers.PDF_BYTES))
    # A draft ready to send, for the «Проверьте заявление» page (Лебедев, a worker of МО B, has none).
    drafter = User.objects.get(person__snils="13467925891")
    draft = helpers.fill_draft(accreditation_services.application_create_draft(actor=drafter), drafter)
    helpers.fill_documents(draft, drafter)
    for document in draft.documents.all():
        storage.save(document.storage_name, ContentFile(helpers.PDF_BYTES))
    organization = Organization.objects.get(pk=users[OPERATOR_A].roles.get().organization_id)
    correction = correction_request_create(
        actor=users[DOCTOR],
        organization=organization,
        section="personal",
        text="В отчестве опечатка",
        expected_value="Сергеевна",
    )
    return {
        "url": live_server.url,
        "emulator": esia_emulator_server,
        "users": users,
        "submitted": submitted,
        "at_commission": at_commission,
        "drafter": drafter,
        "draft": draft,
        "correction": correction,
    }


@pytest.fixture
def walker(browser: Browser, stand: dict[str, Any], axe_source: str) -> Iterator[Callable[..., Page]]:
    contexts: list[BrowserContext] = []

    def make(user: User | None = None) -> Page:
        context = browser.new_context(
            base_url=stand["url"], locale="ru-RU", viewport={"width": 1280, "height": 900}
        )
        allow_only_local(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": stand["url"]}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        assert context.external_requests == []  # type: ignore[attr-defined]
        context.close()


def check(page: Page, axe_source: str, name: str, problems: list[str], *, ours: bool = True) -> None:
    """Axe and the width test on the page as it is now, at both widths; problems are collected.

    `ours=False` for the ЕСИА emulator, which imitates Госуслуги: axe and the width apply, but not
    our cabinets' patterns."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
        page.screenshot(path=str(SHOTS / f"walk-{name}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        if scroll > inner:
            problems.append(
                f"{name} @{width}: overflows by {scroll - inner}px: {page.evaluate(OVERFLOWING, inner)}"
            )
        if ours:
            problems.extend(f"{name} @{width}: {problem}" for problem in page.evaluate(PATTERNS))
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        for violation in page.evaluate(RUN_AXE):
            problems.append(f"{name} @{width}: {violation['impact']} {violation['id']}: {violation['nodes']}")
    page.set_viewport_size({"width": 1280, "height": 900})


def visit(page: Page, axe_source: str, path: str, name: str, problems: list[str]) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, (
        f"{name}: {path} answered {response and response.status}"
    )
    check(page, axe_source, name, problems)


def links(
    page: Page, pattern: str, *, skip: str = r"/delete/|/logout/|\.(csv|xlsx|pdf)$|/proof/|template"
) -> list[str]:
    """Same-site links of the page whose path matches `pattern`, each once, in page order."""
    found: list[str] = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        path = href.split("#")[0]
        wanted = path.startswith("/") and re.search(pattern, path) and not re.search(skip, path)
        if wanted and path not in found:
            found.append(path)
    return found


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"


def test_anonymous_pages(walker: Callable[..., Page], axe_source: str, stand: dict[str, Any]) -> None:
    problems: list[str] = []
    page = walker()
    visit(page, axe_source, "/", "anon-start", problems)
    record = AccreditationRecord.objects.exclude(registry_number="").first()
    assert record is not None, "the demo has accreditation records"
    visit(page, axe_source, f"/check/{record.registry_number}", "anon-check-record", problems)
    page.goto("/check/0000000000000000")  # not found: a page of its own, answered 404
    check(page, axe_source, "anon-check-unknown", problems)
    # The search form at /check/ itself (issue 12, point 7) is built in another branch; walked once there.
    if (response := page.goto("/check/")) is not None and response.status != 404:
        check(page, axe_source, "anon-check-form", problems)
    page.goto("/")
    page.get_by_role("link", name="Войти").first.click()
    page.wait_for_url(f"{stand['emulator']}/**")
    check(page, axe_source, "esia-login", problems, ours=False)
    assert problems == [], "\n".join(problems)


def test_worker_pages(walker: Callable[..., Page], axe_source: str, stand: dict[str, Any]) -> None:
    problems: list[str] = []
    page = walker(stand["users"][DOCTOR])
    visit(page, axe_source, reverse("lk:home"), "worker-home", problems)
    paths = links(page, r"^/lk/")
    page.goto(reverse("lk:corrections"))
    paths += [p for p in links(page, r"^/lk/corrections/") if p not in paths]
    page.goto(reverse("lk:application_list"))
    paths += [p for p in links(page, r"^/lk/application/") if p not in paths]
    submitted: Application = stand["submitted"]
    for extra in (
        reverse("lk:correction_new"),
        reverse("lk:application_detail", args=[submitted.pk]),
        reverse("lk:application_sent", args=[submitted.pk]),
    ):
        if extra not in paths:
            paths.append(extra)
    for path in paths:
        if path != reverse("lk:home"):
            visit(page, axe_source, path, f"worker-{slug(path)}", problems)
    page.goto(reverse("lk:correction_new"))
    page.get_by_role("button", name="Отправить запрос").click()
    page.locator(".error-summary").wait_for()
    check(page, axe_source, "worker-correction-errors", problems)
    assert problems == [], "\n".join(problems)


def test_application_review_page(walker: Callable[..., Page], axe_source: str, stand: dict[str, Any]) -> None:
    problems: list[str] = []
    page = walker(stand["drafter"])
    path = reverse("lk:application_review", args=[stand["draft"].pk])
    visit(page, axe_source, path, "worker-application-review", problems)
    assert page.url.endswith(path), page.url  # the draft passed its checks: the review page itself
    assert problems == [], "\n".join(problems)


def test_operator_pages(walker: Callable[..., Page], axe_source: str, stand: dict[str, Any]) -> None:
    problems: list[str] = []
    page = walker(stand["users"][OPERATOR_A])
    visit(page, axe_source, reverse("mo:home"), "operator-employees", problems)
    person = stand["users"][DOCTOR].person
    person_path = reverse("mo:person", args=[person.oid])
    visit(page, axe_source, person_path, "operator-person", problems)
    paths = links(page, r"^/mo/(employees|cards)/")
    paths += [
        reverse("mo:add"),
        reverse("mo:import"),
        reverse("mo:tokens"),
        reverse("mo:corrections"),
        reverse("mo:correction", args=[stand["correction"].pk]),
        reverse("mo:organization"),
    ]
    seen: set[str] = set()
    for path in paths:
        shape = re.sub(r"\d+", "N", path)  # one page of each kind: the section forms repeat
        if path != person_path and shape not in seen:
            seen.add(shape)
            visit(page, axe_source, path, f"operator-{slug(path)}", problems)
    for path, button, name in (
        (reverse("mo:section_add", args=[person.oid, "additional"]), "Добавить", "operator-section-errors"),
        (reverse("mo:import"), "Проверить файл", "operator-import-errors"),
        (reverse("mo:hire", args=[person.oid]), "Принять на работу", "operator-hire-errors"),
    ):
        page.goto(path)
        page.get_by_role("button", name=button).click()
        page.locator(".error-summary").wait_for()
        check(page, axe_source, name, problems)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("who", [CENTRE, SECRETARY])
def test_centre_pages(walker: Callable[..., Page], axe_source: str, stand: dict[str, Any], who: str) -> None:
    problems: list[str] = []
    role = "centre" if who == CENTRE else "secretary"
    page = walker(stand["users"][who])
    visit(page, axe_source, reverse("fac:home"), f"{role}-queue", problems)
    for key in ("submitted", "at_commission"):
        path = reverse("fac:application", args=[stand[key].pk])
        visit(page, axe_source, path, f"{role}-{key}", problems)
    assert problems == [], "\n".join(problems)


def test_axe_is_pinned_in_the_test_script() -> None:
    """The walk's axe-core is the version scripts/test.sh installs, so a run is reproducible."""
    script = (ROOT / "scripts" / "test.sh").read_text("utf-8")
    pinned = re.search(r"AXE_VERSION=(\d+\.\d+\.\d+)", script)
    assert pinned, "scripts/test.sh must install a pinned axe-core"
    if AXE.exists() and os.environ.get("FRMR_SKIP_AXE_VERSION") != "1":
        installed = re.search(r"axe v(\d+\.\d+\.\d+)", AXE.read_text("utf-8")[:300])
        assert installed and installed.group(1) == pinned.group(1)
