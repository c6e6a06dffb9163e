"""Doctors' weekly schedules: read by every approved user, written by the doctor self or an admin."""

import pytest

from appointments.models import Schedule, ScheduleHours
from tests.factories.appointments import working_every_day


def url(doctor):
    return f"/api/doctors/{doctor.pk}/schedule/"


WEEK = {
    "slot_minutes": 20,
    "hours": [
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        {"weekday": 0, "start": "13:00", "end": "17:00"},
        {"weekday": 4, "start": "08:30", "end": "12:30"},
    ],
}


@pytest.fixture
def users(admin_user, doctor, other_doctor, patient):
    return {"admin": admin_user, "self": doctor.user, "other_doctor": other_doctor.user,
            "patient": patient.user}


def test_doctor_without_a_schedule_reads_as_empty(api, patient, doctor):
    response = api(patient.user).get(url(doctor))

    assert response.status_code == 200
    assert response.json() == {"slot_minutes": 30, "hours": []}


@pytest.mark.parametrize("role", ["admin", "self", "other_doctor", "patient"])
def test_every_approved_user_reads_a_schedule(api, users, doctor, role):
    working_every_day(doctor)

    response = api(users[role]).get(url(doctor))

    assert response.status_code == 200
    assert response.json()["slot_minutes"] == 30
    assert response.json()["hours"][0] == {"weekday": 0, "start": "08:00:00", "end": "18:00:00"}
    assert len(response.json()["hours"]) == 7


@pytest.mark.parametrize(("role", "status"),
                         [("admin", 200), ("self", 200), ("other_doctor", 403), ("patient", 403)])
def test_who_may_write_a_schedule(api, users, doctor, role, status):
    response = api(users[role]).put(url(doctor), WEEK)

    assert response.status_code == status
    assert Schedule.objects.filter(doctor=doctor).exists() == (status == 200)


def test_put_replaces_all_hours(api, doctor):
    working_every_day(doctor)

    response = api(doctor.user).put(url(doctor), WEEK)

    assert response.status_code == 200
    assert response.json() == {
        "slot_minutes": 20,
        "hours": [
            {"weekday": 0, "start": "09:00:00", "end": "12:00:00"},
            {"weekday": 0, "start": "13:00:00", "end": "17:00:00"},
            {"weekday": 4, "start": "08:30:00", "end": "12:30:00"},
        ],
    }
    assert ScheduleHours.objects.filter(schedule__doctor=doctor).count() == 3


def test_put_with_no_hours_clears_the_week(api, doctor):
    working_every_day(doctor)

    response = api(doctor.user).put(url(doctor), {"slot_minutes": 30, "hours": []})

    assert response.status_code == 200
    assert not ScheduleHours.objects.filter(schedule__doctor=doctor).exists()


@pytest.mark.parametrize(
    "hours",
    [
        [{"weekday": 1, "start": "09:00", "end": "12:00"}, {"weekday": 1, "start": "11:00", "end": "13:00"}],
        [{"weekday": 1, "start": "09:00", "end": "12:00"}, {"weekday": 1, "start": "09:00", "end": "10:00"}],
        [{"weekday": 1, "start": "09:00", "end": "12:00"}, {"weekday": 1, "start": "10:00", "end": "11:00"}],
    ],
    ids=["overlap", "same-start", "inside"],
)
def test_overlapping_ranges_on_a_weekday_are_400(api, doctor, hours):
    working_every_day(doctor)

    response = api(doctor.user).put(url(doctor), {"slot_minutes": 30, "hours": hours})

    assert response.status_code == 400
    assert "hours" in response.json()
    assert ScheduleHours.objects.filter(schedule__doctor=doctor).count() == 7  # unchanged


def test_adjacent_ranges_and_other_weekdays_do_not_overlap(api, doctor):
    hours = [{"weekday": 1, "start": "09:00", "end": "12:00"},
             {"weekday": 1, "start": "12:00", "end": "13:00"},
             {"weekday": 2, "start": "09:00", "end": "12:00"}]

    assert api(doctor.user).put(url(doctor), {"slot_minutes": 30, "hours": hours}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"slot_minutes": 4, "hours": []},
        {"slot_minutes": 481, "hours": []},
        {"hours": []},
        {"slot_minutes": 30},
        {"slot_minutes": 30, "hours": [{"weekday": 7, "start": "09:00", "end": "10:00"}]},
        {"slot_minutes": 30, "hours": [{"weekday": -1, "start": "09:00", "end": "10:00"}]},
        {"slot_minutes": 30, "hours": [{"weekday": 1, "start": "10:00", "end": "09:00"}]},
        {"slot_minutes": 30, "hours": [{"weekday": 1, "start": "10:00", "end": "10:00"}]},
        {"slot_minutes": 30, "hours": [{"weekday": 1, "start": "25:00", "end": "26:00"}]},
        {"slot_minutes": 30, "hours": [{"weekday": 1, "start": "09:00"}]},
        {"slot_minutes": 30, "hours": "Mondays"},
    ],
)
def test_invalid_schedules_are_400(api, doctor, body):
    response = api(doctor.user).put(url(doctor), body)

    assert response.status_code == 400
    assert not Schedule.objects.filter(doctor=doctor).exists()


def test_schedule_of_a_pending_doctor_is_404(api, patient, pending_doctor):
    assert api(patient.user).get(url(pending_doctor)).status_code == 404


def test_schedule_needs_a_token(anon, doctor):
    assert anon.get(url(doctor)).status_code == 401


def test_schedule_query_count(api, patient, doctor, django_assert_max_num_queries):
    working_every_day(doctor)
    client = api(patient.user)

    with django_assert_max_num_queries(4):  # user, doctor, schedule, hours
        client.get(url(doctor))
