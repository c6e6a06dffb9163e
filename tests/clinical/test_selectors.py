"""Clinical selectors: fail closed, and a history page in a fixed number of queries."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from clinical import selectors
from clinical.serializers import AdmissionHistorySerializer
from tests.factories.accounts import DoctorProfileFactory, UserFactory
from tests.factories.clinical import AdmissionFactory, PrescriptionFactory, VisitFactory


@pytest.mark.parametrize(
    "select", [selectors.admissions_visible_to, selectors.prescriptions_visible_to]
)
def test_anonymous_and_roleless_users_see_nothing(select, admission, admin_user):
    PrescriptionFactory(appointment=VisitFactory(patient=admission.patient))
    roleless = UserFactory(role="")

    assert not select(AnonymousUser()).exists()
    assert not select(roleless).exists()
    assert select(admin_user).exists()


def test_doctor_sees_admissions_assigned_or_of_patients_they_treat(
    admission, doctor, treating_doctor, other_doctor, patient, other_patient, admin_user
):
    assigned_elsewhere = AdmissionFactory(patient=other_patient, assigned_doctor=doctor,
                                          created_by=admin_user)

    assert set(selectors.admissions_visible_to(doctor.user)) == {admission, assigned_elsewhere}
    assert set(selectors.admissions_visible_to(treating_doctor.user)) == {admission}
    assert set(selectors.admissions_visible_to(other_doctor.user)) == set()


@pytest.mark.parametrize("admissions", [1, 10])
def test_patient_history_page_costs_four_queries(patient, admin_user,
                                                 django_assert_max_num_queries, admissions):
    doctor = DoctorProfileFactory()
    for n in range(admissions):
        admitted = timezone.now() - datetime.timedelta(days=10 * (n + 1))
        admission = AdmissionFactory(patient=patient, assigned_doctor=doctor, admitted_at=admitted,
                                     discharged_at=admitted + datetime.timedelta(days=2),
                                     created_by=admin_user)
        for _ in range(2):
            PrescriptionFactory.create_batch(
                3, appointment=VisitFactory(patient=patient, doctor=doctor, admission=admission)
            )

    # admissions, appointments, prescriptions, costs
    with django_assert_max_num_queries(4):
        page = selectors.admissions_attach_costs(selectors.patient_history(patient))
        data = AdmissionHistorySerializer(page, many=True).data

    assert len(data) == admissions
    assert [row["admitted_at"] for row in data] == sorted(
        (row["admitted_at"] for row in data), reverse=True)
    assert all(len(row["prescriptions"]) == 6 for row in data)
