import pytest

from accounts.models import DoctorProfile, PatientProfile, User

PATIENT_BODY = {
    "username": "new_patient",
    "email": "New.Patient@example.org",
    "password": "Very-secret-42",
    "password2": "Very-secret-42",
    "first_name": "Nia",
    "last_name": "Obi",
    "role": "patient",
    "profile": {"date_of_birth": "1992-04-01", "sex": "female", "address": "Ikeja", "mobile": "+2348"},
}

DOCTOR_BODY = {
    **PATIENT_BODY,
    "username": "new_doctor",
    "email": "new.doctor@example.org",
    "role": "doctor",
    "profile": {"department": "CL", "specialty": "Cardiology", "address": "VI", "mobile": "+2349"},
}


def test_patient_registers_pending_without_password_in_answer(anon, db):
    response = anon.post("/api/register/", PATIENT_BODY, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["approval_status"] == "pending"
    assert body["role"] == "patient"
    assert body["email"] == "new.patient@example.org"
    assert body["profile"]["date_of_birth"] == "1992-04-01"
    assert "password" not in body and "password2" not in body
    user = User.objects.get(username="new_patient")
    assert user.check_password("Very-secret-42")
    assert PatientProfile.objects.filter(user=user).exists()


def test_doctor_registers_with_department_code(anon, db):
    response = anon.post("/api/register/", DOCTOR_BODY, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["profile"]["department"] == {"code": "CL", "name": "Cardiology"}
    assert DoctorProfile.objects.get(user__username="new_doctor").department.code == "CL"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "admin"}, "role"),
        ({"password2": "Something-else-42"}, "password2"),
        ({"password": "123", "password2": "123"}, "password"),
        ({"password": "password", "password2": "password"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"username": ""}, "username"),
        ({"profile": {"sex": "female"}}, "profile"),
        ({"profile": {"date_of_birth": "2999-01-01"}}, "profile"),
        ({"profile": {"date_of_birth": "1990-01-01", "department": "CL"}}, "profile"),
    ],
)
def test_bad_registration_is_400_and_writes_nothing(anon, db, change, field):
    response = anon.post("/api/register/", {**PATIENT_BODY, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(username=PATIENT_BODY["username"]).exists()


def test_doctor_without_department_or_with_unknown_one_is_400(anon, db):
    no_department = {**DOCTOR_BODY, "profile": {"specialty": "x"}}
    unknown = {**DOCTOR_BODY, "profile": {"department": "ZZZ"}}

    assert anon.post("/api/register/", no_department, format="json").status_code == 400
    assert anon.post("/api/register/", unknown, format="json").status_code == 400
    assert not User.objects.filter(username="new_doctor").exists()


def test_duplicate_username_and_email_are_refused_case_insensitively(anon, patient):
    taken_name = {**PATIENT_BODY, "username": patient.user.username.upper()}
    taken_email = {**PATIENT_BODY, "email": patient.user.email.upper()}

    assert "username" in anon.post("/api/register/", taken_name, format="json").json()
    assert "email" in anon.post("/api/register/", taken_email, format="json").json()


def test_register_ignores_a_bad_bearer_token(anon, db):
    anon.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert anon.post("/api/register/", PATIENT_BODY, format="json").status_code == 201


def test_non_json_body_is_415(anon, db):
    response = anon.post("/api/register/", "username=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415


def test_register_is_throttled_per_ip(anon, db, settings):
    settings.AUTH_THROTTLE_RATE = "3/min"

    statuses = [anon.post("/api/register/", {}, format="json").status_code for _ in range(4)]
    other_ip = anon.post("/api/register/", {}, format="json", REMOTE_ADDR="10.9.9.9")

    assert statuses == [400, 400, 400, 429]
    assert other_ip.status_code == 400
    last = anon.post("/api/register/", {}, format="json")
    assert "Retry-After" in last.headers
    assert last.json()["code"] == "throttled"
