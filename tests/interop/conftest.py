"""FHIR helpers: every resource and Bundle the server emits goes through the R4B models."""

import pytest
from fhir.resources.R4B import get_fhir_model_class

from tests.factories.appointments import AppointmentFactory
from tests.factories.clinical import PrescriptionFactory, VisitFactory

FHIR_JSON = "application/fhir+json"


def assert_valid_fhir(resource: dict) -> dict:
    """Parse `resource` (and each resource of a Bundle) with the FHIR R4B models; raise if invalid."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for entry in resource.get("entry", []) if resource["resourceType"] == "Bundle" else []:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    return resource


def fhir_get(client, path: str, params=None, *, status: int = 200, **headers) -> dict:
    """GET a FHIR path; check the status and content type, validate the body, return it."""
    response = client.get(f"/fhir/R4/{path}", params or {}, **headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == FHIR_JSON
    body = assert_valid_fhir(response.json())
    if status >= 400:
        assert body["resourceType"] == "OperationOutcome"
    return body


def entry_ids(bundle: dict, resource_type: str | None = None) -> list[str]:
    return [
        entry["resource"]["id"] for entry in bundle.get("entry", [])
        if resource_type is None or entry["resource"]["resourceType"] == resource_type
    ]


@pytest.fixture
def records(db, doctor, other_doctor, patient, other_patient):
    """`patient` sees `doctor` (two visits, a prescription); `other_patient` sees `other_doctor`."""
    visit = VisitFactory(patient=patient, doctor=doctor)
    upcoming = AppointmentFactory(patient=patient, doctor=doctor)
    rx = PrescriptionFactory(appointment=visit)
    other_visit = VisitFactory(patient=other_patient, doctor=other_doctor)
    other_rx = PrescriptionFactory(appointment=other_visit)
    return {
        "visit": visit, "upcoming": upcoming, "rx": rx,
        "other_visit": other_visit, "other_rx": other_rx,
    }
