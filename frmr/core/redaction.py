"""Secrets that travel in URLs never reach a log: ЕСИА's `code` and `state`, tokens, passwords.

ЕСИА returns the authorization code in the callback's query string (inherent to the protocol, see
docs/security.md). Anyone who reads a log line with a live code and state could try to finish that login,
and a token or password in a URL is as bad. `redact` hides the values of such parameters wherever a URL
appears in a message; `RedactSecretsFilter` applies it to every record of the handlers it sits on
(config/settings.py LOGGING), and gunicorn's access log gets the same through config/gunicorn_logging.py.
"""

from __future__ import annotations

import logging
import re

SECRET_PARAMETERS = (
    "code",
    "state",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_secret",
    "secret",
    "password",
    "api_key",
    "key",
)
HIDDEN = "[скрыто]"  # i18n: written into log lines
# A parameter of a query string: after "?" or "&" (also percent-encoded, as in a logged `next=` URL).
_PARAMETER = re.compile(
    r"(?P<lead>[?&;]|%3[Ff]|%26)(?P<name>"
    + "|".join(SECRET_PARAMETERS)
    + r")(?P<eq>=|%3[Dd])(?P<value>(?:(?!%26)[^&;\s\"'#])*)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with the value of every secret query parameter replaced by [скрыто]."""
    if "=" not in text and "%3" not in text.lower():
        return text
    return _PARAMETER.sub(lambda m: f"{m['lead']}{m['name']}{m['eq']}{HIDDEN}", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrites a record whose message carries a secret query parameter; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record is logging's business, not ours
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
