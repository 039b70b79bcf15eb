"""Two application nodes and two task workers against one database (docs/deploy.md, «Many nodes»).

Real processes: two gunicorn servers of the site (config.wsgi, site and API) and two `task_worker`s,
all on the test database of the shared PostgreSQL server. What one node does, the other sees: a
session made on one is valid on the other, the API's rate limit counts the requests of both, a number
series taken from two processes at once has neither holes nor duplicates, every letter is sent
exactly once although both workers are after them, and the periodic sweep runs one round at a time
across both workers. Runs under CI=true only (it starts servers and processes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from frmr.accounts.models import User
from frmr.integration.services import api_token_create
from frmr.notifications.models import EmailStatus, Notification
from frmr.notifications.services import notification_create
from frmr.registry.models import Organization
from frmr.taskqueue.models import PeriodicLease
from frmr.taskqueue.periodic import SWEEP
from tests.factories import UserFactory, valid_snils
from tests.frmr.taskqueue.conftest import DB_TASKS
from tests.servers import AppServer, ci_only_reason, next_app_port
from tests.smtp import SmtpServer
from tests.taskworker import ROOT, WorkerProcess, database_url, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
if reason := ci_only_reason():
    pytestmark.append(pytest.mark.skip(reason=reason))

RATE = 6
LETTERS = 20


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def nodes(tmp_path: Path, settings: Any) -> Iterator[list[AppServer]]:
    env = {
        "DATABASE_URL": database_url(),
        "FRMR_API_RATE_PER_MINUTE": str(RATE),
        "FRMR_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "FRMR_READYZ_CHECK_STORAGE": "false",
    }
    started: list[AppServer] = []
    try:
        for name in ("a", "b"):
            started.append(AppServer(tmp_path / f"node-{name}.log", next_app_port(), threads=2, **env))
        yield started
    finally:
        for node in started:
            node.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.close()


@pytest.fixture
def workers(tmp_path: Path, smtp: SmtpServer) -> Iterator[list[WorkerProcess]]:
    env = {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "DJANGO_EMAIL_TIMEOUT": "5",
    }
    started = [WorkerProcess(tmp_path / f"worker-{n}.log", f"node-worker-{n}", **env) for n in (1, 2)]
    yield started
    for process in started:
        process.stop()


def test_a_session_made_on_one_node_is_valid_on_the_other(nodes: list[AppServer]) -> None:
    admin = UserFactory(username="admin-nodes", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)  # a session row in the shared database
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    opener = urllib.request.build_opener(_NoRedirect)
    for node in nodes:
        with opener.open(urllib.request.Request(f"{node.url}/admin/", headers={"Cookie": cookie})) as page:
            assert page.status == 200 and "ФРМР — администрирование" in page.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(f"{node.url}/admin/")
        assert refused.value.code == 302, "without the session: sent to the login page"


def test_the_api_rate_limit_counts_the_requests_of_both_nodes(
    nodes: list[AppServer], org_a: Organization, operator_a: User
) -> None:
    _, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    if datetime.now().second > 45:  # the fixed window must not turn over in the middle
        time.sleep(61 - datetime.now().second)
    query = f"/api/frmr/person?mo={org_a.oid}&snils={valid_snils(424242)}"
    statuses = [get(nodes[n % 2].url + query, Authorization=f"Bearer {raw}")[0] for n in range(RATE)]
    assert 429 not in statuses, statuses
    for node in nodes:
        status, body = get(node.url + query, Authorization=f"Bearer {raw}")
        assert status == 429 and f"не больше {RATE} в минуту" in json.loads(body)["errorUserMessage"]


_TAKE_NUMBERS = """
import json, random, time
from django.db import transaction
from frmr.accreditation.numbering import next_number
taken = []
for _ in range(25):
    with transaction.atomic():
        taken.append(next_number(year=2099, series="nodes"))
        time.sleep(random.random() / 50)
print(json.dumps(taken))
"""


def test_numbers_taken_by_two_processes_at_once_have_no_holes_nor_duplicates() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url()}
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", _TAKE_NUMBERS],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    taken = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(taken), outputs
    assert sorted(taken[0] + taken[1]) == list(range(1, 51))
    assert all(numbers == sorted(numbers) for numbers in taken)


def test_two_workers_send_every_letter_exactly_once_and_sweep_one_round_at_a_time(
    workers: list[WorkerProcess], smtp: SmtpServer, settings: Any
) -> None:
    settings.TASKS = DB_TASKS
    users = [
        User.objects.create(username=f"reader{n}", email=f"reader{n}@example.ru") for n in range(LETTERS)
    ]
    notifications = [
        notification_create(recipient=user, kind="test", title="Проверка", body="Текст письма")
        for user in users
    ]
    wait_for(
        lambda: Notification.objects.filter(email_status=EmailStatus.SENT).count() == LETTERS,
        timeout=180,
        what="every letter to be sent",
        log=workers[0].log_path,
    )
    ids = smtp.message_ids()
    assert len(ids) == LETTERS and len(set(ids)) == LETTERS, "each letter once"
    assert {
        n.email_message_id for n in Notification.objects.filter(pk__in=[n.pk for n in notifications])
    } == set(ids)
    assert set(Notification.objects.values_list("email_attempts", flat=True)) == {1}

    # The sweep (every second per worker here): one round per period across both workers.
    wait_for(lambda: PeriodicLease.objects.filter(name=SWEEP).exists(), timeout=30, what="a sweep round")
    first = PeriodicLease.objects.get(name=SWEEP)
    started = time.monotonic()
    holders = set()
    while time.monotonic() - started < 8:
        holders.add(PeriodicLease.objects.get(name=SWEEP).holder)
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    rounds = PeriodicLease.objects.get(name=SWEEP).round - first.round
    # Unled, two workers would sweep twice a second; the lease allows one round per 0.9 s.
    assert 1 <= rounds <= elapsed / 0.9 + 1, (rounds, elapsed)
    assert holders <= {"node-worker-1", "node-worker-2"}
    assert all(worker.alive() for worker in workers)
