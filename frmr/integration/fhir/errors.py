"""Refusals of the directory, answered as OperationOutcome (docs/fhir.md, «Ошибки»)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FhirError(Exception):
    """A refusal: HTTP status, the OperationOutcome issue code, and the message for a person."""

    def __init__(self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


# The issue code (http://hl7.org/fhir/issue-type) that goes with each status the directory answers.
ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    429: "throttled",
    500: "exception",
    503: "transient",
}


def bad_request(message: str) -> FhirError:
    return FhirError(400, "invalid", message)


def not_found(message: str) -> FhirError:
    return FhirError(404, "not-found", message)


def operation_outcome(code: str, message: str, *, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }
