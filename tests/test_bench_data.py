"""The benchmark's data generator: every kind of row, valid schedules, the same rows for a seed."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import DoctorProfile, PatientProfile, User
from appointments.models import Appointment, AppointmentEvent, Schedule, ScheduleHours
from billing.management.commands.bench_data import (
    ADMIN_USERNAME,
    BENCH_PASSWORD,
    DOCTOR_USERNAME,
    PATIENT_USERNAME,
)
from billing.models import Invoice, InvoiceCounter, InvoiceLine, Payment
from clinical.models import Admission, Prescription

pytestmark = pytest.mark.django_db

TINY = {"doctors": 3, "patients": 40, "appointments": 600}


def load(seed: int = 7, **options) -> str:
    out = io.StringIO()
    call_command("bench_data", seed=seed, stdout=out, **{**TINY, **options})
    return out.getvalue()


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("id", "username", "first_name", "last_name")),
        "appointments": sorted(Appointment.objects.values_list(
            "id", "patient_id", "doctor_id", "start", "status", "admission_id"
        )),
        "prescriptions": sorted(Prescription.objects.values_list("id", "appointment_id", "medicine_name")),
        "invoices": sorted(Invoice.objects.values_list("id", "number", "status", "patient_id")),
        "lines": sorted(InvoiceLine.objects.values_list("id", "invoice_id", "unit_price")),
        "payments": sorted(Payment.objects.values_list("id", "invoice_id", "amount")),
    }


def test_loads_rows_of_every_kind():
    output = load()
    assert User.objects.filter(role=User.Role.ADMIN).count() == 1
    assert DoctorProfile.objects.count() == Schedule.objects.count() == 3
    assert PatientProfile.objects.count() == 40
    assert Appointment.objects.count() == AppointmentEvent.objects.count() == 600
    assert not User.objects.exclude(approval_status=User.ApprovalStatus.APPROVED).exists()
    for model in (ScheduleHours, Admission, Prescription, Invoice, InvoiceLine, Payment, InvoiceCounter):
        assert model.objects.exists(), model.__name__
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == set(Appointment.Status.values)
    assert Appointment.objects.filter(admission__isnull=False).exists()
    assert BENCH_PASSWORD in output and DOCTOR_USERNAME in output and PATIENT_USERNAME in output


def test_personas_sign_in_with_the_printed_password(anon):
    load()
    for username in (ADMIN_USERNAME, DOCTOR_USERNAME, PATIENT_USERNAME):
        response = anon.post("/api/token/", {"username": username, "password": BENCH_PASSWORD})
        assert response.status_code == 200, username


def test_busy_doctor_and_long_history_patient():
    load()
    busy = User.objects.get(username=DOCTOR_USERNAME)
    counts = [Appointment.objects.filter(doctor_id=doctor).count()
              for doctor in DoctorProfile.objects.values_list("pk", flat=True)]
    assert Appointment.objects.filter(doctor_id=busy.pk).count() == max(counts)
    persona = User.objects.get(username=PATIENT_USERNAME)
    assert Appointment.objects.filter(patient_id=persona.pk).count() >= 600 // 20 - 5
    assert Admission.objects.filter(patient_id=persona.pk).exists()


def test_appointments_sit_on_the_doctors_slot_grid():
    load()
    zone = timezone.get_current_timezone()
    hours = {}
    for row in ScheduleHours.objects.select_related("schedule"):
        hours.setdefault(row.schedule.doctor_id, []).append(row)
    for appointment in Appointment.objects.select_related("doctor__schedule"):
        slot = timedelta(minutes=appointment.doctor.schedule.slot_minutes)
        local = timezone.localtime(appointment.start, zone)
        assert appointment.end - appointment.start == slot
        assert any(
            row.weekday == local.weekday()
            and row.start <= local.time()
            and local + slot <= datetime.combine(local.date(), row.end, tzinfo=zone)
            and (local - datetime.combine(local.date(), row.start, tzinfo=zone)) % slot == timedelta(0)
            for row in hours[appointment.doctor_id]
        ), appointment.pk


def test_paid_invoices_are_paid_in_full_and_numbers_are_gap_free():
    load()
    numbers = sorted(Invoice.objects.exclude(number=None).values_list("number", flat=True))
    by_year: dict = {}
    for number in numbers:
        year, sequence = number.split("-")
        by_year.setdefault(int(year), []).append(int(sequence))
    for year, sequences in by_year.items():
        assert sequences == list(range(1, len(sequences) + 1))
        assert InvoiceCounter.objects.get(year=year).last == len(sequences)
    for invoice in Invoice.objects.filter(status=Invoice.Status.PAID).prefetch_related("lines", "payments"):
        paid = sum(payment.amount for payment in invoice.payments.all())
        assert paid == sum(line.amount for line in invoice.lines.all())


def test_same_seed_gives_the_same_rows():
    load(seed=11)
    first = snapshot()
    load(seed=11, wipe=True)
    assert snapshot() == first
    load(seed=12, wipe=True)
    assert snapshot()["appointments"] != first["appointments"]


def test_refuses_a_database_with_users_unless_wiped():
    load()
    with pytest.raises(CommandError, match="--wipe"):
        load()
    assert Appointment.objects.count() == 600


def test_refuses_more_appointments_than_the_schedules_hold():
    with pytest.raises(CommandError, match="add doctors"):
        load(doctors=1, appointments=50_000)
    assert not User.objects.exists()
