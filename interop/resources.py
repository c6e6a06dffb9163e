"""The resource types this server answers: for each, its scope selector, mapper and search parameters.

The scope is the REST API's own selector (`*_visible_to(user)`), so FHIR sees exactly what the
REST lists show each caller. The CapabilityStatement is built from this table too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.selectors import doctors_visible_to, patients_visible_to
from appointments.selectors import appointments_visible_to
from clinical.selectors import prescriptions_visible_to
from interop import mappers
from interop.fhir import FHIRError, resource_not_found
from interop.search import DateParam, IdParam, ReferenceParam, SearchParam, StringParam, TokenParam


def _inverse(mapping: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """FHIR code → the stored values mapped to it."""
    found: dict[str, list[str]] = {}
    for stored, code in mapping.items():
        found.setdefault(code, []).append(str(stored))
    return tuple((code, tuple(stored)) for code, stored in found.items())


@dataclass(frozen=True)
class ResourceType:
    """One FHIR resource type served read-only from the rows a selector lets the caller see."""

    name: str
    visible_to: Callable[..., QuerySet]
    to_fhir: Callable[[object], dict]
    params: tuple[SearchParam, ...]
    ordering: tuple[str, ...]
    # The audit trail's object type (as the REST API names it); None for what is not patient data.
    audit_object_type: str | None = None
    # The field naming the row's patient, for `$everything` and the audit; None if it has none.
    patient_field: str | None = None

    def param(self, name: str) -> SearchParam | None:
        return next((param for param in self.params if param.name == name), None)

    def audit_records(self, rows) -> list[tuple[object, object]]:
        if self.audit_object_type is None:
            return []
        return [(row.pk, getattr(row, self.patient_field)) for row in rows]


def _patient_ref(field: str = "patient_id") -> ReferenceParam:
    return ReferenceParam(name="patient", field=field, target="Patient")


RESOURCE_TYPES: tuple[ResourceType, ...] = (
    ResourceType(
        name="Patient",
        visible_to=patients_visible_to,
        to_fhir=mappers.patient_resource,
        params=(
            IdParam(name="_id"),
            StringParam(name="name", fields=("user__first_name", "user__last_name")),
            DateParam(name="birthdate", field="date_of_birth", is_date=True),
        ),
        ordering=("user__last_name", "user__first_name", "user_id"),
        audit_object_type="patient",
        patient_field="user_id",
    ),
    ResourceType(
        name="Practitioner",
        visible_to=doctors_visible_to,
        to_fhir=mappers.practitioner_resource,
        params=(
            IdParam(name="_id"),
            StringParam(name="name", fields=("user__first_name", "user__last_name")),
        ),
        ordering=("user__last_name", "user__first_name", "user_id"),
    ),
    ResourceType(
        name="Appointment",
        visible_to=appointments_visible_to,
        to_fhir=mappers.appointment_resource,
        params=(
            IdParam(name="_id"),
            _patient_ref(),
            ReferenceParam(name="practitioner", field="doctor_id", target="Practitioner"),
            DateParam(name="date", field="start"),
            TokenParam(name="status", field="status", codes=_inverse(mappers.APPOINTMENT_STATUS)),
        ),
        ordering=("-start", "-created_at", "id"),
        audit_object_type="appointment",
        patient_field="patient_id",
    ),
    ResourceType(
        name="MedicationRequest",
        visible_to=prescriptions_visible_to,
        to_fhir=mappers.medication_request_resource,
        params=(
            IdParam(name="_id"),
            _patient_ref(),
            TokenParam(
                name="status", field="status",
                codes=_inverse(mappers.MEDICATION_REQUEST_STATUS),
            ),
        ),
        ordering=("-issued_at", "id"),
        audit_object_type="prescription",
        patient_field="patient_id",
    ),
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
