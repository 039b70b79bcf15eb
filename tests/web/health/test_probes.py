"""/healthz, /readyz and /metrics: what a probe and a Prometheus scrape see, and who may scrape."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from frmr.core.observability import metrics
from tests.frmr.taskqueue import tasks
from tests.frmr.taskqueue.conftest import DB_TASKS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def db_queue(settings: Any) -> None:
    settings.TASKS = DB_TASKS
    settings.FRMR_TASKS_MAX_AGE_SECONDS = 300
    settings.FRMR_METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.FRMR_METRICS_TOKEN = ""


def test_healthz_answers_without_the_database(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert len(queries) == 0


def test_healthz_refuses_a_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_readyz_is_ready_with_database_storage_and_a_fresh_queue(client: Client, settings: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["database"] == {"status": "ok"}
    assert body["storage"] == {"status": "ok"}
    assert body["tasks"]["status"] == "ok"
    assert body["replicas"] == {}
    assert not any(Path(settings.MEDIA_ROOT).rglob("readyz-*")), "the probe file is removed"


def test_readyz_is_503_when_the_queue_is_stale(client: Client) -> None:
    DBTaskResult.objects.filter(pk=tasks.record.enqueue("x").id).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not_ready"
    assert response.json()["tasks"]["status"] == "stale"
    assert response["Retry-After"] == "10"


def test_readyz_is_503_when_the_storage_refuses_a_file(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.storage import FileSystemStorage

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"] == {"status": "unwritable"}


def test_readyz_is_503_when_the_database_does_not_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.health import views

    def broken() -> dict[str, object]:
        raise DatabaseError("no")

    monkeypatch.setattr(views, "queue_health", broken)
    monkeypatch.setattr(views, "_database", lambda: {"status": "unavailable"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "unavailable"}


def _series(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{([^}}]*)\}} (\S+)", line)
        if match and all(f'{key}="{value}"' in match.group(1) for key, value in labels.items()):
            return float(match.group(2))
    return None


def test_metrics_show_latency_by_route_name_and_the_queue(client: Client) -> None:
    tasks.record.enqueue("x")
    client.get("/check/7700000000099")  # a 404 page, still a named route
    client.get("/no/such/page/at/all")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert _series(text, "frmr_http_request_duration_seconds_count", route="public:check", status="4xx")
    assert _series(text, "frmr_http_request_duration_seconds_count", route="unmatched")
    assert "/no/such/page" not in text, "a raw path never becomes a label"
    assert _series(text, "frmr_http_request_db_seconds_count", route="public:check")
    assert _series(text, "frmr_tasks_queue_depth", state="ready") == 1
    assert "frmr_tasks_oldest_ready_seconds " in text
    for name in ("frmr_upload_size_bytes", "frmr_esia_errors_total", "frmr_webhook_failures_total"):
        assert f"# TYPE {name}" in text


def test_metrics_are_refused_to_other_addresses(client: Client) -> None:
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 403
    assert "frmr_" not in response.content.decode()


def test_metrics_accept_an_allowed_network_and_the_token(client: Client, settings: Any) -> None:
    settings.FRMR_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.FRMR_METRICS_TOKEN = "scrape-secret-of-enough-length"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 403
    token = "Bearer scrape-secret-of-enough-length"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION=token).status_code == 200
    wrong = "Bearer scrape-secret-of-enough-lengtH"
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_AUTHORIZATION=wrong).status_code == 403


def test_the_api_process_group_answers_the_probes_too() -> None:
    from wsgiref.util import setup_testing_defaults

    from frmr.integration.api.wsgi import ApiWSGIHandler

    environ: dict[str, Any] = {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET", "HTTP_X_REQUEST_ID": "api-1"}
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = environ["HTTP_HOST"] = "127.0.0.1"
    answered: list[Any] = []
    body = b"".join(ApiWSGIHandler()(environ, lambda status, headers: answered.append((status, headers))))
    status, headers = answered[0]
    assert status.startswith("200")
    assert ("X-Request-ID", "api-1") in headers
    assert json.loads(body) == {"status": "alive"}


def test_every_response_names_its_request_id(client: Client) -> None:
    uuid = r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"
    generated = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(uuid, generated)
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-42.abc")["X-Request-ID"] == "lb-42.abc"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected=1 ' + "y" * 200)["X-Request-ID"]
    assert re.fullmatch(uuid, hostile), "an id with unsafe characters is replaced"


def test_an_upload_is_observed_by_size() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from frmr.documents.storage import document_store
    from tests.pdfs import pdf_bytes

    histogram = metrics.UPLOAD_BYTES.labels("document")
    before = histogram._sum.get()  # type: ignore[attr-defined]
    stored = document_store(file=SimpleUploadedFile("a.pdf", pdf_bytes()), original_name="a.pdf")
    assert histogram._sum.get() - before == stored.size  # type: ignore[attr-defined]
