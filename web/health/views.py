"""Health checks and metrics for probes and monitoring: aggregate numbers only, no login needed.

They answer without a session and show no personal data, only states, counts and ages, so that a
probe needs no credentials; a state that needs attention answers 503.

* `/healthz` — the process is alive: answers without touching the database (a liveness probe; a node
  whose database is down is not restarted for it).
* `/readyz` — the node can serve: the primary answers, the document storage takes a file, the task
  queue is not stale; replicas are reported (a lagging or lost replica degrades nothing: reads fall
  back to the primary), 503 when something it needs fails (a readiness probe).
* `/healthz/tasks` — the task queue alone (docs/tasks.md).
* `/metrics` — Prometheus, for FRMR_METRICS_ALLOWED_IPS or the FRMR_METRICS_TOKEN bearer only.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from frmr.accounts.admin_login import client_address
from frmr.core import replicas
from frmr.documents.storage import document_storage
from frmr.taskqueue.selectors import queue_health

logger = logging.getLogger(__name__)
PROBE_PREFIX = "health/readyz-"


@never_cache
@require_safe
def alive(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "alive"})


@never_cache
@require_safe
def tasks(request: HttpRequest) -> JsonResponse:
    """The task queue: 503 when a due task has waited longer than FRMR_TASKS_MAX_AGE_SECONDS."""
    try:
        health = queue_health()
    except DatabaseError:
        return JsonResponse({"status": "database_unavailable"}, status=503, headers={"Retry-After": "10"})
    return JsonResponse(health.as_dict(), status=200 if health.healthy else 503)


def _database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readyz: the database does not answer: %s", error)
        return {"status": "unavailable"}
    return {"status": "ok"}


def _storage() -> dict[str, object]:
    if not settings.FRMR_READYZ_CHECK_STORAGE:
        return {"status": "not_checked"}
    storage = document_storage()
    try:
        name = storage.save(f"{PROBE_PREFIX}{uuid.uuid4().hex}", ContentFile(b"ok"))
        storage.delete(name)
    except Exception as error:  # any backend's failure: a file system's OSError, an S3 client's error
        logger.warning("readyz: the document storage does not take a file: %s", error)
        return {"status": "unwritable"}
    return {"status": "ok"}


def _task_queue() -> dict[str, object]:
    try:
        return queue_health().as_dict()
    except DatabaseError:
        return {"status": "database_unavailable"}


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {"database": _database()}
    if checks["database"] == {"status": "ok"}:
        checks["tasks"] = _task_queue()
    else:
        checks["tasks"] = {"status": "not_checked"}
    checks["storage"] = _storage()
    checks["replicas"] = {
        alias: replicas.health.state(alias, fresh=True).as_dict() for alias in replicas.replica_aliases()
    }
    ok = (
        checks["database"] == {"status": "ok"}
        and checks["tasks"].get("status") == "ok"  # type: ignore[attr-defined]
        and checks["storage"].get("status") in ("ok", "not_checked")  # type: ignore[attr-defined]
    )
    body = {"status": "ready" if ok else "not_ready", **checks}
    return JsonResponse(body, status=200 if ok else 503, headers={} if ok else {"Retry-After": "10"})


class QueueCollector(Collector):
    """The task queue's depth and age, read from the database when /metrics is scraped."""

    def collect(self):  # type: ignore[no-untyped-def]
        try:
            health = queue_health()
        except DatabaseError:
            return
        depth = GaugeMetricFamily(
            "frmr_tasks_queue_depth", "Tasks by state: ready (due now) and running.", labels=["state"]
        )
        depth.add_metric(["ready"], health.ready)
        depth.add_metric(["running"], health.running)
        yield depth
        yield GaugeMetricFamily(
            "frmr_tasks_oldest_ready_seconds",
            "How long the task first in line has waited to start (0 when none waits).",
            value=health.oldest_ready_seconds or 0.0,
        )
        yield GaugeMetricFamily(
            "frmr_tasks_workers", "Task workers with a fresh heartbeat.", value=health.workers
        )


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.FRMR_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    for allowed in settings.FRMR_METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


@never_cache
@require_safe
def metrics_page(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse(
            _("Доступ к метрикам запрещён.") + "\n", status=403, content_type="text/plain; charset=utf-8"
        )
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn with several processes: each wrote its values to files, summed up here.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    queue = CollectorRegistry()
    queue.register(QueueCollector())
    return HttpResponse(generate_latest(registry) + generate_latest(queue), content_type=CONTENT_TYPE_LATEST)
