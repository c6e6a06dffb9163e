"""Factories of schedules and appointments, and helpers for local (hospital-time) slots."""

import datetime

import factory
from django.utils import timezone

from appointments.models import Appointment, AppointmentEvent, Schedule, ScheduleHours
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory


def local_at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime at `hour:minute` of the local `day` (hospital time)."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def days_ahead(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def future_slot(days: int = 1, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A slot start `days` local days from today (09:00 by default)."""
    return local_at(days_ahead(days), hour, minute)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    doctor = factory.SubFactory(DoctorProfileFactory)
    slot_minutes = 30


class ScheduleHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleHours

    schedule = factory.SubFactory(ScheduleFactory)
    weekday = 0
    start = datetime.time(9, 0)
    end = datetime.time(17, 0)


def working_every_day(
    doctor,
    start: datetime.time = datetime.time(8, 0),
    end: datetime.time = datetime.time(18, 0),
    slot_minutes: int = 30,
) -> Schedule:
    """Give the doctor the same hours on all seven weekdays."""
    schedule = ScheduleFactory(doctor=doctor, slot_minutes=slot_minutes)
    for weekday in range(7):
        ScheduleHoursFactory(schedule=schedule, weekday=weekday, start=start, end=end)
    return schedule


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A confirmed appointment tomorrow (one half-hour later per instance)."""

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientProfileFactory)
    doctor = factory.SubFactory(DoctorProfileFactory)
    start = factory.Sequence(
        lambda n: future_slot(days=1 + n // 16, hour=9) + datetime.timedelta(minutes=30 * (n % 16))
    )
    end = factory.LazyAttribute(
        lambda a: a.start + datetime.timedelta(minutes=30) if a.start else None
    )
    status = Appointment.Status.CONFIRMED
    reason = "Check-up"
    created_by = factory.LazyAttribute(lambda a: a.patient.user)


class AppointmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentEvent

    appointment = factory.SubFactory(AppointmentFactory)
    actor = factory.LazyAttribute(lambda e: e.appointment.patient.user)
    action = "request"
    from_status = ""
    to_status = Appointment.Status.REQUESTED
