"""Under concurrent requests a slot is booked once: PostgreSQL row locks and the unique constraint."""

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
