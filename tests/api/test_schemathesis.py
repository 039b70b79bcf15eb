"""Property-based run of every operation of the OpenAPI document: no request may end in a 5xx.

Schemathesis generates valid (positive) and invalid (negative) requests from /api/frmr/openapi.json and
sends them to the WSGI application in-process. `mo` is always the token's organization (the foreign-`mo`
refusal is tested on its own) and, unless the case names a person otherwise, `snils` is that of a person
the organization employs, so that writes reach the registry services instead of stopping at the lookup.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from tests.factories import EmploymentCardFactory, IdentityDocumentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 15


def test_no_server_errors(api_a, org_a) -> None:
    from config.wsgi import application

    person = EmploymentCardFactory(organization=org_a, department=org_a.departments.get()).person
    IdentityDocumentFactory(person=person, organization=org_a)
    failures: list[str] = []
    statuses: Counter[int] = Counter()

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
            response = case.call(headers={"Authorization": f"Bearer {api_a.raw}"})
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(
                    f"{operation.label} {response.status_code} query={case.query} body={case.body!r}"
                    f" → {response.text[:300]}"
                )

        run()

    # The WSGI app closes the database connection around requests when it is not in autocommit, as it
    # should in production; here it holds the test's transaction, so (like Django's test client) the run
    # keeps it open.
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
    assert not failures, "\n".join(failures[:10])
    # The run reached the operations, not only the refusals in front of them.
    assert statuses[200] > 0 and statuses[422] > 0 and statuses[400] > 0, statuses
