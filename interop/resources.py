"""The resource types this server answers: for each, where its rows come from and how they are searched.

A type has one source or more (Observation: vital signs and laboratory results), each a REST
scope selector (`*_visible_to(user)`), so FHIR sees exactly what the REST lists show each caller,
with the mapper of its rows and its search parameters (the same names in every source of a type).
The CapabilityStatement is built from this table too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.selectors import doctors_visible_to, patients_visible_to
from appointments.selectors import appointments_visible_to
from clinical.selectors import prescriptions_visible_to
from interop import mappers
from interop.fhir import FHIRError, resource_not_found
from interop.search import (
    CategoryParam,
    DateParam,
    IdParam,
    ReferenceParam,
    SearchParam,
    StringParam,
    TokenParam,
)
from interop.selectors import released_lab_orders_visible_to, released_lab_results_visible_to


def _inverse(mapping: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """FHIR code → the stored values mapped to it."""
    found: dict[str, list[str]] = {}
    for stored, code in mapping.items():
        found.setdefault(code, []).append(str(stored))
    return tuple((code, tuple(stored)) for code, stored in found.items())


def _own_id(row) -> tuple[object, object]:
    return row.pk, row.patient_id


@dataclass(frozen=True)
class Source:
    """Rows of one model served as one resource type, within the caller's REST scope."""

    visible_to: Callable[..., QuerySet]
    to_fhir: Callable[[object], dict]
    params: tuple[SearchParam, ...]
    ordering: tuple[str, ...]
    # The audit trail's object type (as the REST API names it); None for what is not patient data.
    audit_object_type: str | None = None
    # `(object_id, patient_id)` of a row for its audit event.
    audit_key: Callable[[object], tuple[object, object]] = _own_id
    # The lookup that selects one patient's rows (`$everything`); None if rows have no patient.
    patient_lookup: str | None = None

    def param(self, name: str) -> SearchParam | None:
        return next((param for param in self.params if param.name == name), None)


@dataclass(frozen=True)
class ResourceType:
    """One FHIR resource type, served read-only from its sources in order."""

    name: str
    sources: tuple[Source, ...]

    @property
    def params(self) -> tuple[SearchParam, ...]:
        return self.sources[0].params

    def param(self, name: str) -> SearchParam | None:
        return self.sources[0].param(name)


def _patient_ref(field: str = "patient_id") -> ReferenceParam:
    return ReferenceParam(name="patient", field=field, target="Patient")


_names = StringParam(name="name", fields=("user__first_name", "user__last_name"))

RESOURCE_TYPES: tuple[ResourceType, ...] = (
    ResourceType("Patient", (Source(
        visible_to=patients_visible_to,
        to_fhir=mappers.patient_resource,
        params=(
            IdParam(name="_id"),
            _names,
            DateParam(name="birthdate", field="date_of_birth", is_date=True),
        ),
        ordering=("user__last_name", "user__first_name", "user_id"),
        audit_object_type="patient",
        audit_key=lambda patient: (patient.pk, patient.pk),
        patient_lookup="user_id",
    ),)),
    ResourceType("Practitioner", (Source(
        visible_to=doctors_visible_to,
        to_fhir=mappers.practitioner_resource,
        params=(IdParam(name="_id"), _names),
        ordering=("user__last_name", "user__first_name", "user_id"),
    ),)),
    ResourceType("Appointment", (Source(
        visible_to=appointments_visible_to,
        to_fhir=mappers.appointment_resource,
        params=(
            _patient_ref(),
            ReferenceParam(name="practitioner", field="doctor_id", target="Practitioner"),
            DateParam(name="date", field="start"),
            TokenParam(name="status", field="status", codes=_inverse(mappers.APPOINTMENT_STATUS)),
        ),
        ordering=("-start", "-created_at", "id"),
        audit_object_type="appointment",
        patient_lookup="patient_id",
    ),)),
    ResourceType("Observation", (Source(
        visible_to=released_lab_results_visible_to,
        to_fhir=mappers.lab_observation_resource,
        params=(
            _patient_ref("order__patient_id"),
            TokenParam(name="code", field="test__loinc", system=mappers.LOINC),
            DateParam(name="date", field="order__collected_at"),
            CategoryParam(name="category", code="laboratory", system=mappers.OBSERVATION_CATEGORY),
        ),
        ordering=("-order__collected_at", "order_id", "position"),
        audit_object_type="lab_order",
        audit_key=lambda item: (item.order_id, item.order.patient_id),
        patient_lookup="order__patient_id",
    ),)),
    ResourceType("MedicationRequest", (Source(
        visible_to=prescriptions_visible_to,
        to_fhir=mappers.medication_request_resource,
        params=(
            _patient_ref(),
            TokenParam(
                name="status", field="status",
                codes=_inverse(mappers.MEDICATION_REQUEST_STATUS),
            ),
        ),
        ordering=("-issued_at", "id"),
        audit_object_type="prescription",
        patient_lookup="patient_id",
    ),)),
    ResourceType("DiagnosticReport", (Source(
        visible_to=released_lab_orders_visible_to,
        to_fhir=mappers.diagnostic_report_resource,
        params=(_patient_ref(),),
        ordering=("-released_at", "id"),
        audit_object_type="lab_order",
        patient_lookup="patient_id",
    ),)),
)

RESOURCES_BY_NAME = {resource.name: resource for resource in RESOURCE_TYPES}


def resource_type_named(name: str) -> ResourceType:
    """The served type called `name`; an unknown type is a 404 like an unknown id."""
    try:
        return RESOURCES_BY_NAME[name]
    except KeyError:
        raise resource_not_found() from None


def resource_types_named(value: str) -> list[ResourceType]:
    """The types of a comma-separated `_type`; a type this server does not serve is a 400."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in RESOURCES_BY_NAME]
    if unknown:
        raise FHIRError(f"Unknown resource type: {', '.join(unknown)}.")
    return [RESOURCES_BY_NAME[name] for name in names]
