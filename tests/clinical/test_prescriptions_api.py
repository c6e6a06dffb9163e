"""`/api/prescriptions/`: by the appointment's doctor, edited while active, cancelled, never deleted."""

import pytest

from appointments.models import Appointment
from clinical.models import Prescription
from tests.factories.clinical import PrescriptionFactory, VisitFactory
from trust.models import AuditEvent

URL = "/api/prescriptions/"
FIELDS = {
    "id", "appointment", "patient", "patient_name", "doctor", "doctor_name", "medicine_name",
    "dosage", "frequency", "duration_days", "quantity", "instructions", "status", "issued_at",
    "cancelled_at", "cancellation_reason", "allergy_override",
}


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def detail(prescription) -> str:
    return f"{URL}{prescription.pk}/"


def body_for(appointment, **extra) -> dict:
    return {"appointment": str(appointment.pk), "medicine_name": "Atorvastatin", "dosage": "20 mg",
            "frequency": "once at night", "duration_days": 30, "quantity": 30,
            "instructions": "With water.", **extra}


@pytest.fixture
def visit(doctor, patient):
    """`doctor`'s completed visit with `patient`."""
    return VisitFactory(doctor=doctor, patient=patient)


@pytest.fixture
def prescription(visit):
    """`doctor`'s active prescription for `patient`."""
    return PrescriptionFactory(appointment=visit)


# --- reading -----------------------------------------------------------------------------


def test_list_scope_per_role(api, personas, prescription, treating_doctor, other_doctor,
                             other_patient):
    by_treating = PrescriptionFactory(appointment=treating_doctor.appointments.get())
    elsewhere = PrescriptionFactory(
        appointment=VisitFactory(doctor=other_doctor, patient=other_patient)
    )

    assert ids(api(personas["admin"]).get(URL)) == {
        str(prescription.pk), str(by_treating.pk), str(elsewhere.pk)}
    assert ids(api(personas["doctor"]).get(URL)) == {str(prescription.pk)}
    assert ids(api(personas["treating_doctor"]).get(URL)) == {str(by_treating.pk)}
    assert ids(api(personas["other_doctor"]).get(URL)) == {str(elsewhere.pk)}
    assert ids(api(personas["patient"]).get(URL)) == {str(prescription.pk), str(by_treating.pk)}
    assert ids(api(personas["other_patient"]).get(URL)) == {str(elsewhere.pk)}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("doctor", 200), ("patient", 200), ("treating_doctor", 404),
     ("other_doctor", 404), ("other_patient", 404)],
)
def test_retrieve_matrix(api, personas, prescription, persona, expected):
    assert api(personas[persona]).get(detail(prescription)).status_code == expected


def test_detail_fields(api, patient, prescription, visit, doctor):
    body = api(patient.user).get(detail(prescription)).json()

    assert set(body) == FIELDS
    assert (body["appointment"], body["patient"], body["doctor"]) == (
        str(visit.pk), str(patient.pk), str(doctor.pk))
    assert body["status"] == "active"


def test_filters(api, admin_user, prescription, visit, other_doctor, other_patient):
    elsewhere = PrescriptionFactory(
        appointment=VisitFactory(doctor=other_doctor, patient=other_patient),
        status=Prescription.Status.CANCELLED,
    )
    client = api(admin_user)

    assert ids(client.get(URL, {"patient": str(other_patient.pk)})) == {str(elsewhere.pk)}
    assert ids(client.get(URL, {"appointment": str(visit.pk)})) == {str(prescription.pk)}
    assert ids(client.get(URL, {"status": "active"})) == {str(prescription.pk)}
    assert ids(client.get(URL, {"status": "cancelled"})) == {str(elsewhere.pk)}
    assert client.get(URL, {"status": "deleted"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 15])
def test_list_query_count_is_constant(api, doctor, visit, django_assert_max_num_queries, rows):
    PrescriptionFactory.create_batch(rows, appointment=visit)
    client = api(doctor.user)

    with django_assert_max_num_queries(4):
        response = client.get(URL)

    assert response.json()["count"] == rows


def test_read_is_audited(api, patient, prescription):
    api(patient.user).get(detail(prescription))

    event = AuditEvent.objects.get(object_type="prescription")
    assert (event.action, event.object_id, event.patient_id) == (
        "read", str(prescription.pk), patient.pk)


# --- writing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("doctor", 201), ("admin", 403), ("patient", 403), ("other_patient", 403)],
)
def test_create_matrix(api, personas, visit, persona, expected):
    response = api(personas[persona]).post(URL, body_for(visit))

    assert response.status_code == expected
    assert Prescription.objects.count() == (expected == 201)


def test_doctor_prescribes_for_the_patient_of_the_appointment(api, doctor, patient, visit,
                                                               other_patient):
    response = api(doctor.user).post(URL, body_for(visit, patient=str(other_patient.pk)))

    assert response.status_code == 201
    rx = Prescription.objects.get(pk=response.json()["id"])
    assert (rx.appointment, rx.patient, rx.doctor, rx.status) == (visit, patient, doctor, "active")
    assert set(response.json()) == FIELDS
    assert AuditEvent.objects.filter(action="create", object_type="prescription",
                                     object_id=str(rx.pk), patient=patient).exists()


@pytest.mark.parametrize("persona", ["other_doctor", "treating_doctor"])
def test_another_doctors_appointment_is_unknown(api, personas, visit, persona):
    response = api(personas[persona]).post(URL, body_for(visit))

    assert response.status_code == 400
    assert "appointment" in response.json()
    assert str(visit.pk) in response.json()["appointment"][0]
    assert not Prescription.objects.exists()


@pytest.mark.parametrize(
    ("status", "expected"),
    [("confirmed", 201), ("completed", 201), ("requested", 409), ("cancelled", 409),
     ("rejected", 409), ("no_show", 409)],
)
def test_create_needs_a_confirmed_or_completed_appointment(api, doctor, patient, status, expected):
    appointment = VisitFactory(doctor=doctor, patient=patient, status=status)

    response = api(doctor.user).post(URL, body_for(appointment))

    assert response.status_code == expected
    if expected == 409:
        assert response.json()["code"] == "invalid_state"
    assert Prescription.objects.count() == (expected == 201)


@pytest.mark.parametrize(
    "change",
    [{"duration_days": 0}, {"quantity": -1}, {"medicine_name": ""}, {"quantity": "many"},
     {"duration_days": 10**12}, {"appointment": "not-a-uuid"}],
)
def test_create_refuses_bad_input(api, doctor, visit, change):
    response = api(doctor.user).post(URL, body_for(visit) | change)

    assert response.status_code == 400
    assert set(change) <= set(response.json())
    assert not Prescription.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("doctor", 200), ("admin", 403), ("patient", 403), ("treating_doctor", 404),
     ("other_doctor", 404), ("other_patient", 404)],
)
def test_update_matrix(api, personas, prescription, persona, expected):
    response = api(personas[persona]).patch(detail(prescription), {"dosage": "10 mg"})

    assert response.status_code == expected
    prescription.refresh_from_db()
    assert (prescription.dosage == "10 mg") == (expected == 200)


def test_update_leaves_appointment_patient_and_status_alone(api, doctor, prescription, visit,
                                                            other_patient):
    other_visit = VisitFactory(doctor=doctor, patient=other_patient)

    response = api(doctor.user).patch(detail(prescription), {
        "quantity": 60, "appointment": str(other_visit.pk), "patient": str(other_patient.pk),
        "status": "cancelled"})

    assert response.status_code == 200
    prescription.refresh_from_db()
    assert (prescription.quantity, prescription.appointment, prescription.status) == (
        60, visit, "active")


def test_update_of_a_cancelled_prescription_is_409(api, doctor, prescription):
    prescription.status = Prescription.Status.CANCELLED
    prescription.save()

    response = api(doctor.user).patch(detail(prescription), {"dosage": "10 mg"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("doctor", 200), ("admin", 200), ("patient", 403), ("treating_doctor", 404),
     ("other_doctor", 404), ("other_patient", 404)],
)
def test_cancel_matrix(api, personas, prescription, persona, expected):
    response = api(personas[persona]).post(f"{detail(prescription)}cancel/",
                                           {"reason": "Allergy reported"})

    assert response.status_code == expected
    prescription.refresh_from_db()
    assert (prescription.status == "cancelled") == (expected == 200)


def test_cancel_records_who_and_why(api, admin_user, prescription):
    response = api(admin_user).post(f"{detail(prescription)}cancel/", {"reason": "Wrong drug"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancellation_reason"] == "Wrong drug"
    prescription.refresh_from_db()
    assert prescription.cancelled_by == admin_user and prescription.cancelled_at is not None


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_cancel_needs_a_reason(api, doctor, prescription, body):
    response = api(doctor.user).post(f"{detail(prescription)}cancel/", body)

    assert response.status_code == 400
    prescription.refresh_from_db()
    assert prescription.status == "active"


def test_cancel_twice_is_409(api, doctor, prescription):
    client = api(doctor.user)
    client.post(f"{detail(prescription)}cancel/", {"reason": "Stop"})

    response = client.post(f"{detail(prescription)}cancel/", {"reason": "Again"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


@pytest.mark.parametrize("persona", ["doctor", "admin"])
def test_prescriptions_are_never_deleted(api, personas, prescription, persona):
    response = api(personas[persona]).delete(detail(prescription))

    assert response.status_code == 405
    assert Prescription.objects.filter(pk=prescription.pk).exists()


def test_prescription_survives_its_appointment_being_cancelled_later(api, doctor, prescription,
                                                                    visit):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CANCELLED)

    assert api(doctor.user).get(detail(prescription)).status_code == 200
