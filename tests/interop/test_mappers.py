"""Each mapper alone: a model row built in memory (no database) → a valid FHIR R4 resource."""

import datetime
import uuid

import pytest
from django.utils import timezone

from accounts.models import Department, PatientProfile
from appointments.models import Appointment
from clinical.models import Prescription
from interop import mappers
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory, UserFactory
from tests.interop.conftest import assert_valid_fhir

WHEN = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=datetime.UTC)


def _patient(**fields) -> PatientProfile:
    user = UserFactory.build(id=uuid.uuid4(), first_name="Carol", last_name="Case",
                             email="carol@example.org")
    defaults = {"user": user, "date_of_birth": datetime.date(1990, 5, 17),
                "sex": PatientProfile.Sex.FEMALE, "address": "3 Market Street", "mobile": "+234811"}
    return PatientProfileFactory.build(**{**defaults, **fields})


def _doctor(**fields):
    user = UserFactory.build(id=uuid.uuid4(), first_name="Bob", last_name="Heart", role="doctor")
    cardiology = Department(code="CL", name="Cardiology")
    return DoctorProfileFactory.build(user=user, department=cardiology, **fields)


def _appointment(**fields) -> Appointment:
    defaults = {
        "id": uuid.uuid4(), "patient": _patient(), "doctor": _doctor(), "start": WHEN,
        "end": WHEN + datetime.timedelta(minutes=30), "status": Appointment.Status.CONFIRMED,
        "reason": "Check-up", "created_at": WHEN - datetime.timedelta(days=1),
    }
    return Appointment(**{**defaults, **fields})


def _prescription(**fields) -> Prescription:
    defaults = {
        "id": uuid.uuid4(), "appointment_id": uuid.uuid4(), "patient": _patient(), "doctor": _doctor(),
        "medicine_name": "Amlodipine", "dosage": "5 mg", "frequency": "once daily",
        "duration_days": 30, "quantity": 30, "instructions": "Take in the morning.",
        "status": Prescription.Status.ACTIVE, "issued_at": WHEN,
    }
    return Prescription(**{**defaults, **fields})


def test_patient_maps_name_gender_birth_date_and_contacts():
    patient = _patient()
    resource = assert_valid_fhir(mappers.patient_resource(patient))
    assert resource == {
        "resourceType": "Patient", "id": str(patient.pk), "active": True,
        "name": [{"use": "official", "text": "Carol Case", "family": "Case", "given": ["Carol"]}],
        "telecom": [{"system": "phone", "value": "+234811", "use": "mobile"},
                    {"system": "email", "value": "carol@example.org"}],
        "gender": "female", "birthDate": "1990-05-17", "address": [{"text": "3 Market Street"}],
    }


def test_patient_without_optional_details_leaves_them_out():
    patient = _patient(date_of_birth=None, address="", mobile="", sex=PatientProfile.Sex.UNKNOWN)
    patient.user.email = ""
    resource = assert_valid_fhir(mappers.patient_resource(patient))
    assert set(resource) == {"resourceType", "id", "active", "name", "gender"}
    assert resource["gender"] == "unknown"


def test_practitioner_shows_public_fields_only():
    doctor = _doctor(specialty="Cardiology", mobile="+1", address="Home")
    resource = assert_valid_fhir(mappers.practitioner_resource(doctor))
    assert resource["name"][0]["prefix"] == ["Dr."]
    assert resource["qualification"] == [{"code": {"text": "Cardiology"}}]
    assert "telecom" not in resource and "address" not in resource


@pytest.mark.parametrize(("status", "fhir_status", "doctor_status"), [
    (Appointment.Status.REQUESTED, "proposed", "needs-action"),
    (Appointment.Status.CONFIRMED, "booked", "accepted"),
    (Appointment.Status.COMPLETED, "fulfilled", "accepted"),
    (Appointment.Status.REJECTED, "cancelled", "declined"),
    (Appointment.Status.CANCELLED, "cancelled", "accepted"),
    (Appointment.Status.NO_SHOW, "noshow", "accepted"),
])
def test_appointment_status_and_participants(status, fhir_status, doctor_status):
    appointment = _appointment(status=status, cancellation_reason="Doctor away")
    resource = assert_valid_fhir(mappers.appointment_resource(appointment))
    assert resource["status"] == fhir_status
    patient, doctor = resource["participant"]
    assert patient["actor"] == {"reference": f"Patient/{appointment.patient.pk}", "display": "Carol Case"}
    assert doctor["actor"]["reference"] == f"Practitioner/{appointment.doctor.pk}"
    assert doctor["status"] == doctor_status
    assert ("cancelationReason" in resource) == (fhir_status == "cancelled")


def test_appointment_times_carry_the_hospital_offset():
    resource = mappers.appointment_resource(_appointment())
    assert resource["start"] == timezone.localtime(WHEN).isoformat()
    assert resource["start"].endswith("+01:00")  # Africa/Lagos
    assert resource["reasonCode"] == [{"text": "Check-up"}]


def test_requested_appointment_without_a_start_is_valid():
    resource = assert_valid_fhir(mappers.appointment_resource(_appointment(
        status=Appointment.Status.REQUESTED, start=None, end=None, reason="")))
    assert "start" not in resource and "end" not in resource and "reasonCode" not in resource


def test_medication_request_maps_dosage_quantity_and_supply():
    rx = _prescription()
    resource = assert_valid_fhir(mappers.medication_request_resource(rx))
    assert resource["status"] == "active" and resource["intent"] == "order"
    assert resource["medicationCodeableConcept"] == {"text": "Amlodipine"}
    assert resource["subject"]["reference"] == f"Patient/{rx.patient.pk}"
    assert resource["requester"]["reference"] == f"Practitioner/{rx.doctor.pk}"
    assert resource["supportingInformation"] == [{"reference": f"Appointment/{rx.appointment_id}"}]
    assert resource["dosageInstruction"] == [
        {"text": "5 mg, once daily", "patientInstruction": "Take in the morning."}]
    assert resource["dispenseRequest"]["expectedSupplyDuration"] == {
        "value": 30, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d"}


def test_cancelled_medication_request_gives_the_reason():
    rx = _prescription(status=Prescription.Status.CANCELLED, cancellation_reason="Side effects")
    resource = assert_valid_fhir(mappers.medication_request_resource(rx))
    assert resource["status"] == "cancelled"
    assert resource["statusReason"] == {"text": "Side effects"}


def test_compact_drops_empty_values_recursively():
    assert mappers.compact({"a": "", "b": [None, {"c": []}], "d": 0, "e": False}) == {"d": 0, "e": False}
