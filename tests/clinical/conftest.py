"""Clinical personas: the assigned doctor, a doctor who only treats the patient, outsiders."""

import pytest

from tests.factories.accounts import DoctorProfileFactory, department
from tests.factories.clinical import AdmissionFactory, VisitFactory


@pytest.fixture
def treating_doctor(db, patient):
    """An Emergency doctor who saw `patient` once, with no admission assigned to them."""
    doctor = DoctorProfileFactory(user__username="erin_er", user__first_name="Erin",
                                  user__last_name="Rescue", department=department("EMC"))
    VisitFactory(doctor=doctor, patient=patient)
    return doctor


@pytest.fixture
def admission(db, admin_user, doctor, patient):
    """`patient`'s open admission in Cardiology under `doctor`."""
    return AdmissionFactory(patient=patient, assigned_doctor=doctor, created_by=admin_user)


@pytest.fixture
def personas(admin_user, doctor, other_doctor, treating_doctor, patient, other_patient):
    """Users by name: `doctor` is assigned, `treating_doctor` treats, the `other_*` are outsiders."""
    return {
        "admin": admin_user, "doctor": doctor.user, "treating_doctor": treating_doctor.user,
        "other_doctor": other_doctor.user, "patient": patient.user,
        "other_patient": other_patient.user,
    }

