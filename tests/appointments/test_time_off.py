"""Time off and holidays: their API, the slots they remove, and the 409 / cancel rule."""

import datetime

import pytest
from django.utils import timezone

from appointments.models import Appointment, Holiday, TimeOff
from notifications.models import Notification
from tests.factories.appointments import AppointmentFactory, days_ahead, future_slot


def time_off_url(doctor, block=None):
    base = f"/api/doctors/{doctor.pk}/time-off/"
    return f"{base}{block.pk}/" if block else base


def leave(days=3, hours=None):
    start = future_slot(days=days, hour=0)
    return start, start + (datetime.timedelta(hours=hours) if hours else datetime.timedelta(days=1))


def block_of(doctor, days=3):
    start, end = leave(days)
    return TimeOff.objects.create(doctor=doctor, start=start, end=end, reason="Conference")


def body(days=3, **extra):
    start, end = leave(days)
    return {"start": start.isoformat(), "end": end.isoformat(), "reason": "Leave", **extra}


def slot_starts(api, user, doctor, day):
    response = api(user).get(f"/api/doctors/{doctor.pk}/slots/", {"date": day.isoformat()})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("role", "expected"), [("self", 201), ("admin", 201),
                                                ("other_doctor", 403), ("patient", 403)])
def test_who_may_add_time_off(api, admin_user, doctor, other_doctor, patient, schedule, role, expected):
    user = {"self": doctor.user, "admin": admin_user, "other_doctor": other_doctor.user,
            "patient": patient.user}[role]

    response = api(user).post(time_off_url(doctor), body())

    assert response.status_code == expected, response.content
    assert TimeOff.objects.filter(doctor=doctor).count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert set(response.json()) == {"id", "start", "end", "reason"}


@pytest.mark.parametrize(("role", "expected"), [("self", 204), ("admin", 204),
                                                ("other_doctor", 403), ("patient", 403)])
def test_who_may_remove_time_off(api, admin_user, doctor, other_doctor, patient, role, expected):
    block = block_of(doctor)
    user = {"self": doctor.user, "admin": admin_user, "other_doctor": other_doctor.user,
            "patient": patient.user}[role]

    response = api(user).delete(time_off_url(doctor, block))

    assert response.status_code == expected
    assert TimeOff.objects.filter(pk=block.pk).exists() == (expected != 204)


def test_list_shows_upcoming_blocks_and_hides_the_reason_from_patients(
    api, admin_user, doctor, patient
):
    upcoming = block_of(doctor, days=3)
    later = block_of(doctor, days=10)
    TimeOff.objects.create(doctor=doctor, start=timezone.now() - datetime.timedelta(days=3),
                           end=timezone.now() - datetime.timedelta(days=2))

    staff = api(admin_user).get(time_off_url(doctor)).json()
    public = api(patient.user).get(time_off_url(doctor)).json()

    assert [row["id"] for row in staff["results"]] == [str(upcoming.pk), str(later.pk)]
    assert staff["results"][0]["reason"] == "Conference"
    assert [set(row) for row in public["results"]] == [{"start", "end"}] * 2


def test_unknown_doctor_and_block_are_404(api, admin_user, doctor, other_doctor):
    block = block_of(other_doctor)
    missing = "00000000-0000-0000-0000-000000000000"
    client = api(admin_user)

    assert client.get(f"/api/doctors/{missing}/time-off/").status_code == 404
    assert client.post(f"/api/doctors/{missing}/time-off/", body()).status_code == 404
    # A block of another doctor is not found under this doctor.
    assert client.delete(time_off_url(doctor, block)).status_code == 404
    assert TimeOff.objects.filter(pk=block.pk).exists()


@pytest.mark.parametrize(("payload", "field"), [
    ({"end": "start"}, "end"),
    ({"days": 91}, "end"),
])
def test_bad_time_off_is_400_and_stores_nothing(api, doctor, payload, field):
    start = future_slot(days=2, hour=9)
    end = start if payload.get("end") == "start" else start + datetime.timedelta(days=payload["days"])

    response = api(doctor.user).post(time_off_url(doctor), {"start": start.isoformat(),
                                                            "end": end.isoformat()})

    assert response.status_code == 400
    assert field in response.json()
    assert not TimeOff.objects.exists()


def test_time_off_in_the_past_is_400(api, doctor):
    start = future_slot(days=-3, hour=9)

    response = api(doctor.user).post(time_off_url(doctor), {
        "start": start.isoformat(), "end": (start + datetime.timedelta(hours=2)).isoformat()})

    assert response.status_code == 400
    assert response.json()["code"] == "in_past"
    assert not TimeOff.objects.exists()


def test_slots_inside_time_off_disappear_and_come_back(api, doctor, patient, schedule):
    day = days_ahead(3)
    before = slot_starts(api, patient.user, doctor, day)
    start = future_slot(days=3, hour=10)
    api(doctor.user).post(time_off_url(doctor), {
        "start": start.isoformat(), "end": (start + datetime.timedelta(hours=2)).isoformat()})

    during = slot_starts(api, patient.user, doctor, day)

    assert len(during) == len(before) - 4
    block = TimeOff.objects.get()
    api(doctor.user).delete(time_off_url(doctor, block))
    assert slot_starts(api, patient.user, doctor, day) == before


def test_booking_into_time_off_is_outside_schedule(api, doctor, patient, schedule):
    block_of(doctor, days=3)

    response = api(patient.user).post("/api/appointments/", {
        "doctor": str(doctor.pk), "start": future_slot(days=3, hour=9).isoformat(), "reason": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "outside_schedule"
    assert not Appointment.objects.exists()


def test_confirming_a_request_inside_time_off_is_outside_schedule(api, doctor, patient, schedule):
    requested = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(3, 9),
                                   status=Appointment.Status.REQUESTED)
    block_start = future_slot(days=3, hour=0)
    # Stored directly: the API would refuse a block over an active appointment.
    TimeOff.objects.create(doctor=doctor, start=block_start,
                           end=block_start + datetime.timedelta(days=1))

    response = api(doctor.user).post(f"/api/appointments/{requested.pk}/confirm/", {})

    assert response.status_code == 400
    assert response.json()["code"] == "outside_schedule"
    requested.refresh_from_db()
    assert requested.status == Appointment.Status.REQUESTED


def test_rescheduling_into_time_off_is_outside_schedule(api, doctor, patient, schedule):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(2, 9))
    block_of(doctor, days=3)

    response = api(doctor.user).patch(f"/api/appointments/{appointment.pk}/",
                                      {"start": future_slot(3, 9).isoformat()})

    assert response.status_code == 400
    assert response.json()["code"] == "outside_schedule"
    appointment.refresh_from_db()
    assert appointment.start == future_slot(2, 9)


def test_time_off_over_appointments_is_409_listing_them_and_stores_nothing(
    api, doctor, patient, other_patient, schedule
):
    inside = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(3, 9))
    requested = AppointmentFactory(doctor=doctor, patient=other_patient, start=future_slot(3, 11),
                                   status=Appointment.Status.REQUESTED)
    AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(3, 12),
                       status=Appointment.Status.CANCELLED)
    AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(5, 9))

    response = api(doctor.user).post(time_off_url(doctor), body())

    assert response.status_code == 409
    assert response.json()["code"] == "has_appointments"
    assert response.json()["appointments"] == [str(inside.pk), str(requested.pk)]
    assert not TimeOff.objects.exists()
    inside.refresh_from_db()
    assert inside.status == Appointment.Status.CONFIRMED


def test_cancel_appointments_cancels_them_and_notifies_each_patient(
    api, doctor, patient, other_patient, schedule, django_capture_on_commit_callbacks, mailoutbox
):
    first = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(3, 9))
    second = AppointmentFactory(doctor=doctor, patient=other_patient, start=future_slot(3, 10))
    untouched = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(5, 9))

    with django_capture_on_commit_callbacks(execute=True):
        response = api(doctor.user).post(time_off_url(doctor), body(cancel_appointments=True))

    assert response.status_code == 201
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        assert appointment.cancellation_reason == "The doctor is unavailable"
        assert appointment.events.filter(action="cancel").count() == 1
    untouched.refresh_from_db()
    assert untouched.status == Appointment.Status.CONFIRMED
    notes = Notification.objects.filter(kind=Notification.Kind.APPOINTMENT_CANCELLED)
    assert {n.user_id for n in notes} == {patient.pk, other_patient.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([patient.user.email,
                                                          other_patient.user.email])


@pytest.mark.parametrize(("role", "expected"), [("admin", 201), ("doctor", 403), ("patient", 403)])
def test_only_admins_add_holidays(api, admin_user, doctor, patient, role, expected):
    user = {"admin": admin_user, "doctor": doctor.user, "patient": patient.user}[role]

    response = api(user).post("/api/holidays/", {"date": days_ahead(4).isoformat(),
                                                 "name": "Founders' Day"})

    assert response.status_code == expected
    assert Holiday.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(("role", "expected"), [("admin", 204), ("doctor", 403), ("patient", 403)])
def test_only_admins_remove_holidays(api, admin_user, doctor, patient, role, expected):
    holiday = Holiday.objects.create(date=days_ahead(4), name="Founders' Day")
    user = {"admin": admin_user, "doctor": doctor.user, "patient": patient.user}[role]

    response = api(user).delete(f"/api/holidays/{holiday.pk}/")

    assert response.status_code == expected
    assert Holiday.objects.filter(pk=holiday.pk).exists() == (expected != 204)


def test_holidays_list_upcoming_dates_to_every_role(api, patient):
    Holiday.objects.create(date=days_ahead(-2), name="Past")
    soon = Holiday.objects.create(date=days_ahead(2), name="Soon")
    later = Holiday.objects.create(date=days_ahead(9), name="Later")

    response = api(patient.user).get("/api/holidays/")

    assert [row["id"] for row in response.json()["results"]] == [str(soon.pk), str(later.pk)]
    assert set(response.json()["results"][0]) == {"id", "date", "name"}


def test_a_second_holiday_on_a_date_is_400(api, admin_user):
    Holiday.objects.create(date=days_ahead(4), name="First")

    response = api(admin_user).post("/api/holidays/", {"date": days_ahead(4).isoformat(),
                                                       "name": "Second"})

    assert response.status_code == 400
    assert response.json()["code"] == "holiday_exists"
    assert Holiday.objects.count() == 1


def test_a_past_holiday_is_400(api, admin_user):
    response = api(admin_user).post("/api/holidays/", {"date": days_ahead(-1).isoformat(),
                                                       "name": "Past"})

    assert response.status_code == 400
    assert response.json()["code"] == "in_past"
    assert not Holiday.objects.exists()


def test_a_holiday_removes_every_doctors_slots_that_day(
    api, admin_user, doctor, other_doctor, patient, schedule, other_schedule
):
    day = days_ahead(4)
    api(admin_user).post("/api/holidays/", {"date": day.isoformat(), "name": "Closed"})

    assert slot_starts(api, patient.user, doctor, day) == []
    assert slot_starts(api, patient.user, other_doctor, day) == []
    assert slot_starts(api, patient.user, doctor, days_ahead(5)) != []
    available = api(patient.user).get("/api/doctors/available/", {"date": day.isoformat()})
    assert available.json()["results"] == []


def test_a_holiday_over_appointments_is_409_unless_cancelled(
    api, admin_user, doctor, patient, schedule
):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(4, 9))
    payload = {"date": days_ahead(4).isoformat(), "name": "Closed"}

    refused = api(admin_user).post("/api/holidays/", payload)
    accepted = api(admin_user).post("/api/holidays/", {**payload, "cancel_appointments": True})

    assert refused.status_code == 409
    assert refused.json()["appointments"] == [str(appointment.pk)]
    assert accepted.status_code == 201
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert Notification.objects.filter(user=patient.user,
                                       kind=Notification.Kind.APPOINTMENT_CANCELLED).count() == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_time_off_list_query_count_is_constant(
    api, doctor, patient, django_assert_max_num_queries, rows
):
    start = future_slot(days=1, hour=0)
    TimeOff.objects.bulk_create([
        TimeOff(doctor=doctor, start=start + datetime.timedelta(days=n),
                end=start + datetime.timedelta(days=n, hours=1)) for n in range(rows)
    ])
    client = api(patient.user)

    with django_assert_max_num_queries(5):
        response = client.get(time_off_url(doctor), {"page_size": 100})

    assert response.json()["count"] == rows
