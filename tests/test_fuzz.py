"""Fuzz every operation of the OpenAPI schema as an admin, a doctor and a patient (schemathesis).

No answer may be a 5xx, and every answer must match the schema: a documented status code, a
documented content type and a body valid against the documented shape. CI runs a short,
deterministic campaign; `make fuzz` a long, random one with the boundary-value phase too:
`FUZZ_MAX_EXAMPLES` (examples per operation and persona), `FUZZ_PHASES`, `FUZZ_RANDOM=1`.
"""

import os

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import SessionRefreshToken as RefreshToken
from hospital.wsgi import application
from tests.factories.accounts import AdminFactory
from tests.factories.appointments import AppointmentFactory, future_slot, working_every_day
from tests.factories.billing import admission_for, example_invoice, visit_for
from tests.factories.clinical import PrescriptionFactory

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))
PHASES = os.environ.get("FUZZ_PHASES", "examples,fuzzing").split(",")
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

config = schemathesis.Config.from_dict({
    "phases": {name: {"enabled": name in PHASES} for name in ("examples", "coverage", "fuzzing")},
})
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Call the WSGI app as Django's test client does: without closing the test's connection.

    Outside the test client, every request starts by closing a connection found inside a
    transaction, which would end the test's transaction (and its data) on PostgreSQL.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "doctor", "patient"])
def bearer(request, doctor, patient, settings):
    """A world with records of every kind, and the Bearer header of one persona in it."""
    settings.AUTH_THROTTLE_RATE = "100000/min"
    admin = AdminFactory()
    working_every_day(doctor)
    visit = visit_for(patient, doctor)
    AppointmentFactory(patient=patient, doctor=doctor, start=future_slot(1, 9))
    admission_for(patient, doctor)
    PrescriptionFactory(appointment=visit)
    example_invoice(patient, created_by=admin)
    user = {"admin": admin, "doctor": doctor.user, "patient": patient.user}[request.param]
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=not RANDOM,
                     database=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
