"""The sweep's lease: one worker per round, whoever asks first once the round is due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frmr.taskqueue.models import PeriodicLease
from frmr.taskqueue.periodic import periodic_round_claim

pytestmark = pytest.mark.django_db
PERIOD = timedelta(seconds=30)


def test_the_first_worker_takes_the_round_and_the_second_skips_it() -> None:
    assert periodic_round_claim(name="sweep", worker_id="w1", interval=PERIOD) == 1
    assert periodic_round_claim(name="sweep", worker_id="w2", interval=PERIOD) is None
    assert periodic_round_claim(name="sweep", worker_id="w1", interval=PERIOD) is None
    lease = PeriodicLease.objects.get(name="sweep")
    assert lease.holder == "w1" and lease.round == 1


def test_a_due_round_goes_to_whoever_asks_first() -> None:
    periodic_round_claim(name="sweep", worker_id="w1", interval=PERIOD)
    PeriodicLease.objects.filter(name="sweep").update(due_at=timezone.now() - timedelta(seconds=1))
    assert periodic_round_claim(name="sweep", worker_id="w2", interval=PERIOD) == 2
    assert periodic_round_claim(name="sweep", worker_id="w1", interval=PERIOD) is None
    assert PeriodicLease.objects.get(name="sweep").holder == "w2"


def test_leases_of_different_work_are_independent() -> None:
    assert periodic_round_claim(name="sweep", worker_id="w1", interval=PERIOD) == 1
    assert periodic_round_claim(name="reminders", worker_id="w2", interval=PERIOD) == 1


def test_a_worker_whose_turn_it_is_not_does_not_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    from frmr.taskqueue import worker

    swept: list[str] = []
    monkeypatch.setattr(worker, "sweep", lambda: swept.append("x") or {})
    first = worker.Heartbeat(worker_id="w1", interval=10, sweep_interval=30)
    second = worker.Heartbeat(worker_id="w2", interval=10, sweep_interval=30)
    first._sweep()
    second._sweep()
    assert swept == ["x"]
