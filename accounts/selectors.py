"""What each user may see of accounts: doctors, patients, approval queues."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Department, DoctorProfile, PatientProfile, User


def scope_by_role(qs: QuerySet, user, *, doctor: Q | None = None, patient: Q | None = None) -> QuerySet:
    """Admins see all of `qs`; a doctor or patient the rows their rule selects; anyone else none.

    A role without a rule sees nothing: visibility fails closed.
    """
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_admin:
        return qs
    rule = {User.Role.DOCTOR: doctor, User.Role.PATIENT: patient}.get(user.role)
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
    """Ids of patients with an appointment or admission with this doctor."""
    from appointments.models import Appointment
    from clinical.models import Admission

    return PatientProfile.objects.filter(
        Exists(Appointment.objects.filter(patient=OuterRef("pk"), doctor_id=doctor_id))
        | Exists(Admission.objects.filter(patient=OuterRef("pk"), assigned_doctor_id=doctor_id))
    ).values("pk")


def doctor_treats_patient(*, doctor_id, patient_id) -> bool:
    return patient_ids_treated_by(doctor_id).filter(pk=patient_id).exists()


def patients_visible_to(user: User) -> QuerySet[PatientProfile]:
    """Admins: all patients; doctors: those they treat; patients: themselves; others: none."""
    return scope_by_role(
        PatientProfile.objects.select_related("user"), user,
        doctor=Q(pk__in=patient_ids_treated_by(user.pk)),
        patient=Q(pk=user.pk),
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
