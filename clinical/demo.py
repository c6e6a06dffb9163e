"""Demo clinical records: a past, discharged Cardiology admission with two visits and prescriptions."""

import datetime

from django.utils import timezone

from appointments.models import Appointment, AppointmentEvent
from clinical import services
from clinical.models import Admission

DEMO_SYMPTOMS = "Chest pain on exertion and shortness of breath for two days."

# Prescriptions written at the cardiology review: medicine, dosage, frequency, days, quantity.
REVIEW_PRESCRIPTIONS = [
    ("Atorvastatin", "20 mg", "once at night", 30, 30, "Take with water."),
    ("Aspirin", "75 mg", "once daily", 30, 30, "Take after breakfast."),
]
EMERGENCY_PRESCRIPTION = ("Glyceryl trinitrate spray", "400 mcg", "as needed for chest pain",
                          7, 1, "One puff under the tongue; call for help if pain lasts.")


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _past_visit(*, doctor, patient, admission, start, reason) -> Appointment:
    """A visit that took place: booked by the doctor, then completed, with both events."""
    visit = Appointment.objects.create(
        patient=patient, doctor=doctor, admission=admission, start=start,
        end=start + datetime.timedelta(minutes=30), status=Appointment.Status.COMPLETED,
        reason=reason, created_by=doctor.user,
    )
    AppointmentEvent.objects.bulk_create([
        AppointmentEvent(appointment=visit, actor=doctor.user, action="request",
                         from_status="", to_status=Appointment.Status.CONFIRMED),
        AppointmentEvent(appointment=visit, actor=doctor.user, action="complete",
                         from_status=Appointment.Status.CONFIRMED,
                         to_status=Appointment.Status.COMPLETED),
    ])
    return visit


def _prescribe(doctor, visit, row) -> None:
    medicine_name, dosage, frequency, duration_days, quantity, instructions = row
    services.prescription_create(
        doctor=doctor, appointment=visit, medicine_name=medicine_name, dosage=dosage,
        frequency=frequency, duration_days=duration_days, quantity=quantity,
        instructions=instructions,
    )


def _admission(people: dict) -> Admission:
    cardiologist, emergency = people["doctors"][0], people["doctors"][2]
    patient = people["patients"][0]
    first_day = timezone.localdate() - datetime.timedelta(days=5)
    admission = services.admission_create(
        actor=emergency.user, patient=patient, department=cardiologist.department,
        assigned_doctor=cardiologist, symptoms=DEMO_SYMPTOMS,
        admitted_at=_local(first_day, 8, 40),
    )
    triage = _past_visit(doctor=emergency, patient=patient, admission=admission,
                         start=_local(first_day, 9), reason="Chest pain at rest")
    _prescribe(emergency, triage, EMERGENCY_PRESCRIPTION)
    review = _past_visit(doctor=cardiologist, patient=patient, admission=admission,
                         start=_local(first_day + datetime.timedelta(days=1), 10),
                         reason="Cardiology review after admission")
    for row in REVIEW_PRESCRIPTIONS:
        _prescribe(cardiologist, review, row)
    return services.admission_discharge(
        admission=admission, discharged_at=_local(first_day + datetime.timedelta(days=2), 11)
    )


def seed(people: dict) -> list[str]:
    """Create the demo admission once (idempotent) and put it in `people["admission"]`."""
    patient = people["patients"][0]
    admission = Admission.objects.filter(patient=patient, symptoms=DEMO_SYMPTOMS).first()
    if admission is None:
        admission = _admission(people)
    people["admission"] = admission
    visits = admission.appointments.count()
    return [
        f"admission {patient.user.username:<12} ({admission.department.code}, "
        f"{visits} visits with prescriptions, discharged {admission.discharged_at:%Y-%m-%d})"
    ]
