"""Under concurrent requests a slot is booked once: PostgreSQL row locks and the unique constraint."""

import datetime
import threading

import pytest
from django.db import connection

from appointments.models import Appointment
from tests.conftest import client_for
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory
from tests.factories.appointments import future_slot, working_every_day

THREADS = 20

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer; the race needs PostgreSQL's concurrent sessions.",
    ),
    # Threads need committed rows; tests/conftest.py reloads the departments after the flush.
    pytest.mark.django_db(transaction=True),
]


def race(requests) -> list[tuple[int, str | None]]:
    """Fire every `(client, path, body)` at once, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    results = []

    def send(client, path, body):
        try:
            barrier.wait()
            response = client.post(path, body)
            results.append((response.status_code, response.json().get("code")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_twenty_patients_racing_for_one_slot_get_one_booking(doctor):
    working_every_day(doctor)
    slot = future_slot(days=1, hour=10)
    body = {"doctor": str(doctor.pk), "start": slot.isoformat(), "reason": "Race"}
    clients = [client_for(PatientProfileFactory().user) for _ in range(THREADS)]

    results = race([(client, "/api/appointments/", body) for client in clients])

    assert sorted(results, key=lambda r: r[0]) == (
        [(201, None)] + [(409, "slot_unavailable")] * (THREADS - 1)
    )
    assert Appointment.objects.filter(doctor=doctor, start=slot).count() == 1


def test_one_patient_racing_for_many_doctors_at_once_gets_one_booking(patient):
    doctors = [DoctorProfileFactory() for _ in range(THREADS)]
    for doctor in doctors:
        working_every_day(doctor)
    slot = future_slot(days=1, hour=11)
    client = client_for(patient.user)

    results = race([
        (client, "/api/appointments/", {"doctor": str(d.pk), "start": slot.isoformat(), "reason": "Race"})
        for d in doctors
    ])

    assert sorted(results, key=lambda r: r[0]) == (
        [(201, None)] + [(409, "patient_busy")] * (THREADS - 1)
    )
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_time_off_racing_bookings_leaves_no_booking_inside_it(doctor):
    from appointments.models import TimeOff

    working_every_day(doctor)
    block_start = future_slot(days=2, hour=0)
    block = {"start": block_start.isoformat(),
             "end": (block_start + datetime.timedelta(days=1)).isoformat()}
    slots = [future_slot(days=2, hour=9) + datetime.timedelta(minutes=30 * n) for n in range(9)]
    patients = [client_for(PatientProfileFactory().user) for _ in slots]
    requests = [(client, "/api/appointments/",
                 {"doctor": str(doctor.pk), "start": slot.isoformat(), "reason": "Race"})
                for client, slot in zip(patients, slots, strict=True)]
    requests.append((client_for(doctor.user), f"/api/doctors/{doctor.pk}/time-off/", block))

    results = race(requests)

    booked = Appointment.objects.filter(doctor=doctor, status__in=Appointment.ACTIVE_STATUSES)
    if TimeOff.objects.filter(doctor=doctor).exists():
        # The time off won: every booking after it was refused, none slipped in before.
        assert not booked.exists()
    else:
        # A booking won first: the time off saw it and answered 409, storing nothing.
        assert (409, "has_appointments") in results
        assert booked.exists()
    assert len(results) == len(requests)
