from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.frmr.webhooks.receiver import Receiver, start


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    # Development settings: the receiver lives on 127.0.0.1.
    settings.FRMR_WEBHOOKS_ALLOW_PRIVATE = True
    found, server = start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The deliveries queued for sending; the test sends them itself, stepping through time."""
    ids: list[int] = []
    monkeypatch.setattr("frmr.webhooks.services.enqueue_delivery", ids.append)
    return ids
