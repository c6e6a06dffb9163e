"""Staff accounts (nurses, lab technicians) and the nurse's care relation."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import StaffProfile, User
from accounts.selectors import patient_ids_in_care_of_nurse
from appointments.models import Appointment
from tests.factories.accounts import DoctorProfileFactory, NurseFactory, PatientProfileFactory, department
from tests.factories.billing import admission_for

NEW_NURSE = {
    "username": "nina_nurse", "email": "nina@example.org", "password": "Very-secret-42",
    "first_name": "Nina", "last_name": "Night", "role": "nurse",
    "profile": {"department": "CL", "mobile": "+2348000000009"},
}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_admin_creates_an_approved_nurse(api, admin_user):
    response = api(admin_user).post("/api/staff/", NEW_NURSE, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == "nurse" and body["approval_status"] == "approved"
    assert body["profile"] == {"department": {"code": "CL", "name": "Cardiology"},
                               "mobile": "+2348000000009"}
    user = User.objects.get(username="nina_nurse")
    assert user.approved_by == admin_user and user.check_password("Very-secret-42")


def test_nurse_needs_a_department_and_nothing_is_written(api, admin_user):
    body = {**NEW_NURSE, "profile": {"mobile": "1"}}

    response = api(admin_user).post("/api/staff/", body, format="json")

    assert response.status_code == 400
    assert "department" in response.json()["profile"]
    assert not User.objects.filter(username="nina_nurse").exists()


def test_lab_technician_takes_no_department(api, admin_user):
    body = {**NEW_NURSE, "role": "lab"}

    response = api(admin_user).post("/api/staff/", body, format="json")

    assert response.status_code == 400
    assert "department" in response.json()["profile"]
    assert not User.objects.filter(username="nina_nurse").exists()


@pytest.mark.parametrize("role", ["doctor", "patient", "admin"])
def test_staff_route_creates_only_staff_roles(api, admin_user, role):
    response = api(admin_user).post("/api/staff/", {**NEW_NURSE, "role": role}, format="json")

    assert response.status_code == 400 and "role" in response.json()
    assert not User.objects.filter(username="nina_nurse").exists()


@pytest.mark.parametrize("role", ["nurse", "lab"])
def test_staff_cannot_self_register(anon, role):
    body = {**NEW_NURSE, "password2": NEW_NURSE["password"], "role": role}

    response = anon.post("/api/register/", body, format="json")

    assert response.status_code == 400 and "role" in response.json()
    assert not User.objects.filter(username="nina_nurse").exists()


def test_list_filters_and_exact_ids(api, admin_user, nurse, other_nurse, lab):
    client = api(admin_user)

    assert ids(client.get("/api/staff/")) == {str(nurse.pk), str(other_nurse.pk), str(lab.pk)}
    assert ids(client.get("/api/staff/?role=lab")) == {str(lab.pk)}
    assert ids(client.get("/api/staff/?department=DL")) == {str(other_nurse.pk)}
    assert ids(client.get("/api/staff/?q=nora")) == {str(nurse.pk)}


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_is_constant(api, admin_user, rows, django_assert_max_num_queries):
    NurseFactory.create_batch(rows)
    client = api(admin_user)

    with django_assert_max_num_queries(4):
        response = client.get("/api/staff/?page_size=100")

    assert response.json()["count"] == rows


def test_admin_moves_a_nurse_and_deactivates_her(api, admin_user, nurse):
    client = api(admin_user)

    response = client.patch(f"/api/staff/{nurse.pk}/", {"profile": {"department": "DL"}}, format="json")
    assert response.status_code == 200
    assert response.json()["profile"]["department"]["code"] == "DL"

    assert client.delete(f"/api/staff/{nurse.pk}/").status_code == 204
    nurse.user.refresh_from_db()
    assert not nurse.user.is_active
    assert StaffProfile.objects.filter(pk=nurse.pk).exists()
    assert api(nurse.user).get("/api/me/").status_code == 401


def test_nurse_reads_and_edits_her_own_account(api, nurse):
    client = api(nurse.user)

    body = client.get("/api/me/").json()
    assert body["role"] == "nurse" and body["profile"]["department"]["code"] == "CL"
    response = client.patch("/api/me/", {"profile": {"mobile": "+1"}}, format="json")
    assert response.status_code == 200 and response.json()["profile"]["mobile"] == "+1"
    response = client.patch("/api/me/", {"profile": {"department": "DL"}}, format="json")
    assert response.status_code == 400


def today_at(hour: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)


class TestCareRelation:
    """A nurse's patients: active admission in her department, or an active visit today."""

    def test_active_admission_in_her_department(self, nurse, doctor, patient, other_patient):
        admission_for(patient, doctor)
        admission_for(other_patient, doctor, discharged_at=timezone.now())

        assert set(patient_ids_in_care_of_nurse(nurse.pk).values_list("pk", flat=True)) == {patient.pk}

    def test_admission_in_another_department(self, other_nurse, doctor, patient):
        admission_for(patient, doctor)

        assert not patient_ids_in_care_of_nurse(other_nurse.pk).exists()

    def test_active_appointment_today_with_a_doctor_of_her_department(self, nurse, doctor):
        today, tomorrow, cancelled = PatientProfileFactory.create_batch(3)
        skin = DoctorProfileFactory(department=department("DL"))
        elsewhere = PatientProfileFactory()
        for who, start, status, by in [
            (today, today_at(12), Appointment.Status.CONFIRMED, doctor),
            (tomorrow, today_at(12) + datetime.timedelta(days=1), Appointment.Status.CONFIRMED, doctor),
            (cancelled, today_at(13), Appointment.Status.CANCELLED, doctor),
            (elsewhere, today_at(14), Appointment.Status.CONFIRMED, skin),
        ]:
            Appointment.objects.create(patient=who, doctor=by, start=start,
                                       end=start + datetime.timedelta(minutes=30),
                                       status=status, created_by=by.user)

        assert set(patient_ids_in_care_of_nurse(nurse.pk).values_list("pk", flat=True)) == {today.pk}

    def test_patient_list_of_nurses(self, api, nurse, other_nurse, doctor, patient, other_patient):
        admission_for(patient, doctor)

        assert ids(api(nurse.user).get("/api/patients/")) == {str(patient.pk)}
        assert ids(api(other_nurse.user).get("/api/patients/")) == set()
        assert api(other_nurse.user).get(f"/api/patients/{patient.pk}/").status_code == 404
