"""What each user may see of accounts: doctors, patients, approval queues."""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import STAFF_ROLES, Department, DoctorProfile, PatientProfile, StaffProfile, User


def scope_by_role(
    qs: QuerySet, user, *, doctor: Q | None = None, patient: Q | None = None,
    nurse: Q | None = None,
) -> QuerySet:
    """Admins see all of `qs`; a doctor, patient or nurse the rows their rule selects; anyone else none.

    A role without a rule sees nothing: visibility fails closed (a lab technician sees no
    patient record through this helper at all).
    """
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_admin:
        return qs
    rule = {User.Role.DOCTOR: doctor, User.Role.PATIENT: patient, User.Role.NURSE: nurse}.get(
        user.role
    )
    return qs.none() if rule is None else qs.filter(rule)


def departments_list() -> QuerySet[Department]:
    return Department.objects.all()


def doctors_visible_to(user: User) -> QuerySet[DoctorProfile]:
    """Approved, active doctors, to any approved user."""
    if not user.is_authenticated:
        return DoctorProfile.objects.none()
    return DoctorProfile.objects.select_related("user", "department").filter(
        user__is_active=True,
        user__approval_status=User.ApprovalStatus.APPROVED,
    )


def patient_ids_treated_by(doctor_id) -> QuerySet:
    """Ids of patients with an appointment, admission or encounter with this doctor.

    An emergency encounter is how a doctor opens the care relation without an appointment.
    """
    from appointments.models import Appointment
    from clinical.models import Admission, Encounter

    return PatientProfile.objects.filter(
        Exists(Appointment.objects.filter(patient=OuterRef("pk"), doctor_id=doctor_id))
        | Exists(Admission.objects.filter(patient=OuterRef("pk"), assigned_doctor_id=doctor_id))
        | Exists(Encounter.objects.filter(patient=OuterRef("pk"), doctor_id=doctor_id))
    ).values("pk")


def today_bounds() -> tuple[datetime, datetime]:
    """The instants `[start, end)` of today in the hospital's local zone, in UTC."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    start = datetime.combine(today, time.min, tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def patient_ids_in_care_of_nurse(nurse_id) -> QuerySet:
    """Ids of the patients under the care of the nurse's department.

    The care relation: an active (not discharged) admission in the department, or an active
    appointment today (hospital local date) with a doctor of the department. One subquery;
    a nurse without a department (which the service never creates) sees nobody.
    """
    from appointments.models import Appointment
    from clinical.models import Admission

    department = StaffProfile.objects.filter(pk=nurse_id, user__role=User.Role.NURSE).values(
        "department_id"
    )
    start, end = today_bounds()
    return PatientProfile.objects.filter(
        Exists(Admission.objects.filter(
            patient=OuterRef("pk"), discharged_at__isnull=True, department_id__in=department,
        ))
        | Exists(Appointment.objects.filter(
            patient=OuterRef("pk"), status__in=Appointment.ACTIVE_STATUSES,
            start__gte=start, start__lt=end, doctor__department_id__in=department,
        ))
    ).values("pk")


def nurse_cares_for_patient(*, nurse_id, patient_id) -> bool:
    return patient_ids_in_care_of_nurse(nurse_id).filter(pk=patient_id).exists()


def doctor_treats_patient(*, doctor_id, patient_id) -> bool:
    return patient_ids_treated_by(doctor_id).filter(pk=patient_id).exists()


def patients_visible_to(user: User) -> QuerySet[PatientProfile]:
    """Admins: all; doctors: those they treat; nurses: those in their care; patients: self."""
    return scope_by_role(
        PatientProfile.objects.select_related("user"), user,
        doctor=Q(pk__in=patient_ids_treated_by(user.pk)),
        patient=Q(pk=user.pk),
        nurse=Q(pk__in=patient_ids_in_care_of_nurse(user.pk)),
    )


def staff_list() -> QuerySet[StaffProfile]:
    """Nurses and lab technicians with their department, for the admin."""
    return StaffProfile.objects.select_related("user", "department").filter(
        user__role__in=STAFF_ROLES
    )


def accounts_for_approval(*, role: str) -> QuerySet[User]:
    """Accounts of one role with their profile, for the admin approval queue."""
    related = "doctor_profile__department" if role == User.Role.DOCTOR else "patient_profile"
    return (
        User.objects.filter(role=role)
        .select_related(related, "approved_by")
        .order_by("date_joined", "id")
    )


def users_matching(qs: QuerySet, value: str, prefix: str = "") -> QuerySet:
    """Keep rows where every word of `value` is in the name, username or e-mail."""
    for word in value.split():
        qs = qs.filter(
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}username__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
        )
    return qs
