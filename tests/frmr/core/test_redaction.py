"""No log line records ЕСИА's code or state, or a token, from a URL (frmr/core/redaction.py)."""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from frmr.core.redaction import RedactSecretsFilter, redact

CALLBACK = "/login/esia/callback/?code=eyJ2ZXIiOjEsInR5cCI6IkpXVCJ9.secret-code&state=3f1c2d4e-aaaa-bbbb"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f'"GET {CALLBACK} HTTP/1.1" 302 0',
            '"GET /login/esia/callback/?code=[скрыто]&state=[скрыто] HTTP/1.1" 302 0',
        ),
        ("/x?error=access_denied&state=abc", "/x?error=access_denied&state=[скрыто]"),
        ("/api?Access_Token=t0k&page=2", "/api?Access_Token=[скрыто]&page=2"),
        ("/x?token=a;refresh_token=b", "/x?token=[скрыто];refresh_token=[скрыто]"),
        (
            "/login/?next=%2Fcb%3Fcode%3Dabc%26state%3Dxyz",
            "/login/?next=%2Fcb%3Fcode%3D[скрыто]%26state%3D[скрыто]",
        ),
        ("/mo/?q=Иванова&page=2", "/mo/?q=Иванова&page=2"),
        ("/check/2026-0000001 barcode=1", "/check/2026-0000001 barcode=1"),
        ("/x?zipcode=101000", "/x?zipcode=101000"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.fixture
def captured() -> Iterator[dict[str, io.StringIO]]:
    """The output of the configured handlers of django.server and the root (where django.request goes)."""
    streams: dict[str, io.StringIO] = {}
    saved = []
    for name in ("django.server", "root"):
        logger = logging.getLogger(None if name == "root" else name)
        for handler in logger.handlers:
            if not any(isinstance(f, RedactSecretsFilter) for f in handler.filters):
                continue  # pytest's own capture
            assert isinstance(handler, logging.StreamHandler)
            streams[name] = io.StringIO()
            saved.append((handler, handler.setStream(streams[name])))
    yield streams
    for handler, stream in saved:
        handler.setStream(stream)


def test_the_logging_configuration_applies_the_filter_to_django_server_and_django_request(
    captured: dict[str, io.StringIO],
) -> None:
    assert set(captured) == {"django.server", "root"}

    # As runserver logs a request line, and as Django logs a refused request.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET {CALLBACK} HTTP/1.1", "302", "0", extra={"status_code": 302, "server_time": "now"}
    )
    logging.getLogger("django.request").warning("Bad Request: %s", CALLBACK)
    logging.getLogger("frmr.esia").error("callback %s failed", CALLBACK)
    logged = captured["django.server"].getvalue() + captured["root"].getvalue()
    assert "secret-code" not in logged and "3f1c2d4e" not in logged
    assert logged.count("code=[скрыто]&state=[скрыто]") == 3


def test_gunicorns_access_log_has_no_query_and_no_secrets(tmp_path: Path) -> None:
    from gunicorn.config import Config

    from config.gunicorn_logging import RedactingLogger

    namespace: dict[str, object] = {}
    exec(Path("gunicorn.conf.py").read_text(encoding="utf-8"), namespace)  # noqa: S102 (our own file)
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", str(namespace["access_log_format"]))
    assert namespace["logger_class"] == "config.gunicorn_logging.RedactingLogger"
    logger = RedactingLogger(config)
    path, query = CALLBACK.split("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": CALLBACK,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": f"https://frmr.example{CALLBACK}",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/login/done/")])
    request = SimpleNamespace(headers=[("REFERER", f"https://frmr.example{CALLBACK}")])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    line = (tmp_path / "access.log").read_text(encoding="utf-8")
    assert '"GET /login/esia/callback/ HTTP/1.1" 302' in line
    assert "secret-code" not in line and "3f1c2d4e" not in line

    # A site that logs the full request line or the referrer gets them redacted.
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
    assert atoms["r"] == "GET /login/esia/callback/?code=[скрыто]&state=[скрыто] HTTP/1.1"
    assert "secret-code" not in atoms["f"] and "secret-code" not in atoms["{referer}i"]
