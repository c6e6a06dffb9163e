import pytest

SEEDED = ["AL", "CL", "CRS", "DL", "EMC", "IL"]


def test_departments_are_seeded(api, patient):
    response = api(patient.user).get("/api/departments/")

    assert response.status_code == 200
    assert [d["code"] for d in response.json()] == SEEDED
    cardiology = next(d for d in response.json() if d["code"] == "CL")
    assert cardiology == {"code": "CL", "name": "Cardiology", "daily_room_rate": "1500.00"}


@pytest.mark.parametrize(
    ("persona", "create", "update"),
    [("admin", 201, 200), ("doctor", 403, 403), ("patient", 403, 403), ("anon", 401, 401)],
)
def test_department_writes_are_admin_only(api, anon, admin_user, doctor, patient, persona, create, update):
    client = {"admin": lambda: api(admin_user), "doctor": lambda: api(doctor.user),
              "patient": lambda: api(patient.user), "anon": lambda: anon}[persona]()

    created = client.post("/api/departments/", {"code": "ONC", "name": "Oncology",
                                               "daily_room_rate": "2100.50"}, format="json")
    updated = client.patch("/api/departments/CL/", {"daily_room_rate": "1600.00"}, format="json")

    assert (created.status_code, updated.status_code) == (create, update)


def test_department_validation(api, admin_user):
    client = api(admin_user)

    duplicate = client.post("/api/departments/", {"code": "CL", "name": "X", "daily_room_rate": "1"},
                            format="json")
    negative = client.patch("/api/departments/CL/", {"daily_room_rate": "-1"}, format="json")
    missing = client.patch("/api/departments/NOPE/", {"name": "x"}, format="json")

    assert (duplicate.status_code, negative.status_code, missing.status_code) == (400, 400, 404)
