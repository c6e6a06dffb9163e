"""Per-object rules of the clinical viewsets (`object_rules`), after the role table."""

from accounts.models import User
from clinical.models import Admission, Encounter, Observation, Prescription


def is_admin_or_assigned_doctor(user: User, admission: Admission) -> bool:
    """Allow an admin, or the doctor the admission is assigned to."""
    return user.is_admin or admission.assigned_doctor_id == user.pk


def is_prescriber(user: User, prescription: Prescription) -> bool:
    """Allow only the doctor who wrote the prescription."""
    return prescription.doctor_id == user.pk


def is_admin_or_prescriber(user: User, prescription: Prescription) -> bool:
    """Allow an admin, or the doctor who wrote the prescription."""
    return user.is_admin or is_prescriber(user, prescription)


def is_encounter_doctor(user: User, encounter: Encounter) -> bool:
    """Allow only the doctor of the encounter."""
    return encounter.doctor_id == user.pk


def is_admin_or_recorder(user: User, observation: Observation) -> bool:
    """Allow an admin, or whoever recorded the observation."""
    return user.is_admin or observation.recorded_by_id == user.pk
