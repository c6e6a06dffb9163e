"""Reminders: one per confirmed appointment REMINDER_HOURS ahead, exactly once, re-armed by a move."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from appointments import services
from appointments.models import Appointment
from notifications.models import Notification
from tests.factories.appointments import AppointmentFactory, future_slot

REMINDER = Notification.Kind.APPOINTMENT_REMINDER


def reminders_of(patient):
    return Notification.objects.filter(user=patient.user, kind=REMINDER)


def test_a_confirmed_appointment_within_the_window_is_reminded_once(
    patient, doctor, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.REMINDER_HOURS = 24
    soon = AppointmentFactory(patient=patient, doctor=doctor,
                              start=timezone.now() + datetime.timedelta(hours=3))
    AppointmentFactory(patient=patient, doctor=doctor,
                       start=timezone.now() + datetime.timedelta(hours=30))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.appointment_reminders_send() == 1
    assert services.appointment_reminders_send() == 0

    assert reminders_of(patient).count() == 1
    assert [m.to for m in mailoutbox] == [[patient.user.email]]
    soon.refresh_from_db()
    assert soon.reminded_start == soon.start


@pytest.mark.parametrize("status", ["requested", "cancelled", "completed", "rejected", "no_show"])
def test_only_confirmed_appointments_are_reminded(patient, doctor, status):
    AppointmentFactory(patient=patient, doctor=doctor, status=status,
                       start=timezone.now() + datetime.timedelta(hours=3))

    assert services.appointment_reminders_send() == 0
    assert not reminders_of(patient).exists()


def test_a_past_appointment_is_not_reminded(patient, doctor):
    AppointmentFactory(patient=patient, doctor=doctor,
                       start=timezone.now() - datetime.timedelta(hours=1))

    assert services.appointment_reminders_send() == 0


def test_reminder_hours_sets_the_window(patient, doctor, settings):
    settings.REMINDER_HOURS = 2
    AppointmentFactory(patient=patient, doctor=doctor,
                       start=timezone.now() + datetime.timedelta(hours=3))

    assert services.appointment_reminders_send() == 0
    settings.REMINDER_HOURS = 4
    assert services.appointment_reminders_send() == 1


def test_a_rescheduled_appointment_is_reminded_for_its_new_time(api, patient, doctor, schedule):
    appointment = AppointmentFactory(patient=patient, doctor=doctor, start=future_slot(1, 9))
    now = future_slot(1, 9) - datetime.timedelta(hours=5)
    assert services.appointment_reminders_send(now=now) == 1

    response = api(doctor.user).patch(f"/api/appointments/{appointment.pk}/",
                                      {"start": future_slot(1, 11).isoformat()})
    assert response.status_code == 200

    assert services.appointment_reminders_send(now=now) == 1
    assert services.appointment_reminders_send(now=now) == 0
    assert reminders_of(patient).count() == 2


def test_a_cancelled_appointment_gets_no_reminder(api, patient, doctor, schedule):
    appointment = AppointmentFactory(patient=patient, doctor=doctor,
                                     start=timezone.now() + datetime.timedelta(hours=3))
    api(patient.user).post(f"/api/appointments/{appointment.pk}/cancel/", {"reason": "Away"})

    assert services.appointment_reminders_send() == 0
    assert not reminders_of(patient).exists()


def test_the_command_runs_one_pass(patient, doctor, capsys):
    AppointmentFactory(patient=patient, doctor=doctor,
                       start=timezone.now() + datetime.timedelta(hours=3))

    call_command("send_due_reminders")
    call_command("send_due_reminders")

    assert reminders_of(patient).count() == 1
    assert "1 reminder(s)" in capsys.readouterr().out


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_passes_remind_each_appointment_exactly_once(doctor):
    from tests.factories.accounts import PatientProfileFactory

    start = timezone.now() + datetime.timedelta(hours=2)
    appointments = [
        AppointmentFactory(doctor=doctor, patient=PatientProfileFactory(),
                           start=start + datetime.timedelta(minutes=30 * n))
        for n in range(30)
    ]
    barrier = threading.Barrier(2)
    counts = []

    def one_pass():
        try:
            barrier.wait()
            counts.append(services.appointment_reminders_send(limit=1000))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == len(appointments)
    assert Notification.objects.filter(kind=REMINDER).count() == len(appointments)
    assert Appointment.objects.filter(reminded_start__isnull=True).count() == 0
