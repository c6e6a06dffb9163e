"""Fixtures of the appointments tests: working schedules and appointments in each status."""

import pytest

from appointments.models import Appointment
from tests.factories.appointments import AppointmentFactory, future_slot, working_every_day


@pytest.fixture
def schedule(doctor):
    """`doctor` works 08:00–18:00 every day, in 30-minute slots."""
    return working_every_day(doctor)


@pytest.fixture
def other_schedule(other_doctor):
    return working_every_day(other_doctor)


@pytest.fixture
def slot():
    """Tomorrow 09:00, hospital time: a free slot of `schedule`."""
    return future_slot(days=1, hour=9)


@pytest.fixture
def make_appointment(doctor, patient, schedule):
    """`make_appointment(status, **fields)`: an appointment of `patient` with `doctor`."""

    def make(status=Appointment.Status.CONFIRMED, **fields):
        fields.setdefault("doctor", doctor)
        fields.setdefault("patient", patient)
        return AppointmentFactory(status=status, **fields)

    return make
