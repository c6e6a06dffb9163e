"""What each user may see of clinical records, and a patient's history in few queries."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import PatientProfile, User
from accounts.selectors import (
    patient_ids_in_care_of_nurse,
    patient_ids_treated_by,
    patients_visible_to,
    scope_by_role,
)
from appointments.models import Appointment
from billing.selectors import admission_costs
from clinical.models import Admission, Allergy, Encounter, EncounterAddendum, Observation, Prescription


def admissions_visible_to(user: User) -> QuerySet[Admission]:
    """Patients: their own; doctors: where assigned or treating the patient; admins: all."""
    return scope_by_role(
        Admission.objects.select_related("patient__user", "assigned_doctor__user", "department"),
        user,
        doctor=Q(assigned_doctor_id=user.pk) | Q(patient_id__in=patient_ids_treated_by(user.pk)),
        patient=Q(patient_id=user.pk),
    )


def prescriptions_visible_to(user: User) -> QuerySet[Prescription]:
    """Patients: their own; doctors: those they wrote; admins: all."""
    return scope_by_role(
        Prescription.objects.select_related("patient__user", "doctor__user"), user,
        doctor=Q(doctor_id=user.pk), patient=Q(patient_id=user.pk),
    )


def record_scope(qs: QuerySet, user: User, *, doctor: Q | None = None) -> QuerySet:
    """The clinical record's scope ("as encounters"): a patient's own rows, a doctor's patients,
    a nurse's patients in her department's care, every row for admins; nobody else any."""
    treated = Q(patient_id__in=patient_ids_treated_by(user.pk))
    return scope_by_role(
        qs, user,
        doctor=treated if doctor is None else treated | doctor,
        patient=Q(patient_id=user.pk),
        nurse=Q(patient_id__in=patient_ids_in_care_of_nurse(user.pk)),
    )


def encounters_visible_to(user: User) -> QuerySet[Encounter]:
    """Encounters in the record scope, plus a doctor's own, with their addenda."""
    return record_scope(
        Encounter.objects.select_related("patient__user", "doctor__user").prefetch_related(
            Prefetch("addenda", queryset=EncounterAddendum.objects.select_related("author"))
        ),
        user, doctor=Q(doctor_id=user.pk),
    )


def observations_visible_to(user: User) -> QuerySet[Observation]:
    return record_scope(Observation.objects.select_related("recorded_by"), user)


def allergies_visible_to(user: User) -> QuerySet[Allergy]:
    return record_scope(Allergy.objects.select_related("recorded_by"), user)


def patients_writable_by(user: User) -> QuerySet[PatientProfile]:
    """Patients a doctor or nurse may record for: approved, active and in their scope."""
    return patients_visible_to(user).filter(
        user__is_active=True, user__approval_status=User.ApprovalStatus.APPROVED
    )


def active_medication_allergies(patient_id) -> list[Allergy]:
    return list(Allergy.objects.filter(
        patient_id=patient_id, status=Allergy.Status.ACTIVE, category=Allergy.Category.MEDICATION,
    ).order_by("recorded_at", "id"))


def patient_history(patient: PatientProfile) -> QuerySet[Admission]:
    """The patient's admissions, newest first, with their appointments and prescriptions.

    Evaluating a page costs three queries whatever its length (admissions, appointments,
    prescriptions); `admissions_attach_costs()` adds one for the billing breakdowns.
    """
    prescriptions = Prescription.objects.select_related("patient__user", "doctor__user").order_by(
        "-issued_at", "id"
    )
    appointments = (
        Appointment.objects.select_related("doctor__user", "doctor__department")
        .prefetch_related(Prefetch("prescriptions", queryset=prescriptions))
        .order_by("start", "created_at")
    )
    return (
        Admission.objects.filter(patient=patient)
        .select_related("patient__user", "assigned_doctor__user", "department")
        .prefetch_related(Prefetch("appointments", queryset=appointments))
        .order_by("-admitted_at", "-created_at")
    )


def admissions_attach_costs(admissions: Iterable[Admission]) -> list[Admission]:
    """Set `costs` (the billing breakdown over non-void invoices) on each admission, in one query."""
    admissions = list(admissions)
    costs = admission_costs(admission.pk for admission in admissions)
    for admission in admissions:
        admission.costs = costs[admission.pk]
    return admissions


def admission_prescriptions(admission: Admission) -> list[Prescription]:
    """The prescriptions of an admission's appointments, newest first (from the prefetch)."""
    found = [rx for appointment in admission.appointments.all() for rx in appointment.prescriptions.all()]
    return sorted(found, key=lambda rx: rx.issued_at, reverse=True)
