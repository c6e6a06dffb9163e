import pytest

from accounts.models import User
from tests.factories.accounts import DoctorProfileFactory

PUBLIC = {"id", "first_name", "last_name", "full_name", "department", "specialty", "consultation_fee"}
PRIVATE = {"email", "address", "mobile"}

NEW_DOCTOR = {
    "username": "dr_new", "email": "dr.new@example.org", "password": "Very-secret-42",
    "password2": "Very-secret-42", "first_name": "New", "last_name": "Doc",
    "profile": {"department": "EMC", "specialty": "Trauma"}, "consultation_fee": "800.00",
}


def persona_client(api, anon, personas, name):
    return anon if name == "anon" else api(personas[name])


@pytest.fixture
def personas(admin_user, doctor, other_doctor, patient, pending_patient):
    return {"admin": admin_user, "doctor": doctor.user, "other_doctor": other_doctor.user,
            "patient": patient.user, "pending": pending_patient.user}


def test_list_shows_only_approved_active_doctors_with_public_fields(api, patient, doctor, other_doctor,
                                                                    pending_doctor):
    DoctorProfileFactory(user__is_active=False)

    response = api(patient.user).get("/api/doctors/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert {d["id"] for d in results} == {str(doctor.user_id), str(other_doctor.user_id)}
    assert all(set(d) == PUBLIC for d in results)
    assert results[0]["department"].keys() == {"code", "name"}


def test_private_fields_only_to_self_and_admin(api, doctor, other_doctor, admin_user):
    url = f"/api/doctors/{doctor.user_id}/"

    assert set(api(doctor.user).get(url).json()) == PUBLIC | PRIVATE
    assert set(api(admin_user).get(url).json()) == PUBLIC | PRIVATE
    assert set(api(other_doctor.user).get(url).json()) == PUBLIC


def test_filters_department_and_q(api, patient, doctor, other_doctor):
    client = api(patient.user)

    by_department = client.get("/api/doctors/?department=DL").json()["results"]
    by_name = client.get(f"/api/doctors/?q={doctor.user.last_name}").json()["results"]
    by_specialty = client.get("/api/doctors/?q=dermat").json()["results"]

    assert [d["id"] for d in by_department] == [str(other_doctor.user_id)]
    assert [d["id"] for d in by_name] == [str(doctor.user_id)]
    assert [d["id"] for d in by_specialty] == [str(other_doctor.user_id)]


def test_unknown_department_filter_is_400(api, patient):
    assert api(patient.user).get("/api/doctors/?department=NOPE").status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 201), ("doctor", 403), ("patient", 403), ("pending", 401), ("anon", 401)],
)
def test_create_doctor_matrix(api, anon, personas, persona, expected):
    response = persona_client(api, anon, personas, persona).post("/api/doctors/", NEW_DOCTOR, format="json")

    assert response.status_code == expected
    assert User.objects.filter(username="dr_new").exists() == (expected == 201)


def test_admin_created_doctor_is_approved_at_once(api, anon, admin_user):
    response = api(admin_user).post("/api/doctors/", NEW_DOCTOR, format="json")

    assert response.json()["consultation_fee"] == "800.00"
    user = User.objects.get(username="dr_new")
    assert user.approval_status == "approved" and user.approved_by == admin_user
    token = anon.post("/api/token/", {"username": "dr_new", "password": "Very-secret-42"}, format="json")
    assert token.status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("doctor", 200), ("other_doctor", 403), ("patient", 403), ("anon", 401)],
)
def test_update_doctor_matrix(api, anon, personas, doctor, persona, expected):
    response = persona_client(api, anon, personas, persona).patch(
        f"/api/doctors/{doctor.user_id}/", {"specialty": "Electrophysiology"}, format="json")

    assert response.status_code == expected
    doctor.refresh_from_db()
    assert (doctor.specialty == "Electrophysiology") == (expected == 200)


def test_fee_and_department_are_admin_only(api, doctor, admin_user):
    url = f"/api/doctors/{doctor.user_id}/"

    by_self = api(doctor.user).patch(url, {"consultation_fee": "9999.00"}, format="json")
    by_admin = api(admin_user).put(url, {"consultation_fee": "1300.50", "department": "EMC"}, format="json")

    assert by_self.status_code == 400
    assert by_admin.status_code == 200
    assert by_admin.json()["consultation_fee"] == "1300.50"
    assert by_admin.json()["department"]["code"] == "EMC"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 204), ("doctor", 403), ("patient", 403), ("anon", 401)],
)
def test_delete_doctor_matrix(api, anon, personas, other_doctor, persona, expected):
    response = persona_client(api, anon, personas, persona).delete(f"/api/doctors/{other_doctor.user_id}/")

    assert response.status_code == expected
    other_doctor.user.refresh_from_db()
    assert other_doctor.user.is_active == (expected != 204)


def test_deactivated_doctor_leaves_the_list_and_keeps_its_row(api, admin_user, doctor, patient):
    api(admin_user).delete(f"/api/doctors/{doctor.user_id}/")

    assert api(patient.user).get(f"/api/doctors/{doctor.user_id}/").status_code == 404
    assert User.objects.filter(pk=doctor.user_id, is_active=False).exists()


def test_unknown_and_malformed_ids_are_404(api, patient):
    client = api(patient.user)

    assert client.get("/api/doctors/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/api/doctors/not-a-uuid/").status_code == 404


def test_doctor_list_query_count_does_not_grow(api, patient, django_assert_max_num_queries):
    client = api(patient.user)
    DoctorProfileFactory()
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/doctors/").json()["results"]) == 1
    DoctorProfileFactory.create_batch(30)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/doctors/?page_size=50").json()["results"]) == 31


def test_page_size_is_capped_at_100(api, patient):
    DoctorProfileFactory.create_batch(3)

    body = api(patient.user).get("/api/doctors/?page_size=1000").json()

    assert body["count"] == 3 and set(body) == {"count", "next", "previous", "results"}
