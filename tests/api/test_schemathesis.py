"""Property-based run of every operation of the OpenAPI document, with schemathesis's conformance checks.

Schemathesis generates valid (positive) and invalid (negative) requests from /api/frmr/openapi.json and
sends them to the WSGI application in-process. Every answer must be no 5xx, carry a status the operation
declares, the declared content type, and a body valid against the declared schema. `mo` is always the
token's organization (the foreign-`mo` refusal is tested on its own) and, unless the case names a person
otherwise, `snils` is that of a person the organization employs, so that writes reach the registry
services instead of stopping at the lookup.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from frmr.core.validators import inn_person_checksum, snils_checksum
from tests.factories import EmploymentCardFactory, IdentityDocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 5
# The formats the document names for rules a pattern cannot hold: positive data must obey them too.
schemathesis.openapi.format(
    "snils",
    st.integers(min_value=1_001_999, max_value=999_999_999).map(lambda n: f"{n:09d}" + snils_checksum(f"{n:09d}")),
)
schemathesis.openapi.format(
    "inn",
    st.one_of(
        st.just(""),
        st.integers(min_value=100_000_000, max_value=9_999_999_999).map(
            lambda n: f"{n:010d}" + inn_person_checksum(f"{n:010d}")
        ),
    ),
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_conformance(api_a, org_a) -> None:
    from config.wsgi import application

    person = EmploymentCardFactory(organization=org_a, department=org_a.departments.get()).person
    IdentityDocumentFactory(person=person, organization=org_a)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    positive_refusals: list[str] = []

    def exercise(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            query = dict(case.query or {})
            query["mo"] = org_a.oid
            if not any(query.get(key) for key in ("oid", "snils", "documentId")):
                query["snils"] = person.snils
            case.query = query
            try:
                response = case.call_and_validate(
                    headers={"Authorization": f"Bearer {api_a.raw}"}, checks=CHECKS
                )
            except AssertionError as exc:  # schemathesis's FailureGroup is one
                failures.append(f"{operation.label} [{mode.value}] query={case.query} body={case.body!r}: {exc}"[:1500])
                return
            statuses[response.status_code] += 1
            if mode is GenerationMode.POSITIVE and 400 <= response.status_code < 500:
                positive_refusals.append(f"{operation.label} {response.status_code} query={case.query} body={case.body!r} → {response.json().get('message')}"[:800])

        run()

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/frmr/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 30
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                exercise(operation, mode)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    print("\n".join(positive_refusals))
    assert not failures, f"{len(failures)} failures\n" + "\n".join(failures[:40])
    assert statuses[200] > 0 and statuses[422] > 0 and statuses[400] > 0, statuses
