"""A timestamp sent without an offset is read in the hospital's zone (`TIME_ZONE`)."""

import datetime
import zoneinfo

import pytest

from appointments.models import Appointment
from tests.factories.appointments import future_slot, working_every_day

pytestmark = pytest.mark.django_db


def test_a_start_without_offset_is_hospital_local_time(api, patient, doctor):
    working_every_day(doctor)
    slot = future_slot(days=1, hour=9)
    naive = slot.astimezone(zoneinfo.ZoneInfo("Africa/Lagos")).replace(tzinfo=None)

    response = api(patient.user).post("/api/appointments/", {
        "doctor": str(doctor.pk), "start": naive.isoformat(), "reason": "Check-up"})

    assert response.status_code == 201, response.content
    assert response.json()["start"] == naive.isoformat() + "+01:00"
    assert Appointment.objects.get().start == slot


def test_the_same_instant_with_an_offset_is_the_same_booking_slot(api, patient, doctor):
    working_every_day(doctor)
    slot = future_slot(days=1, hour=9)
    as_utc = slot.astimezone(datetime.UTC).isoformat()

    response = api(patient.user).post("/api/appointments/", {
        "doctor": str(doctor.pk), "start": as_utc, "reason": "Check-up"})

    assert response.status_code == 201
    assert Appointment.objects.get().start == slot
