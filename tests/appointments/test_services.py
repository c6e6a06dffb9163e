"""Services called directly: the transition table, refusals that write nothing, schedules, demo."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from appointments import services
from appointments.models import Appointment, AppointmentEvent, Schedule, ScheduleHours
from hospital.errors import DomainError
from tests.factories.appointments import AppointmentFactory, future_slot, working_every_day

pytestmark = pytest.mark.django_db


def test_transition_table_matches_the_contract():
    S = Appointment.Status
    expected = {
        ("request", "patient"): ({""}, S.REQUESTED),
        ("request", "doctor"): ({""}, S.CONFIRMED),
        ("request", "admin"): ({""}, S.CONFIRMED),
        ("confirm", "doctor"): ({S.REQUESTED}, S.CONFIRMED),
        ("confirm", "admin"): ({S.REQUESTED}, S.CONFIRMED),
        ("reject", "admin"): ({S.REQUESTED}, S.REJECTED),
        ("cancel", "patient"): ({S.REQUESTED, S.CONFIRMED}, S.CANCELLED),
        ("cancel", "doctor"): ({S.REQUESTED, S.CONFIRMED}, S.CANCELLED),
        ("cancel", "admin"): ({S.REQUESTED, S.CONFIRMED}, S.CANCELLED),
        ("complete", "doctor"): ({S.CONFIRMED}, S.COMPLETED),
        ("no_show", "doctor"): ({S.CONFIRMED}, S.NO_SHOW),
        ("no_show", "admin"): ({S.CONFIRMED}, S.NO_SHOW),
    }

    table = {key: (set(rule.sources), rule.target) for key, rule in services.TRANSITIONS.items()
             if key[0] not in ("update", "reschedule")}

    assert table == expected


@pytest.mark.parametrize(
    ("call", "role"),
    [
        (lambda a, u: services.appointment_reject(appointment=a, actor=u, reason="x"), "doctor"),
        (lambda a, u: services.appointment_complete(appointment=a, actor=u), "admin"),
        (lambda a, u: services.appointment_confirm(appointment=a, actor=u), "patient"),
        (lambda a, u: services.appointment_mark_no_show(appointment=a, actor=u), "patient"),
    ],
)
def test_role_outside_the_table_is_refused_with_403(doctor, patient, admin_user, schedule, call, role):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, status="requested")
    actor = {"doctor": doctor.user, "patient": patient.user, "admin": admin_user}[role]

    with pytest.raises(DomainError) as refused:
        call(appointment, actor)

    assert (refused.value.code, refused.value.status_code) == ("permission_denied", 403)
    appointment.refresh_from_db()
    assert appointment.status == "requested"
    assert not AppointmentEvent.objects.exists()


def test_doctor_cannot_act_on_another_doctors_appointment(doctor, other_doctor, schedule):
    appointment = AppointmentFactory(doctor=doctor, status="confirmed")

    with pytest.raises(DomainError) as refused:
        services.appointment_cancel(appointment=appointment, actor=other_doctor.user, reason="x")

    assert refused.value.status_code == 403
    assert not AppointmentEvent.objects.exists()


def test_doctor_cannot_book_for_another_doctor(doctor, other_doctor, patient, schedule):
    with pytest.raises(DomainError) as refused:
        services.appointment_request(actor=other_doctor.user, doctor=doctor, patient=patient,
                                     reason="x", start=future_slot())

    assert refused.value.status_code == 403
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("start", "code"),
    [(future_slot(days=-1), "in_past"), (future_slot(hour=6), "outside_schedule")],
)
def test_refused_booking_writes_nothing(doctor, patient, schedule, start, code):
    with pytest.raises(DomainError) as refused:
        services.appointment_request(actor=patient.user, doctor=doctor, patient=patient,
                                     reason="x", start=start)

    assert refused.value.code == code
    assert not Appointment.objects.exists()
    assert not AppointmentEvent.objects.exists()


def test_reschedule_service_moves_and_records(doctor, patient, schedule):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(hour=9))

    moved = services.appointment_reschedule(appointment=appointment, actor=doctor.user,
                                            start=future_slot(days=2, hour=14))

    assert moved.start == future_slot(days=2, hour=14)
    assert moved.end - moved.start == datetime.timedelta(minutes=30)
    assert moved.events.get().action == "reschedule"


def test_reschedule_of_a_completed_visit_is_invalid(doctor, patient, schedule):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, status="completed")

    with pytest.raises(DomainError) as refused:
        services.appointment_reschedule(appointment=appointment, actor=doctor.user,
                                        start=future_slot(days=2))

    assert refused.value.code == "invalid_transition"


def test_schedule_set_refuses_overlaps_and_keeps_the_old_week(doctor):
    working_every_day(doctor)
    overlapping = [{"weekday": 2, "start": datetime.time(9), "end": datetime.time(12)},
                   {"weekday": 2, "start": datetime.time(11), "end": datetime.time(14)}]

    with pytest.raises(ValidationError) as refused:
        services.schedule_set(doctor=doctor, slot_minutes=15, hours=overlapping)

    assert "hours" in refused.value.message_dict
    assert Schedule.objects.get(doctor=doctor).slot_minutes == 30
    assert ScheduleHours.objects.filter(schedule__doctor=doctor).count() == 7


def test_longer_slots_apply_to_new_bookings(doctor, patient, schedule):
    services.schedule_set(doctor=doctor, slot_minutes=45, hours=[
        {"weekday": future_slot().weekday(), "start": datetime.time(9), "end": datetime.time(12)}
    ])

    booked = services.appointment_request(actor=patient.user, doctor=doctor, patient=patient,
                                          reason="x", start=future_slot(hour=9, minute=45))

    assert booked.end - booked.start == datetime.timedelta(minutes=45)


def test_seed_demo_gives_schedules_and_appointments_in_every_state(capsys):
    call_command("seed_demo", "--i-know-this-is-production")
    rows = Appointment.objects.count(), AppointmentEvent.objects.count(), ScheduleHours.objects.count()
    call_command("seed_demo", "--i-know-this-is-production")

    assert (Appointment.objects.count(), AppointmentEvent.objects.count(),
            ScheduleHours.objects.count()) == rows
    assert set(Appointment.objects.values_list("status", flat=True)) == set(Appointment.Status.values)
    from django.utils import timezone

    now = timezone.now()
    assert Appointment.objects.filter(status="completed", start__lt=now).exists()
    assert Appointment.objects.filter(status="confirmed", start__gt=now).exists()
    assert Appointment.objects.filter(status="requested", start__gt=now).exists()
    assert Schedule.objects.count() == 4
