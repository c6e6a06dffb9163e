import pytest
from django.utils import timezone

from accounts.models import User
from appointments.models import Appointment
from tests.factories.accounts import PatientProfileFactory

FIELDS = {"id", "first_name", "last_name", "full_name", "date_of_birth", "age", "sex", "address",
          "mobile", "email", "approval_status", "is_active"}

NEW_PATIENT = {
    "username": "pat_new", "email": "pat.new@example.org", "password": "Very-secret-42",
    "password2": "Very-secret-42", "first_name": "Pat", "last_name": "New",
    "profile": {"date_of_birth": "2000-02-29", "sex": "male"},
}


def book(doctor, patient, days=1):
    start = timezone.now() + timezone.timedelta(days=days)
    return Appointment.objects.create(
        doctor=doctor, patient=patient, start=start, end=start + timezone.timedelta(minutes=30),
        status=Appointment.Status.CONFIRMED, created_by=doctor.user,
    )


@pytest.fixture
def personas(admin_user, doctor, other_doctor, patient, other_patient):
    book(doctor, patient)
    return {"admin": admin_user, "doctor": doctor.user, "other_doctor": other_doctor.user,
            "patient": patient.user, "other_patient": other_patient.user}


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_list_scope_per_role(api, personas, patient, other_patient):
    assert ids(api(personas["admin"]).get("/api/patients/")) == {str(patient.user_id),
                                                                 str(other_patient.user_id)}
    assert ids(api(personas["doctor"]).get("/api/patients/")) == {str(patient.user_id)}
    assert ids(api(personas["other_doctor"]).get("/api/patients/")) == set()
    assert ids(api(personas["patient"]).get("/api/patients/")) == {str(patient.user_id)}


def test_fields_and_age(api, personas, patient):
    body = api(personas["admin"]).get(f"/api/patients/{patient.user_id}/").json()

    assert set(body) == FIELDS
    assert body["age"] == patient.age and isinstance(body["age"], int)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("doctor", 200), ("patient", 200), ("other_doctor", 404), ("other_patient", 404)],
)
def test_retrieve_matrix(api, personas, patient, persona, expected):
    assert api(personas[persona]).get(f"/api/patients/{patient.user_id}/").status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("patient", 200), ("doctor", 403), ("other_doctor", 404), ("other_patient", 404)],
)
def test_update_matrix(api, personas, patient, persona, expected):
    response = api(personas[persona]).patch(f"/api/patients/{patient.user_id}/", {"mobile": "+999"},
                                            format="json")

    assert response.status_code == expected
    patient.refresh_from_db()
    assert (patient.mobile == "+999") == (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 204), ("patient", 403), ("doctor", 403), ("other_doctor", 404), ("other_patient", 404)],
)
def test_delete_matrix_deactivates_and_keeps_records(api, personas, patient, persona, expected):
    response = api(personas[persona]).delete(f"/api/patients/{patient.user_id}/")

    assert response.status_code == expected
    patient.user.refresh_from_db()
    assert patient.user.is_active == (expected != 204)
    assert Appointment.objects.filter(patient=patient).count() == 1


@pytest.mark.parametrize(("persona", "expected"), [("admin", 201), ("doctor", 403), ("patient", 403)])
def test_create_matrix(api, personas, persona, expected):
    response = api(personas[persona]).post("/api/patients/", NEW_PATIENT, format="json")

    assert response.status_code == expected
    if expected == 201:
        assert response.json()["approval_status"] == "approved"
        assert User.objects.get(username="pat_new").is_approved


def test_filter_q(api, personas, patient):
    assert ids(api(personas["admin"]).get(f"/api/patients/?q={patient.user.last_name}")) == {
        str(patient.user_id)}


def test_bad_update_is_400(api, personas, patient):
    response = api(personas["patient"]).patch(f"/api/patients/{patient.user_id}/",
                                              {"date_of_birth": "3000-01-01", "sex": "robot"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"date_of_birth", "sex"}


def test_patient_list_query_count_does_not_grow(api, admin_user, django_assert_max_num_queries):
    client = api(admin_user)
    PatientProfileFactory()
    with django_assert_max_num_queries(6):
        client.get("/api/patients/")
    PatientProfileFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/patients/?page_size=50").json()["results"]) == 31
