"""Free slots of a doctor, doctors available on a date, and slot times across daylight saving."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from appointments.selectors import day_slots
from tests.factories.accounts import DoctorProfileFactory, department
from tests.factories.appointments import (
    AppointmentFactory,
    ScheduleFactory,
    ScheduleHoursFactory,
    days_ahead,
    future_slot,
    local_at,
    working_every_day,
)

UTC = datetime.UTC
AVAILABLE = "/api/doctors/available/"


def slots_url(doctor):
    return f"/api/doctors/{doctor.pk}/slots/"


def starts(response) -> list[datetime.datetime]:
    assert response.status_code == 200, response.content
    return [datetime.datetime.fromisoformat(row["start"]) for row in response.json()]


def test_slots_of_a_day_are_a_plain_list(api, patient, doctor, schedule):
    day = days_ahead(1)

    response = api(patient.user).get(slots_url(doctor), {"date": day.isoformat()})

    assert isinstance(response.json(), list)
    assert len(response.json()) == 20  # 08:00–18:00 in 30-minute slots
    assert response.json()[0] == {
        "start": f"{day.isoformat()}T08:00:00+01:00", "end": f"{day.isoformat()}T08:30:00+01:00",
    }
    assert response.json()[-1]["end"] == f"{day.isoformat()}T18:00:00+01:00"


def test_active_appointments_take_slots_and_others_do_not(api, patient, doctor, schedule):
    confirmed = AppointmentFactory(doctor=doctor, start=future_slot(hour=9))
    requested = AppointmentFactory(doctor=doctor, start=future_slot(hour=10), status="requested")
    AppointmentFactory(doctor=doctor, start=future_slot(hour=11), status="cancelled")

    found = starts(api(patient.user).get(slots_url(doctor), {"date": days_ahead(1).isoformat()}))

    assert confirmed.start not in found
    assert requested.start not in found
    assert future_slot(hour=11) in found
    assert len(found) == 18


def test_no_slot_is_in_the_past(api, patient, doctor, schedule):
    noon = local_at(timezone.localdate(), 12, 5)

    with mock.patch("django.utils.timezone.now", return_value=noon):
        found = starts(api(patient.user).get(slots_url(doctor)))  # today by default

    assert found[0] == local_at(timezone.localdate(), 12, 30)
    assert all(start > noon for start in found)


def test_past_day_has_no_slots(api, patient, doctor, schedule):
    assert starts(api(patient.user).get(slots_url(doctor), {"date": days_ahead(-1).isoformat()})) == []


def test_doctor_without_schedule_has_no_slots(api, patient, doctor):
    assert starts(api(patient.user).get(slots_url(doctor), {"date": days_ahead(1).isoformat()})) == []


def test_range_of_days(api, patient, doctor, schedule):
    first, last = days_ahead(1), days_ahead(3)

    found = starts(api(patient.user).get(slots_url(doctor), {"from": first, "to": last}))

    assert len(found) == 60
    assert found == sorted(found)
    assert {timezone.localtime(s).date() for s in found} == {first, days_ahead(2), last}


def test_range_of_31_days_is_allowed(api, patient, doctor, schedule):
    response = api(patient.user).get(slots_url(doctor), {"from": days_ahead(1), "to": days_ahead(31)})

    assert len(starts(response)) == 31 * 20


@pytest.mark.parametrize(
    "params",
    [
        {"from": days_ahead(1), "to": days_ahead(32)},
        {"from": days_ahead(3), "to": days_ahead(1)},
        {"from": days_ahead(1)},
        {"to": days_ahead(1)},
        {"date": days_ahead(1), "from": days_ahead(1), "to": days_ahead(2)},
        {"date": "tomorrow"},
        {"date": "9999-12-31"},
        {"date": "0001-01-01"},
    ],
)
def test_bad_slot_queries_are_400(api, patient, doctor, schedule, params):
    assert api(patient.user).get(slots_url(doctor), params).status_code == 400


def test_slots_of_a_pending_doctor_are_404(api, patient, pending_doctor):
    assert api(patient.user).get(slots_url(pending_doctor)).status_code == 404


@pytest.mark.parametrize("days", [1, 31])
def test_slots_query_count_is_constant(api, patient, doctor, schedule, django_assert_max_num_queries, days):
    for n in range(days):
        AppointmentFactory(doctor=doctor, start=future_slot(days=1 + n, hour=9))
    client = api(patient.user)

    with django_assert_max_num_queries(6):  # user, doctor, hours, appointments, time off, holidays
        response = client.get(slots_url(doctor), {"from": days_ahead(1), "to": days_ahead(days)})

    assert len(starts(response)) == days * 19


# --- available doctors ---------------------------------------------------------------------

def test_available_lists_doctors_with_free_slots(api, patient, doctor, other_doctor, schedule):
    day = days_ahead(1)
    # other_doctor has a single slot that day, already taken; a third doctor has no schedule.
    single = ScheduleFactory(doctor=other_doctor)
    ScheduleHoursFactory(schedule=single, weekday=day.weekday(), start=datetime.time(9),
                         end=datetime.time(9, 30))
    AppointmentFactory(doctor=other_doctor, start=local_at(day, 9))
    DoctorProfileFactory()
    AppointmentFactory(doctor=doctor, start=local_at(day, 8))

    response = api(patient.user).get(AVAILABLE, {"date": day.isoformat()})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["id"] == str(doctor.pk)
    assert row["free_slots"] == 19
    assert datetime.datetime.fromisoformat(row["next_free_slot"]) == local_at(day, 8, 30)
    assert {"full_name", "department", "specialty"} <= set(row)
    assert "email" not in row  # public doctor fields only


def test_available_filters_by_department(api, patient, doctor, other_doctor, schedule, other_schedule):
    day = days_ahead(1).isoformat()
    client = api(patient.user)

    cardiology = client.get(AVAILABLE, {"date": day, "department": "CL"}).json()["results"]
    dermatology = client.get(AVAILABLE, {"date": day, "department": "DL"}).json()["results"]
    everyone = client.get(AVAILABLE, {"date": day}).json()["results"]

    assert [row["id"] for row in cardiology] == [str(doctor.pk)]
    assert [row["id"] for row in dermatology] == [str(other_doctor.pk)]
    assert {row["id"] for row in everyone} == {str(doctor.pk), str(other_doctor.pk)}


def test_available_today_skips_past_slots(api, patient, doctor, schedule):
    noon = local_at(timezone.localdate(), 12, 5)

    with mock.patch("django.utils.timezone.now", return_value=noon):
        row = api(patient.user).get(AVAILABLE).json()["results"][0]

    assert row["free_slots"] == 11  # 12:30 … 17:30
    assert datetime.datetime.fromisoformat(row["next_free_slot"]) == local_at(timezone.localdate(), 12, 30)


def test_available_on_a_past_day_is_empty(api, patient, doctor, schedule):
    assert api(patient.user).get(AVAILABLE, {"date": days_ahead(-1)}).json()["count"] == 0


def test_inactive_doctors_are_never_available(api, patient, pending_doctor):
    working_every_day(pending_doctor)

    assert api(patient.user).get(AVAILABLE, {"date": days_ahead(1)}).json()["count"] == 0


@pytest.mark.parametrize("params", [{"date": "not-a-date"}, {"department": "NOPE"}, {"date": "9999-12-31"}])
def test_bad_available_queries_are_400(api, patient, params):
    assert api(patient.user).get(AVAILABLE, params).status_code == 400


@pytest.mark.parametrize("doctors", [1, 10])
def test_available_query_count_does_not_grow_with_doctors(
    api, patient, django_assert_num_queries, doctors
):
    day = days_ahead(1)
    for _ in range(doctors):
        profile = DoctorProfileFactory(department=department("CL"))
        working_every_day(profile)
        AppointmentFactory(doctor=profile, start=local_at(day, 9))
    client = api(patient.user)

    # user, hours, appointments, time off, holidays, count, page
    with django_assert_num_queries(7):  # and time off, holidays
        response = client.get(AVAILABLE, {"date": day.isoformat()})

    assert response.json()["count"] == doctors
    assert {row["free_slots"] for row in response.json()["results"]} == {19}


def test_available_needs_a_token(anon, db):
    assert anon.get(AVAILABLE).status_code == 401


# --- daylight saving (Europe/London: +00:00 in winter, +01:00 in summer) ---------------------

LONDON = ZoneInfo("Europe/London")


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


# A future year, so that the HTTP tests' slots are never in the past.
YEAR = timezone.now().year + 2
SPRING_FORWARD = last_sunday(YEAR, 3)   # 01:00 GMT → 02:00 BST
FALL_BACK = last_sunday(YEAR, 10)       # 02:00 BST → 01:00 GMT


@pytest.fixture
def london():
    with override_settings(TIME_ZONE="Europe/London"), timezone.override(LONDON):
        yield


def wall(slot) -> str:
    return f"{slot.start.astimezone(LONDON):%H:%M%z}"


def test_slots_keep_local_hours_on_both_sides_of_a_change(london):
    hours = [(datetime.time(9), datetime.time(10))]

    winter = day_slots(hours, 30, SPRING_FORWARD - datetime.timedelta(days=1))
    summer = day_slots(hours, 30, SPRING_FORWARD + datetime.timedelta(days=1))

    assert [s.start.astimezone(UTC).hour for s in winter] == [9, 9]
    assert [s.start.astimezone(UTC).hour for s in summer] == [8, 8]
    assert [wall(s) for s in winter + summer] == ["09:00+0000", "09:30+0000", "09:00+0100", "09:30+0100"]


def test_spring_forward_day_has_no_slot_in_the_missing_hour(london):
    slots = day_slots([(datetime.time(0), datetime.time(4))], 30, SPRING_FORWARD)

    # 00:00–04:00 local lasts three hours that night.
    assert [wall(s) for s in slots] == [
        "00:00+0000", "00:30+0000", "02:00+0100", "02:30+0100", "03:00+0100", "03:30+0100"
    ]
    assert all(s.end - s.start == datetime.timedelta(minutes=30) for s in slots)


def test_fall_back_day_has_the_repeated_hour_twice(london):
    slots = day_slots([(datetime.time(0), datetime.time(4))], 30, FALL_BACK)

    # 00:00–04:00 local lasts five hours that night; 01:00 and 01:30 happen twice.
    assert len(slots) == 10
    assert [wall(s) for s in slots][2:6] == ["01:00+0100", "01:30+0100", "01:00+0000", "01:30+0000"]
    assert len({s.start for s in slots}) == 10
    assert all(later.start == earlier.end for earlier, later in zip(slots, slots[1:], strict=False))


def test_slot_endpoint_across_spring_forward(london, api, patient, doctor, schedule):
    response = api(patient.user).get(slots_url(doctor), {
        "from": SPRING_FORWARD - datetime.timedelta(days=1),
        "to": SPRING_FORWARD + datetime.timedelta(days=1),
    })

    rows = response.json()
    nine = [row for row in rows if row["start"][11:16] == "09:00"]
    # DRF writes a zero offset as "Z".
    assert [row["start"][19:] for row in nine] == ["Z", "+01:00", "+01:00"]
    assert len(rows) == 60  # 08:00–18:00 lies outside the missing hour each day


def test_both_one_oclocks_of_the_fall_back_night_are_bookable(london, api, patient, doctor):
    ScheduleHoursFactory(schedule=ScheduleFactory(doctor=doctor), weekday=FALL_BACK.weekday(),
                         start=datetime.time(0), end=datetime.time(4))
    second = datetime.datetime.combine(FALL_BACK, datetime.time(1), tzinfo=UTC)  # 01:00 GMT
    first = second - datetime.timedelta(hours=1)                                 # 01:00 BST
    client = api(patient.user)

    responses = [
        client.post("/api/appointments/", {"doctor": str(doctor.pk), "start": at.isoformat(),
                                           "reason": "Night clinic"})
        for at in (first, second)
    ]

    assert [r.status_code for r in responses] == [201, 201]
    assert [r.json()["start"][11:] for r in responses] == ["01:00:00+01:00", "01:00:00Z"]
    free = starts(client.get(slots_url(doctor), {"date": FALL_BACK.isoformat()}))
    assert first not in free and second not in free
    assert len(free) == 8
