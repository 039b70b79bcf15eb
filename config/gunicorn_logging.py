"""gunicorn's logger with the URL secrets redacted (frmr.core.redaction); named in gunicorn.conf.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from gunicorn.glogging import Logger

from frmr.core.redaction import redact

if TYPE_CHECKING:
    from gunicorn.glogging import _AtomsDict


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> _AtomsDict:
        # Every atom: the request line (%(r)s), the query (%(q)s), the referrer (%(f)s), headers ({…}i).
        atoms = super().atoms(resp, req, environ, request_time)
        redacted = {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}
        # The stubs' TypedDict lists the fixed atoms only; gunicorn also adds one per header at run time.
        return cast("_AtomsDict", redacted)
