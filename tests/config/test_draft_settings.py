"""The drafts' periods come from the environment, and a keeping period that would leave the owner less
than two weeks after the reminder is refused at start-up (each case in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps([s.FRMR_DRAFT_REMIND_DAYS, s.FRMR_DRAFT_KEEP_DAYS, s.FRMR_DRAFT_NOTICE_DAYS]))"
)


def _settings(**variables: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("FRMR_", "DJANGO_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **variables})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_defaults_are_sixty_and_ninety_days() -> None:
    result = _settings()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [60, 90, 14]


def test_the_periods_come_from_the_environment() -> None:
    result = _settings(FRMR_DRAFT_REMIND_DAYS="30", FRMR_DRAFT_KEEP_DAYS="44")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [30, 44, 14]


def test_a_keeping_period_too_close_to_the_reminder_is_refused() -> None:
    result = _settings(FRMR_DRAFT_REMIND_DAYS="80", FRMR_DRAFT_KEEP_DAYS="90")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "FRMR_DRAFT_KEEP_DAYS (90) must be at least FRMR_DRAFT_REMIND_DAYS (80) + 14" in result.stderr
