import pytest

from tests.factories.accounts import PASSWORD


def test_me_shows_own_fields_role_approval_and_profile(api, doctor):
    body = api(doctor.user).get("/api/me/").json()

    assert body["id"] == str(doctor.user_id)
    assert body["role"] == "doctor"
    assert body["approval_status"] == "approved"
    assert body["profile"]["department"]["code"] == "CL"
    assert "password" not in body


def test_admin_me_has_no_profile(api, admin_user):
    assert api(admin_user).get("/api/me/").json()["profile"] is None


def test_patient_edits_names_and_profile(api, patient):
    response = api(patient.user).patch(
        "/api/me/", {"first_name": "Caroline", "profile": {"mobile": "+1 555", "sex": "other"}},
        format="json",
    )

    assert response.status_code == 200, response.content
    patient.refresh_from_db()
    assert patient.user.first_name == "Caroline"
    assert (patient.mobile, patient.sex) == ("+1 555", "other")


def test_role_and_approval_are_read_only(api, patient):
    response = api(patient.user).patch(
        "/api/me/", {"role": "admin", "approval_status": "approved"}, format="json"
    )

    assert response.status_code == 200
    patient.user.refresh_from_db()
    assert patient.user.role == "patient"


@pytest.mark.parametrize(
    "body",
    [{"profile": {"department": "DL"}}, {"profile": {"date_of_birth": "1990-01-01"}},
     {"email": "bad"}],
)
def test_doctor_cannot_change_department_or_patient_fields(api, doctor, body):
    response = api(doctor.user).patch("/api/me/", body, format="json")

    assert response.status_code == 400
    doctor.refresh_from_db()
    assert doctor.department.code == "CL"


def test_password_change_needs_the_old_password_and_revokes_sessions(api, anon, patient):
    refresh = anon.post("/api/token/", {"username": patient.user.username, "password": PASSWORD},
                        format="json").json()["refresh"]
    client = api(patient.user)

    wrong = client.post("/api/me/password/", {"old_password": "nope", "new_password": "An0ther-good-one"},
                        format="json")
    weak = client.post("/api/me/password/", {"old_password": PASSWORD, "new_password": "123"},
                       format="json")
    ok = client.post("/api/me/password/", {"old_password": PASSWORD, "new_password": "An0ther-good-one"},
                     format="json")

    assert (wrong.status_code, weak.status_code, ok.status_code) == (400, 400, 204)
    patient.user.refresh_from_db()
    assert patient.user.check_password("An0ther-good-one")
    assert anon.post("/api/token/refresh/", {"refresh": refresh}, format="json").status_code == 401
