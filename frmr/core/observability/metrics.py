"""The Prometheus metrics of the register (exposed at /metrics, web/health/views.py).

Every metric is defined here, so that one page lists what can be watched (docs/deploy.md); the code
that observes them imports them from here. Labels take only values from a small fixed set (a URL
route's name, never a raw path; a known ЕСИА code, else "other"), or the series would grow without
bound with hostile input.

Under gunicorn with several worker processes each process counts for itself: set
PROMETHEUS_MULTIPROC_DIR (an empty directory, cleared at start) and the library writes the values
to files there, which /metrics sums up (prometheus_client's multiprocess mode). Gauges then say how
to combine the processes (`multiprocess_mode`).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Seconds: from a fast API read (~1 ms) to a slow import upload.
_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_BYTES_BUCKETS = tuple(float(2**n) for n in range(10, 26, 2))  # 1 KiB … 32 MiB (the limit is 25 MB)

REQUEST_SECONDS = Histogram(
    "frmr_http_request_duration_seconds",
    "Time to answer a request, by URL route name (`public:check`, `api-frmr:…`), method and status class.",
    ["route", "method", "status"],
    buckets=_LATENCY_BUCKETS,
)
REQUEST_DB_SECONDS = Histogram(
    "frmr_http_request_db_seconds",
    "Time a request spent in database statements, by URL route name.",
    ["route"],
    buckets=_LATENCY_BUCKETS,
)
REQUEST_DB_QUERIES = Histogram(
    "frmr_http_request_db_queries",
    "Database statements a request made, by URL route name.",
    ["route"],
    buckets=(0, 1, 2, 4, 8, 16, 32, 64, 128),
)

DB_READS = Counter(
    "frmr_db_reads_total",
    "Lag-tolerant reads (frmr.core.replicas), by where they went: replica or primary.",
    ["target"],
)
DB_REPLICA_FALLBACKS = Counter(
    "frmr_db_replica_fallbacks_total",
    "Lag-tolerant reads sent to the primary because no replica could take them: down, lagging, error.",
    ["reason"],
)
DB_REPLICA_LAG_SECONDS = Gauge(
    "frmr_db_replica_lag_seconds",
    "The replica's replay lag at its last check (-1: unreachable).",
    ["replica"],
    multiprocess_mode="max",
)
DB_REPLICA_USABLE = Gauge(
    "frmr_db_replica_usable",
    "1 when the replica took reads at its last check, 0 when reads fell back to the primary.",
    ["replica"],
    multiprocess_mode="min",
)

UPLOAD_BYTES = Histogram(
    "frmr_upload_size_bytes",
    "Sizes of accepted uploaded documents.",
    ["kind"],
    buckets=_BYTES_BUCKETS,
)
ESIA_ERRORS = Counter(
    "frmr_esia_errors_total",
    "Logins through ЕСИА that ended in an error, by ЕСИА's code "  # i18n: metric help
    "(unknown codes: other; none: none).",
    ["code"],
)
WEBHOOK_FAILURES = Counter(
    "frmr_webhook_failures_total",
    "Webhook deliveries that failed, by reason (timeout, connection, status); counted by the webhook sender.",
    ["reason"],
)
