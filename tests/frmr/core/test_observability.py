"""JSON log lines with the request id, and the id carried into the tasks a request enqueues."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from frmr.core.observability.logs import JsonFormatter, RequestIdFilter, request_id_bound
from frmr.taskqueue.backend import request_id_of
from frmr.taskqueue.worker import ReconnectingWorker
from tests.frmr.taskqueue import tasks
from tests.frmr.taskqueue.conftest import DB_TASKS


def _record(message: str, *args: Any, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("frmr.test", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    RequestIdFilter().filter(record)
    return record


def test_a_json_line_has_the_request_id_and_the_extra_fields() -> None:
    with request_id_bound("req-1"):
        line = JsonFormatter().format(_record("Файл %s принят", "а.pdf", route="lk:home"))
    entry = json.loads(line)
    assert entry["message"] == "Файл а.pdf принят"
    assert entry["request_id"] == "req-1"
    assert entry["level"] == "WARNING" and entry["logger"] == "frmr.test"
    assert entry["route"] == "lk:home"
    assert entry["time"].endswith("+00:00")


def test_outside_a_request_the_id_is_null() -> None:
    assert json.loads(JsonFormatter().format(_record("x")))["request_id"] is None


def test_an_exception_is_one_line_too() -> None:
    try:
        raise ValueError("сломалось")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line and "сломалось" in json.loads(line)["exception"]


@pytest.mark.django_db
def test_a_task_enqueued_by_a_request_carries_its_id_and_runs_under_it(settings: Any) -> None:
    settings.TASKS = DB_TASKS
    with request_id_bound("req-77"):
        queued = tasks.request_id_seen.enqueue()
        plain = tasks.record.enqueue("x")
    row = DBTaskResult.objects.get(pk=queued.id)
    assert request_id_of(row) == "req-77"
    plain_row = DBTaskResult.objects.get(pk=plain.id)
    assert plain_row.task_result.args == ["x"] and plain_row.task_result.kwargs == {}, "arguments unchanged"

    worker = ReconnectingWorker(
        queue_names=["default"], interval=0.1, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="w-obs", excluded_queue_names=[], heartbeat_seconds=10, sweep_seconds=30,
    )  # fmt: skip
    worker.run_task(row)
    row.refresh_from_db()
    assert row.return_value == "req-77"


@pytest.mark.django_db
def test_a_request_enqueues_under_its_own_id(client: Client, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    assert client.get("/healthz", HTTP_X_REQUEST_ID="probe-5")["X-Request-ID"] == "probe-5"
    with request_id_bound(None):
        queued = tasks.record.enqueue("y")
    assert request_id_of(DBTaskResult.objects.get(pk=queued.id)) is None
