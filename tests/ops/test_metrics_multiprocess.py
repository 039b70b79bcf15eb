"""/metrics under gunicorn with several worker processes (PROMETHEUS_MULTIPROC_DIR): the counts of all
processes, whichever process answers the scrape. Runs under CI=true only (it starts gunicorn)."""

from __future__ import annotations

import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.servers import AppServer, ci_only_reason, next_app_port
from tests.taskworker import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
if reason := ci_only_reason():
    pytestmark.append(pytest.mark.skip(reason=reason))

REQUESTS = 30


def test_metrics_add_up_the_requests_of_every_worker_process(tmp_path: Path) -> None:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    app = AppServer(
        tmp_path / "gunicorn.log",
        next_app_port(),
        workers=2,
        threads=1,
        DATABASE_URL=database_url(),
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        FRMR_METRICS_ALLOWED_IPS="127.0.0.1",
    )
    try:

        def probe(_: int) -> int:
            with urllib.request.urlopen(f"{app.url}/readyz", timeout=60) as answer:
                return int(answer.status)

        # At once, so that both single-threaded workers take some of them.
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(probe, range(REQUESTS))) == {200}
        pids = {path.name.split("_")[-1] for path in metrics_dir.glob("*.db")}
        with urllib.request.urlopen(f"{app.url}/metrics", timeout=30) as answer:
            text = answer.read().decode()
    finally:
        app.stop()
    # Exactly the requests made, summed over the processes in one series (the start-up probe was /healthz).
    counts = [
        float(match.group(1))
        for match in re.finditer(
            r'^frmr_http_request_duration_seconds_count\{method="GET",route="readyz",status="2xx"\} (\S+)$',
            text,
            re.M,
        )
    ]
    assert counts == [REQUESTS], text[:2000]
    assert len(pids) == 2, f"both worker processes counted: {sorted(pids)}"
