"""`manage.py check --deploy` is clean under production settings, and the HTTPS redirect spares the probes."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from tests.config.test_env import ROOT, production  # noqa: F401 (the fixture)


def test_check_deploy_has_nothing_to_say_in_production(production: dict[str, str]) -> None:  # noqa: F811
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FRMR_", "DJANGO_", "ESIA_", "DATABASE_"))
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ALLOWED_HOSTS": "frmr.example.ru"})
    clean.update(production)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.django_db
def test_the_https_redirect_spares_the_probes_only(client: Client, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    redirected = client.get("/check/")
    assert redirected.status_code == 301 and redirected["Location"].startswith("https://")
