"""Clinical writes: admissions, prescriptions (with the allergy check), encounters, vitals, allergies."""

import datetime
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, DoctorProfile, PatientProfile, User
from appointments.models import Appointment
from clinical.catalog import CATALOG
from clinical.models import Admission, Allergy, Encounter, EncounterAddendum, Observation, Prescription
from clinical.selectors import active_medication_allergies
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
    override_reason: str = "",
) -> Prescription:
    """Prescribe at one's own confirmed or completed appointment, for its patient.

    A medicine that names an active medication allergy of the patient is refused
    (`allergy_conflict`) unless the doctor gives an `override_reason`, which is kept.
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.doctor_id != doctor.pk:
        raise DomainError("invalid_input", "Only the doctor of the appointment can prescribe.")
    if appointment.status not in PRESCRIBABLE_STATUSES:
        raise DomainError(
            "invalid_state",
            f"Prescriptions need a confirmed or completed appointment; this one is {appointment.status}.",
        )
    conflicts = allergy_conflicts(patient_id=appointment.patient_id, medicine_name=medicine_name)
    override = None
    if conflicts:
        ids = [str(allergy.pk) for allergy in conflicts]
        if not override_reason.strip():
            names = ", ".join(allergy.substance for allergy in conflicts)
            raise DomainError(
                "allergy_conflict",
                f"The patient is allergic to {names}; send `override_reason` to prescribe anyway.",
                extra={"allergies": ids},
            )
        override = {"reason": override_reason.strip(), "allergies": ids}
    prescription = Prescription(
        appointment=appointment, patient_id=appointment.patient_id, doctor=doctor,
        medicine_name=medicine_name, dosage=dosage, frequency=frequency,
        duration_days=duration_days, quantity=quantity, instructions=instructions,
        allergy_override=override,
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


def allergy_conflicts(*, patient_id, medicine_name: str) -> list[Allergy]:
    """Active medication allergies whose substance is a whole word of `medicine_name`."""
    return [
        allergy for allergy in active_medication_allergies(patient_id)
        if re.search(rf"(?<!\w){re.escape(allergy.substance.strip())}(?!\w)", medicine_name,
                     re.IGNORECASE)
    ]


NOTE_FIELDS = ("subjective", "objective", "assessment", "plan")


def _lock_encounter(encounter: Encounter) -> Encounter:
    return (
        Encounter.objects.select_for_update(of=("self",))
        .select_related("patient__user", "doctor__user")
        .get(pk=encounter.pk)
    )


@transaction.atomic
def encounter_create(
    *,
    doctor: DoctorProfile,
    patient: PatientProfile,
    kind: str,
    appointment: Appointment | None = None,
    admission: Admission | None = None,
    **notes: str,
) -> Encounter:
    """Open an encounter: outpatient from the doctor's booked or completed visit, inpatient in
    the patient's open admission, emergency for any approved patient."""
    _check_in_care(patient=patient)
    if kind == Encounter.Kind.OUTPATIENT:
        if appointment is None:
            raise DomainError("invalid_input", "An outpatient encounter needs an `appointment`.")
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.doctor_id != doctor.pk or appointment.patient_id != patient.pk:
            raise DomainError("invalid_input", "The appointment is not of this doctor and patient.")
        if appointment.status not in PRESCRIBABLE_STATUSES:
            raise DomainError(
                "invalid_state", f"The appointment must be confirmed or completed, not {appointment.status}."
            )
        open_encounters = Encounter.objects.filter(
            appointment=appointment, status=Encounter.Status.IN_PROGRESS
        )
        if open_encounters.exists():
            raise DomainError("encounter_exists", "This appointment already has an open encounter.")
    inpatient = kind == Encounter.Kind.INPATIENT
    if inpatient and (admission is None or admission.patient_id != patient.pk or not admission.is_active):
        raise DomainError("invalid_input", "An inpatient encounter needs an open `admission` of the patient.")
    if admission is not None and admission.patient_id != patient.pk:
        raise DomainError("invalid_input", "The admission is not of this patient.")
    encounter = Encounter(
        doctor=doctor, patient=patient, kind=kind, appointment=appointment, admission=admission,
        **{name: notes.get(name, "") for name in NOTE_FIELDS},
    )
    encounter.full_clean()
    encounter.save()
    return encounter


@transaction.atomic
def encounter_update(*, encounter: Encounter, data: dict) -> Encounter:
    """Edit the four note fields while the encounter is in progress."""
    encounter = _lock_encounter(encounter)
    if encounter.status != Encounter.Status.IN_PROGRESS:
        raise DomainError("encounter_locked", "A finished encounter is amended with addenda only.")
    for name in NOTE_FIELDS:
        if name in data:
            setattr(encounter, name, data[name])
    encounter.full_clean()
    encounter.save()
    return encounter


@transaction.atomic
def encounter_finish(*, encounter: Encounter) -> Encounter:
    """Finish an encounter; its notes are locked from then on."""
    encounter = _lock_encounter(encounter)
    if encounter.status == Encounter.Status.FINISHED:
        raise DomainError("invalid_transition", "This encounter is already finished.")
    encounter.status = Encounter.Status.FINISHED
    encounter.ended_at = max(timezone.now(), encounter.started_at)
    encounter.full_clean()
    encounter.save(update_fields=["status", "ended_at"])
    return encounter


@transaction.atomic
def encounter_add_addendum(*, encounter: Encounter, author: User, text: str) -> EncounterAddendum:
    """Amend a finished encounter; an open one is edited instead."""
    encounter = _lock_encounter(encounter)
    if encounter.status != Encounter.Status.FINISHED:
        raise DomainError(
            "invalid_state", "Edit the notes of an open encounter; addenda amend finished ones."
        )
    if not text.strip():
        raise DomainError("invalid_input", "An addendum needs text.")
    addendum = EncounterAddendum(encounter=encounter, author=author, text=text.strip())
    addendum.full_clean()
    addendum.save()
    return addendum


def _observation(*, patient, encounter, code, value: Decimal, effective_at, recorded_by) -> Observation:
    sign = CATALOG.get(code)
    if sign is None:
        raise DomainError("invalid_input", f"Unknown observation code \"{code}\".")
    if not sign.plausible_low <= value <= sign.plausible_high:
        raise DomainError(
            "implausible_value",
            f"{code} {value} {sign.unit} is outside {sign.plausible_low}–{sign.plausible_high}.",
        )
    observation = Observation(
        patient=patient, encounter=encounter, code=code, value=value, unit=sign.unit,
        interpretation=sign.interpret(value), effective_at=effective_at, recorded_by=recorded_by,
    )
    observation.full_clean()
    return observation


@transaction.atomic
def observations_record(
    *,
    recorded_by: User,
    patient: PatientProfile,
    values: dict[str, Decimal],
    effective_at: datetime.datetime | None = None,
    encounter: Encounter | None = None,
) -> list[Observation]:
    """Record vital signs taken together: all of them, or none if one is implausible."""
    effective_at = effective_at or timezone.now()
    _check_not_future(effective_at, "observation")
    if encounter is not None and encounter.patient_id != patient.pk:
        raise DomainError("invalid_input", "The encounter is not of this patient.")
    if not values:
        raise DomainError("invalid_input", "No vital sign to record.")
    observations = [
        _observation(patient=patient, encounter=encounter, code=code, value=value,
                     effective_at=effective_at, recorded_by=recorded_by)
        for code, value in values.items()
    ]
    return Observation.objects.bulk_create(observations)


@transaction.atomic
def observation_void(*, observation: Observation, actor: User, reason: str) -> Observation:
    """Mark an observation entered in error; it stays on record."""
    observation = (
        Observation.objects.select_for_update(of=("self",)).select_related("recorded_by")
        .get(pk=observation.pk)
    )
    if observation.status == Observation.Status.ENTERED_IN_ERROR:
        raise DomainError("invalid_transition", "This observation is already voided.")
    if not reason.strip():
        raise DomainError("invalid_input", "A reason is required to void an observation.")
    observation.status = Observation.Status.ENTERED_IN_ERROR
    observation.void_reason = reason.strip()
    observation.voided_at = timezone.now()
    observation.voided_by = actor
    observation.save(update_fields=["status", "void_reason", "voided_at", "voided_by"])
    return observation


def _lock_patient(patient_id) -> None:
    # The patient's row serialises concurrent writes of the same substance.
    list(PatientProfile.objects.select_for_update().filter(pk=patient_id).order_by().values_list("pk"))


def _check_unique_active(allergy: Allergy) -> None:
    if allergy.status != Allergy.Status.ACTIVE:
        return
    same = Allergy.objects.filter(
        patient_id=allergy.patient_id, status=Allergy.Status.ACTIVE,
        substance__iexact=allergy.substance.strip(),
    ).exclude(pk=allergy.pk)
    if same.exists():
        raise DomainError("duplicate_allergy", "This patient already has this active allergy.")


@transaction.atomic
def allergy_create(
    *,
    recorded_by: User,
    patient: PatientProfile,
    substance: str,
    category: str,
    criticality: str = Allergy.Criticality.UNABLE_TO_ASSESS,
    reactions: list[str] | None = None,
    note: str = "",
) -> Allergy:
    """Record an allergy; one the patient reports stays unconfirmed until a clinician confirms it."""
    _lock_patient(patient.pk)
    allergy = Allergy(
        patient=patient, substance=substance.strip(), category=category, criticality=criticality,
        reactions=reactions or [], note=note, recorded_by=recorded_by,
        verification=(Allergy.Verification.UNCONFIRMED if recorded_by.is_patient
                      else Allergy.Verification.CONFIRMED),
    )
    _check_unique_active(allergy)
    allergy.full_clean()
    allergy.save()
    return allergy


ALLERGY_FIELDS = ("status", "criticality", "reactions", "note", "verification")


@transaction.atomic
def allergy_update(*, allergy: Allergy, data: dict) -> Allergy:
    """Change an allergy's status, criticality, reactions or note, or confirm it."""
    _lock_patient(allergy.patient_id)
    allergy = Allergy.objects.select_for_update().get(pk=allergy.pk)
    for name in ALLERGY_FIELDS:
        if name in data:
            setattr(allergy, name, data[name])
    _check_unique_active(allergy)
    allergy.full_clean()
    allergy.save()
    return allergy
