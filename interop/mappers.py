"""One pure function per FHIR resource: a model row (with its related rows loaded) → the resource dict.

Nothing here queries the database: the selectors load what a mapper reads. Empty values are
left out, as FHIR forbids empty strings, arrays and objects.
"""

from datetime import datetime

from django.utils import timezone

from accounts.models import DoctorProfile, PatientProfile
from appointments.models import Appointment
from clinical.models import Prescription

UCUM = "http://unitsofmeasure.org"

# Appointment statuses as FHIR's (http://hl7.org/fhir/appointmentstatus); a rejected request
# is a cancelled appointment with its reason.
APPOINTMENT_STATUS = {
    Appointment.Status.REQUESTED: "proposed",
    Appointment.Status.CONFIRMED: "booked",
    Appointment.Status.COMPLETED: "fulfilled",
    Appointment.Status.REJECTED: "cancelled",
    Appointment.Status.CANCELLED: "cancelled",
    Appointment.Status.NO_SHOW: "noshow",
}
# How the doctor stands towards the appointment (http://hl7.org/fhir/participationstatus).
PRACTITIONER_PARTICIPATION = {
    Appointment.Status.REQUESTED: "needs-action",
    Appointment.Status.REJECTED: "declined",
}
MEDICATION_REQUEST_STATUS = {
    Prescription.Status.ACTIVE: "active",
    Prescription.Status.CANCELLED: "cancelled",
}


def compact(value):
    """Drop None, empty strings, lists and dicts, recursively."""
    if isinstance(value, dict):
        items = ((key, compact(item)) for key, item in value.items())
        return {key: item for key, item in items if item not in (None, "", [], {})}
    if isinstance(value, list):
        items = (compact(item) for item in value)
        return [item for item in items if item not in (None, "", [], {})]
    return value


def instant(moment: datetime | None) -> str | None:
    """A FHIR dateTime with the offset of the hospital's zone."""
    return None if moment is None else timezone.localtime(moment).isoformat()


def reference(resource_type: str, pk, display: str = "") -> dict:
    return compact({"reference": f"{resource_type}/{pk}", "display": display})


def patient_reference(patient: PatientProfile) -> dict:
    return reference("Patient", patient.pk, patient.user.full_name)


def practitioner_reference(doctor: DoctorProfile) -> dict:
    return reference("Practitioner", doctor.pk, doctor.user.full_name)


def human_name(user) -> dict:
    return {
        "use": "official", "text": user.full_name or user.username,
        "family": user.last_name, "given": [user.first_name],
    }


def patient_resource(patient: PatientProfile) -> dict:
    """Patient: name, gender, birth date, phone, e-mail and address (what the REST detail shows)."""
    user = patient.user
    return compact({
        "resourceType": "Patient",
        "id": str(patient.pk),
        "active": user.is_active,
        "name": [human_name(user)],
        "telecom": [
            {"system": "phone", "value": patient.mobile, "use": "mobile"} if patient.mobile else None,
            {"system": "email", "value": user.email} if user.email else None,
        ],
        "gender": patient.sex,
        "birthDate": patient.date_of_birth.isoformat() if patient.date_of_birth else None,
        "address": [{"text": patient.address}] if patient.address else [],
    })


def practitioner_resource(doctor: DoctorProfile) -> dict:
    """Practitioner: the public fields of a doctor (name, specialty), never the contact details."""
    user = doctor.user
    return compact({
        "resourceType": "Practitioner",
        "id": str(doctor.pk),
        "active": user.is_active,
        "name": [{**human_name(user), "prefix": ["Dr."]}],
        "qualification": [{"code": {"text": doctor.specialty}}] if doctor.specialty else [],
    })


def appointment_resource(appointment: Appointment) -> dict:
    """Appointment: the patient and the doctor as participants, the slot, the reason."""
    cancelled = appointment.status in (Appointment.Status.CANCELLED, Appointment.Status.REJECTED)
    return compact({
        "resourceType": "Appointment",
        "id": str(appointment.pk),
        "status": APPOINTMENT_STATUS[appointment.status],
        "cancelationReason": (
            {"text": appointment.cancellation_reason} if cancelled else None
        ),
        "reasonCode": [{"text": appointment.reason}] if appointment.reason else [],
        "start": instant(appointment.start),
        "end": instant(appointment.end),
        "created": instant(appointment.created_at),
        "comment": appointment.notes,
        "participant": [
            {"actor": patient_reference(appointment.patient), "required": "required",
             "status": "accepted"},
            {"actor": practitioner_reference(appointment.doctor), "required": "required",
             "status": PRACTITIONER_PARTICIPATION.get(appointment.status, "accepted")},
        ],
    })


def medication_request_resource(prescription: Prescription) -> dict:
    """MedicationRequest: the medicine as text, its dosage, quantity and days of supply."""
    cancelled = prescription.status == Prescription.Status.CANCELLED
    return compact({
        "resourceType": "MedicationRequest",
        "id": str(prescription.pk),
        "status": MEDICATION_REQUEST_STATUS[prescription.status],
        "statusReason": {"text": prescription.cancellation_reason} if cancelled else None,
        "intent": "order",
        "medicationCodeableConcept": {"text": prescription.medicine_name},
        "subject": patient_reference(prescription.patient),
        "supportingInformation": [reference("Appointment", prescription.appointment_id)],
        "authoredOn": instant(prescription.issued_at),
        "requester": practitioner_reference(prescription.doctor),
        "dosageInstruction": [{
            "text": ", ".join(part for part in (prescription.dosage, prescription.frequency) if part),
            "patientInstruction": prescription.instructions,
        }],
        "dispenseRequest": {
            "quantity": {"value": prescription.quantity},
            "expectedSupplyDuration": {
                "value": prescription.duration_days, "unit": "days", "system": UCUM, "code": "d",
            },
        },
    })
