"""gunicorn's settings, read from the working directory by `gunicorn config.wsgi:application`.

The access log (off unless --access-logfile is given) logs the path without its query string, and the
logger redacts ЕСИА's code and state and any token anywhere else in a line (docs/security.md).
"""

logger_class = "config.gunicorn_logging.RedactingLogger"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def child_exit(server: object, worker: object) -> None:
    """Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR, docs/deploy.md): drop dead workers' gauges."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
