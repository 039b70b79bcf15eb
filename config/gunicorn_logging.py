"""gunicorn's logger with the URL secrets redacted (frmr.core.redaction); named in gunicorn.conf.py."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from frmr.core.redaction import redact


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        # Every atom: the request line (%(r)s), the query (%(q)s), the referrer (%(f)s), headers ({…}i).
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}
