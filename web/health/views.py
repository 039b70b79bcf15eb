"""Health checks for the load balancer and monitoring: aggregate numbers only, no login needed.

They answer without a session and show no personal data, only counts and an age, so that a probe
needs no credentials; a state that needs attention answers 503.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from frmr.taskqueue.selectors import queue_health


@never_cache
@require_safe
def tasks(request: HttpRequest) -> JsonResponse:
    """The task queue: 503 when a due task has waited longer than FRMR_TASKS_MAX_AGE_SECONDS."""
    try:
        health = queue_health()
    except DatabaseError:
        return JsonResponse({"status": "database_unavailable"}, status=503, headers={"Retry-After": "10"})
    return JsonResponse(health.as_dict(), status=200 if health.healthy else 503)
