"""Clinical writes: admissions (open, edit, discharge, delete) and prescriptions (write, edit, cancel)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, DoctorProfile, PatientProfile, User
from appointments.models import Appointment
from clinical.models import Admission, Prescription
from hospital.errors import DomainError

ADMISSION_FIELDS = ("department", "assigned_doctor", "symptoms", "admitted_at")
PRESCRIPTION_FIELDS = (
    "medicine_name", "dosage", "frequency", "duration_days", "quantity", "instructions",
)
# Prescriptions are written at a visit that is booked or has taken place.
PRESCRIBABLE_STATUSES = (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED)


def _lock_admission(admission: Admission) -> Admission:
    return (
        Admission.objects.select_for_update(of=("self",))
        .select_related("patient__user", "assigned_doctor__user", "department")
        .get(pk=admission.pk)
    )


def _lock_prescription(prescription: Prescription) -> Prescription:
    return (
        Prescription.objects.select_for_update(of=("self",))
        .select_related("patient__user", "doctor__user")
        .get(pk=prescription.pk)
    )


def _check_in_care(*, patient: PatientProfile | None = None, doctor: DoctorProfile | None = None):
    """Refuse a patient or doctor whose account is not approved and active."""
    if patient is not None and not (patient.user.is_active and patient.user.is_approved):
        raise DomainError("invalid_input", "The patient must be an approved, active patient.")
    if doctor is not None and not (doctor.user.is_active and doctor.user.is_approved):
        raise DomainError("invalid_input", "The doctor must be an approved, active doctor.")


def _check_not_future(moment: datetime.datetime, what: str) -> None:
    if moment > timezone.now():
        raise DomainError("invalid_input", f"The {what} time cannot be in the future.")


@transaction.atomic
def admission_create(
    *,
    actor: User,
    patient: PatientProfile,
    department: Department,
    assigned_doctor: DoctorProfile,
    symptoms: str = "",
    admitted_at: datetime.datetime | None = None,
) -> Admission:
    """Admit an approved patient under an approved doctor; a patient has one open admission."""
    _check_in_care(patient=patient, doctor=assigned_doctor)
    admitted_at = admitted_at or timezone.now()
    _check_not_future(admitted_at, "admission")
    # The patient's row serialises concurrent admissions of the same patient.
    list(PatientProfile.objects.select_for_update().filter(pk=patient.pk).order_by().values_list("pk"))
    if Admission.objects.filter(patient=patient, discharged_at__isnull=True).exists():
        raise DomainError("already_admitted", "The patient already has an open admission.")
    admission = Admission(
        patient=patient, department=department, assigned_doctor=assigned_doctor,
        symptoms=symptoms, admitted_at=admitted_at, created_by=actor,
    )
    admission.full_clean()
    admission.save()
    return admission


@transaction.atomic
def admission_update(*, admission: Admission, data: dict) -> Admission:
    """Change an admission's department, doctor, symptoms or admission time."""
    admission = _lock_admission(admission)
    if "assigned_doctor" in data and data["assigned_doctor"].pk != admission.assigned_doctor_id:
        _check_in_care(doctor=data["assigned_doctor"])
    if "admitted_at" in data:
        _check_not_future(data["admitted_at"], "admission")
        if admission.discharged_at and data["admitted_at"] > admission.discharged_at:
            raise DomainError("invalid_input", "The admission time cannot be after the discharge.")
    for name in ADMISSION_FIELDS:
        if name in data:
            setattr(admission, name, data[name])
    admission.full_clean()
    admission.save()
    return admission


@transaction.atomic
def admission_discharge(
    *, admission: Admission, discharged_at: datetime.datetime | None = None
) -> Admission:
    """Discharge an open admission, now or at a past time not before the admission."""
    admission = _lock_admission(admission)
    if admission.discharged_at is not None:
        raise DomainError("invalid_transition", "This admission is already discharged.")
    discharged_at = discharged_at or timezone.now()
    _check_not_future(discharged_at, "discharge")
    if discharged_at < admission.admitted_at:
        raise DomainError("invalid_input", "The discharge cannot be before the admission.")
    admission.discharged_at = discharged_at
    admission.full_clean()
    admission.save(update_fields=["discharged_at"])
    return admission


@transaction.atomic
def admission_delete(*, admission: Admission) -> None:
    """Delete an admission that nothing refers to (prescriptions hang off its appointments)."""
    admission = _lock_admission(admission)
    if admission.appointments.exists() or admission.invoices.exists():
        raise DomainError(
            "has_records", "Appointments or invoices refer to this admission; it cannot be deleted."
        )
    admission.delete()


@transaction.atomic
def prescription_create(
    *,
    doctor: DoctorProfile,
    appointment: Appointment,
    medicine_name: str,
    dosage: str,
    frequency: str,
    duration_days: int,
    quantity: int,
    instructions: str = "",
) -> Prescription:
    """Prescribe at one's own confirmed or completed appointment, for its patient."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.doctor_id != doctor.pk:
        raise DomainError("invalid_input", "Only the doctor of the appointment can prescribe.")
    if appointment.status not in PRESCRIBABLE_STATUSES:
        raise DomainError(
            "invalid_state",
            f"Prescriptions need a confirmed or completed appointment; this one is {appointment.status}.",
        )
    prescription = Prescription(
        appointment=appointment, patient_id=appointment.patient_id, doctor=doctor,
        medicine_name=medicine_name, dosage=dosage, frequency=frequency,
        duration_days=duration_days, quantity=quantity, instructions=instructions,
    )
    prescription.full_clean()
    prescription.save()
    return prescription


@transaction.atomic
def prescription_update(*, prescription: Prescription, data: dict) -> Prescription:
    """Edit an active prescription's medicine, dosage, amounts or instructions."""
    prescription = _lock_prescription(prescription)
    if prescription.status != Prescription.Status.ACTIVE:
        raise DomainError("invalid_state", "Only an active prescription can be edited.")
    for name in PRESCRIPTION_FIELDS:
        if name in data:
            setattr(prescription, name, data[name])
    prescription.full_clean()
    prescription.save()
    return prescription


@transaction.atomic
def prescription_cancel(*, prescription: Prescription, actor: User, reason: str) -> Prescription:
    """Cancel a prescription with a reason; it is kept, never deleted."""
    prescription = _lock_prescription(prescription)
    if prescription.status == Prescription.Status.CANCELLED:
        raise DomainError("invalid_transition", "This prescription is already cancelled.")
    if not reason or not reason.strip():
        raise DomainError("invalid_input", "A reason is required to cancel a prescription.")
    prescription.status = Prescription.Status.CANCELLED
    prescription.cancelled_at = timezone.now()
    prescription.cancelled_by = actor
    prescription.cancellation_reason = reason.strip()
    prescription.full_clean()
    prescription.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancellation_reason"]
    )
    return prescription
