"""Who may act on billing records that the role tables of the viewsets don't cover."""

from accounts.models import User
from accounts.selectors import doctor_treats_patient
from clinical.models import Admission


def admission_visible_to(user: User, admission: Admission) -> bool:
    """Whether `user` may see the admission: admins, its patient, its doctor or one treating."""
    if user.is_admin:
        return True
    if user.is_patient:
        return admission.patient_id == user.pk
    if user.is_doctor:
        return admission.assigned_doctor_id == user.pk or doctor_treats_patient(
            doctor_id=user.pk, patient_id=admission.patient_id
        )
    return False
