"""`/api/admissions/`: scope per role, admit, edit, discharge, delete, filters, audit."""

import datetime

import pytest
from django.utils import timezone

from billing.models import Invoice
from clinical.models import Admission
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory, department
from tests.factories.clinical import AdmissionFactory, VisitFactory
from trust.models import AuditEvent

URL = "/api/admissions/"
FIELDS = {
    "id", "patient", "patient_name", "assigned_doctor", "assigned_doctor_name", "department",
    "symptoms", "admitted_at", "discharged_at", "is_active", "created_at",
}


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def detail(admission) -> str:
    return f"{URL}{admission.pk}/"


def new_admission_body(patient, doctor, **extra) -> dict:
    return {"patient": str(patient.pk), "department": "CL", "symptoms": "Fever",
            "assigned_doctor": str(doctor.pk), **extra}


# --- reading -----------------------------------------------------------------------------


def test_unauthenticated_is_401(anon, admission):
    assert anon.get(URL).status_code == 401
    assert anon.get(detail(admission)).status_code == 401


def test_list_scope_per_role(api, personas, admission, other_patient, other_doctor, admin_user):
    elsewhere = AdmissionFactory(patient=other_patient, assigned_doctor=other_doctor,
                                 department=department("DL"), created_by=admin_user)
    both = {str(admission.pk), str(elsewhere.pk)}

    assert ids(api(personas["admin"]).get(URL)) == both
    assert ids(api(personas["doctor"]).get(URL)) == {str(admission.pk)}
    assert ids(api(personas["treating_doctor"]).get(URL)) == {str(admission.pk)}
    assert ids(api(personas["other_doctor"]).get(URL)) == {str(elsewhere.pk)}
    assert ids(api(personas["patient"]).get(URL)) == {str(admission.pk)}
    assert ids(api(personas["other_patient"]).get(URL)) == {str(elsewhere.pk)}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("doctor", 200), ("treating_doctor", 200), ("patient", 200),
     ("other_doctor", 404), ("other_patient", 404)],
)
def test_retrieve_matrix(api, personas, admission, persona, expected):
    assert api(personas[persona]).get(detail(admission)).status_code == expected


def test_detail_fields(api, admin_user, admission, doctor, patient):
    body = api(admin_user).get(detail(admission)).json()

    assert set(body) == FIELDS
    assert body["patient"] == str(patient.pk)
    assert body["assigned_doctor"] == str(doctor.pk)
    assert body["department"] == "CL"
    assert body["patient_name"] == "Carol Case"
    assert body["is_active"] is True and body["discharged_at"] is None


def test_filters(api, admin_user, admission, other_patient, doctor):
    discharged = AdmissionFactory(
        patient=other_patient, assigned_doctor=doctor, department=department("EMC"),
        admitted_at=timezone.now() - datetime.timedelta(days=9),
        discharged_at=timezone.now() - datetime.timedelta(days=8), created_by=admin_user,
    )
    client = api(admin_user)

    assert ids(client.get(URL, {"patient": str(other_patient.pk)})) == {str(discharged.pk)}
    assert ids(client.get(URL, {"department": "CL"})) == {str(admission.pk)}
    assert ids(client.get(URL, {"active": "true"})) == {str(admission.pk)}
    assert ids(client.get(URL, {"active": "false"})) == {str(discharged.pk)}
    assert client.get(URL, {"department": "NOPE"}).status_code == 400
    assert client.get(URL, {"patient": "not-a-uuid"}).status_code == 400


def test_list_is_newest_first(api, admin_user, admission, other_patient, doctor):
    older = AdmissionFactory(patient=other_patient, assigned_doctor=doctor,
                             admitted_at=admission.admitted_at - datetime.timedelta(days=5),
                             created_by=admin_user)

    rows = api(admin_user).get(URL).json()["results"]

    assert [row["id"] for row in rows] == [str(admission.pk), str(older.pk)]


@pytest.mark.parametrize("rows", [1, 12])
def test_list_query_count_is_constant(api, admin_user, django_assert_max_num_queries, rows):
    for _ in range(rows):
        AdmissionFactory(created_by=admin_user)
    client = api(admin_user)

    # user, count, page, one audit insert
    with django_assert_max_num_queries(4):
        response = client.get(URL)

    assert response.json()["count"] == rows


def test_list_read_is_audited(api, patient, admission):
    api(patient.user).get(URL)

    event = AuditEvent.objects.get(object_type="admission")
    assert (event.action, event.object_id, event.patient_id, event.actor_id) == (
        "read", str(admission.pk), patient.pk, patient.user_id)


# --- admitting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 201), ("doctor", 201), ("patient", 403)],
)
def test_create_matrix(api, personas, other_patient, doctor, persona, expected):
    response = api(personas[persona]).post(URL, new_admission_body(other_patient, doctor))

    assert response.status_code == expected
    assert Admission.objects.filter(patient=other_patient).count() == (expected == 201)


def test_admin_admits_a_patient(api, admin_user, patient, doctor):
    response = api(admin_user).post(URL, new_admission_body(patient, doctor))

    assert response.status_code == 201
    body = response.json()
    admission = Admission.objects.get(pk=body["id"])
    assert (admission.patient, admission.assigned_doctor, admission.department.code) == (
        patient, doctor, "CL")
    assert admission.created_by == admin_user
    assert body["is_active"] is True
    assert AuditEvent.objects.filter(action="create", object_type="admission",
                                     object_id=body["id"]).exists()


def test_doctor_admitting_opens_the_care_relation(api, doctor, other_patient):
    client = api(doctor.user)
    assert client.get(f"/api/patients/{other_patient.pk}/").status_code == 404

    response = client.post(URL, new_admission_body(other_patient, doctor))

    assert response.status_code == 201
    assert client.get(f"/api/patients/{other_patient.pk}/").status_code == 200
    assert client.get(f"/api/admissions/{response.json()['id']}/").status_code == 200


def test_backdated_admission_keeps_the_given_time(api, admin_user, patient, doctor):
    when = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)

    body = api(admin_user).post(URL, new_admission_body(patient, doctor,
                                                        admitted_at=when.isoformat())).json()

    assert Admission.objects.get(pk=body["id"]).admitted_at == when


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"patient": "pending"}, "patient"),
        ({"patient": "unknown"}, "patient"),
        ({"assigned_doctor": "pending"}, "assigned_doctor"),
        ({"assigned_doctor": "inactive"}, "assigned_doctor"),
        ({"department": "XX"}, "department"),
        ({"admitted_at": "yesterday"}, "admitted_at"),
        ({"patient": None}, "patient"),
    ],
)
def test_create_refuses_bad_input(api, admin_user, patient, doctor, pending_patient,
                                  pending_doctor, change, field):
    inactive = DoctorProfileFactory(user__is_active=False)
    refs = {"pending": {"patient": pending_patient.pk, "assigned_doctor": pending_doctor.pk},
            "inactive": {"assigned_doctor": inactive.pk},
            "unknown": {"patient": "5b0a8a0e-0000-4000-8000-000000000000"}}
    body = new_admission_body(patient, doctor)
    for name, value in change.items():
        body[name] = str(refs[value][name]) if value in refs else value

    response = api(admin_user).post(URL, body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Admission.objects.exists()


def test_create_refuses_an_inactive_patient(api, admin_user, doctor):
    gone = PatientProfileFactory(user__is_active=False)

    response = api(admin_user).post(URL, new_admission_body(gone, doctor))

    assert response.status_code == 400
    assert "patient" in response.json()


def test_create_refuses_a_future_admission_time(api, admin_user, patient, doctor):
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()

    response = api(admin_user).post(URL, new_admission_body(patient, doctor, admitted_at=later))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert not Admission.objects.exists()


def test_second_open_admission_is_refused(api, admin_user, admission, patient, doctor):
    response = api(admin_user).post(URL, new_admission_body(patient, doctor))

    assert response.status_code == 409
    assert response.json()["code"] == "already_admitted"
    assert Admission.objects.filter(patient=patient).count() == 1


def test_readmission_after_discharge_is_allowed(api, admin_user, admission, patient, doctor):
    admission.discharged_at = timezone.now() - datetime.timedelta(hours=1)
    admission.save()

    assert api(admin_user).post(URL, new_admission_body(patient, doctor)).status_code == 201


# --- editing, discharging, deleting ------------------------------------------------------


WRITE_MATRIX = [
    ("admin", 200), ("doctor", 200), ("treating_doctor", 403), ("patient", 403),
    ("other_doctor", 404), ("other_patient", 404),
]


@pytest.mark.parametrize(("persona", "expected"), WRITE_MATRIX)
def test_update_matrix(api, personas, admission, persona, expected):
    response = api(personas[persona]).patch(detail(admission), {"symptoms": "Chest pain"})

    assert response.status_code == expected
    admission.refresh_from_db()
    assert (admission.symptoms == "Chest pain") == (expected == 200)


def test_update_changes_department_and_doctor(api, admin_user, admission, other_doctor):
    response = api(admin_user).patch(detail(admission), {"department": "DL",
                                                         "assigned_doctor": str(other_doctor.pk)})

    assert response.status_code == 200
    assert (response.json()["department"], response.json()["assigned_doctor"]) == (
        "DL", str(other_doctor.pk))


def test_update_ignores_the_patient(api, admin_user, admission, patient, other_patient):
    response = api(admin_user).patch(detail(admission), {"patient": str(other_patient.pk)})

    assert response.status_code == 200
    admission.refresh_from_db()
    assert admission.patient == patient


def test_update_refuses_an_admission_time_after_the_discharge(api, admin_user, admission):
    admission.discharged_at = timezone.now() - datetime.timedelta(days=1)
    admission.save()

    response = api(admin_user).patch(detail(admission),
                                     {"admitted_at": timezone.now().isoformat()})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


def test_update_refuses_a_pending_doctor(api, admin_user, admission, doctor, pending_doctor):
    response = api(admin_user).patch(detail(admission),
                                     {"assigned_doctor": str(pending_doctor.pk)})

    assert response.status_code == 400
    admission.refresh_from_db()
    assert admission.assigned_doctor == doctor


def test_put_is_not_allowed(api, admin_user, admission):
    assert api(admin_user).put(detail(admission), {"symptoms": "x"}).status_code == 405


@pytest.mark.parametrize(("persona", "expected"), WRITE_MATRIX)
def test_discharge_matrix(api, personas, admission, persona, expected):
    response = api(personas[persona]).post(f"{detail(admission)}discharge/", {})

    assert response.status_code == expected
    admission.refresh_from_db()
    assert (admission.discharged_at is not None) == (expected == 200)


def test_discharge_answers_the_updated_admission(api, doctor, admission):
    when = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)

    response = api(doctor.user).post(f"{detail(admission)}discharge/",
                                     {"discharged_at": when.isoformat()})

    assert response.status_code == 200
    assert set(response.json()) == FIELDS
    assert response.json()["is_active"] is False
    admission.refresh_from_db()
    assert admission.discharged_at == when


def test_discharge_twice_is_409(api, doctor, admission):
    client = api(doctor.user)
    assert client.post(f"{detail(admission)}discharge/", {}).status_code == 200

    response = client.post(f"{detail(admission)}discharge/", {})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.parametrize(
    "offset", [datetime.timedelta(days=-4), datetime.timedelta(hours=2)],
    ids=["before-admission", "future"],
)
def test_discharge_refuses_an_impossible_time(api, doctor, admission, offset):
    when = (timezone.now() + offset).isoformat()

    response = api(doctor.user).post(f"{detail(admission)}discharge/", {"discharged_at": when})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    admission.refresh_from_db()
    assert admission.discharged_at is None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 204), ("doctor", 403), ("treating_doctor", 403), ("patient", 403),
     ("other_doctor", 404), ("other_patient", 404)],
)
def test_delete_matrix(api, personas, admission, persona, expected):
    response = api(personas[persona]).delete(detail(admission))

    assert response.status_code == expected
    assert Admission.objects.filter(pk=admission.pk).exists() == (expected != 204)


def test_delete_is_audited(api, admin_user, admission):
    api(admin_user).delete(detail(admission))

    assert AuditEvent.objects.filter(action="delete", object_type="admission",
                                     object_id=str(admission.pk)).exists()


def test_delete_refused_when_an_appointment_points_at_it(api, admin_user, admission):
    VisitFactory(patient=admission.patient, doctor=admission.assigned_doctor, admission=admission)

    response = api(admin_user).delete(detail(admission))

    assert response.status_code == 409
    assert response.json()["code"] == "has_records"
    assert Admission.objects.filter(pk=admission.pk).exists()


def test_delete_refused_when_an_invoice_points_at_it(api, admin_user, admission):
    Invoice.objects.create(patient=admission.patient, admission=admission, currency="BDT",
                           created_by=admin_user)

    response = api(admin_user).delete(detail(admission))

    assert response.status_code == 409
    assert response.json()["code"] == "has_records"
    assert Admission.objects.filter(pk=admission.pk).exists()
