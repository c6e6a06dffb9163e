"""The admin's queue of appointment requests: list, detail, approve, reject; admins only."""

import datetime

import pytest

from appointments.models import Appointment
from tests.factories.appointments import AppointmentFactory, future_slot

URL = "/api/admin/approvals/appointments/"


def url(appointment, action=None):
    return f"{URL}{appointment.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def request_with_time(doctor, patient, schedule):
    return AppointmentFactory(doctor=doctor, patient=patient, status="requested")


def test_queue_lists_requests_only_oldest_first(api, admin_user, doctor, schedule):
    first = AppointmentFactory(doctor=doctor, status="requested")
    second = AppointmentFactory(doctor=doctor, status="requested", start=None, end=None)
    for status in ("confirmed", "cancelled", "rejected", "completed", "no_show"):
        AppointmentFactory(doctor=doctor, status=status)

    response = api(admin_user).get(URL)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(first.pk), str(second.pk)]


@pytest.mark.parametrize("role", ["doctor", "patient"])
@pytest.mark.parametrize(("method", "action"), [("get", None), ("get", "detail"),
                                                ("post", "approve"), ("post", "reject")])
def test_queue_is_admin_only(api, doctor, patient, request_with_time, role, method, action):
    user = doctor.user if role == "doctor" else patient.user
    path = URL if action is None else url(request_with_time, None if action == "detail" else action)

    response = getattr(api(user), method)(path, {"reason": "x"} if method == "post" else None)

    assert response.status_code == 403
    request_with_time.refresh_from_db()
    assert request_with_time.status == "requested"


def test_detail_shows_any_appointment_with_events(api, admin_user, doctor, schedule):
    confirmed = AppointmentFactory(doctor=doctor, status="confirmed")

    response = api(admin_user).get(url(confirmed))

    assert response.status_code == 200
    assert response.json()["events"] == []
    assert response.json()["prescriptions"] == []


def test_unknown_appointment_is_404(api, admin_user):
    assert api(admin_user).get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_approve_confirms_and_mails_the_patient(api, admin_user, patient, request_with_time,
                                               django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(admin_user).post(url(request_with_time, "approve"), {})

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert response.json()["events"][-1]["action"] == "confirm"
    assert [m.to for m in mailoutbox] == [[patient.user.email]]


def test_approve_needs_a_start_when_the_request_has_none(api, admin_user, doctor, patient, schedule):
    pending = AppointmentFactory(doctor=doctor, patient=patient, status="requested", start=None, end=None)
    slot = future_slot(days=2, hour=11)

    missing = api(admin_user).post(url(pending, "approve"), {})
    done = api(admin_user).post(url(pending, "approve"), {"start": slot.isoformat()})

    assert missing.status_code == 400
    assert "start" in missing.json()
    assert done.status_code == 200
    assert datetime.datetime.fromisoformat(done.json()["start"]) == slot


@pytest.mark.parametrize("status", ["confirmed", "cancelled", "rejected", "completed", "no_show"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_deciding_a_non_request_is_409(api, admin_user, doctor, schedule, status, action):
    appointment = AppointmentFactory(doctor=doctor, status=status)

    response = api(admin_user).post(url(appointment, action), {"reason": "No"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    appointment.refresh_from_db()
    assert appointment.status == status


def test_reject_needs_a_reason(api, admin_user, request_with_time):
    response = api(admin_user).post(url(request_with_time, "reject"), {})

    assert response.status_code == 400
    assert "reason" in response.json()


def test_reject_records_the_reason_and_mails_it(api, admin_user, request_with_time,
                                               django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(admin_user).post(url(request_with_time, "reject"), {"reason": "Fully booked"})

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["cancellation_reason"] == "Fully booked"
    event = request_with_time.events.get()
    assert (event.action, event.from_status, event.to_status, event.reason) == (
        "reject", "requested", "rejected", "Fully booked"
    )
    assert mailoutbox[0].subject == "Your appointment request was declined"
    assert "Fully booked" in mailoutbox[0].body


def test_rejected_request_frees_its_slot(api, admin_user, other_patient, doctor, request_with_time):
    api(admin_user).post(url(request_with_time, "reject"), {"reason": "No"})

    response = api(other_patient.user).post("/api/appointments/", {
        "doctor": str(doctor.pk), "start": request_with_time.start.isoformat(), "reason": "x"})

    assert response.status_code == 201
    assert Appointment.objects.filter(status="requested").count() == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_queue_query_count_is_constant(api, admin_user, doctor, django_assert_max_num_queries, rows):
    for _ in range(rows):
        AppointmentFactory(doctor=doctor, status="requested")
    client = api(admin_user)

    with django_assert_max_num_queries(4):
        response = client.get(URL)

    assert response.json()["count"] == rows
