"""Demo schedules and appointments in every state, past and future (idempotent)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from appointments import selectors
from appointments.models import Appointment, AppointmentEvent, Schedule, ScheduleHours

Status = Appointment.Status

WEEKDAY_HOURS = [(time(9, 0), time(12, 0)), (time(14, 0), time(17, 0))]

# reason (unique per demo row), patient index, doctor index, weekday offset (negative: past;
# None: no time), local time, final status.
APPOINTMENTS = [
    ("Chest pain on exertion", 0, 0, -2, time(9, 0), Status.COMPLETED),
    ("Eczema flare-up", 1, 1, -2, time(10, 0), Status.COMPLETED),
    ("Blood pressure review", 2, 0, -1, time(9, 30), Status.COMPLETED),
    ("Seasonal allergy check", 1, 3, -1, time(14, 0), Status.NO_SHOW),
    ("Follow-up after stress test", 0, 0, 1, time(9, 30), Status.CONFIRMED),
    ("Persistent headache", 1, 2, 1, time(10, 0), Status.CONFIRMED),
    ("Palpitations at night", 2, 0, 2, time(11, 0), Status.REQUESTED),
    ("Recurring rash", 2, 1, None, None, Status.REQUESTED),
    ("Skin mole check", 0, 1, 2, time(14, 0), Status.CANCELLED),
    ("Second opinion on asthma", 2, 3, None, None, Status.REJECTED),
]

# The recorded path to each final status: (action, from, to, who acts).
HISTORY = {
    Status.COMPLETED: [("request", "", Status.CONFIRMED, "doctor"),
                       ("complete", Status.CONFIRMED, Status.COMPLETED, "doctor")],
    Status.NO_SHOW: [("request", "", Status.REQUESTED, "patient"),
                     ("confirm", Status.REQUESTED, Status.CONFIRMED, "doctor"),
                     ("no_show", Status.CONFIRMED, Status.NO_SHOW, "doctor")],
    Status.CONFIRMED: [("request", "", Status.REQUESTED, "patient"),
                       ("confirm", Status.REQUESTED, Status.CONFIRMED, "admin")],
    Status.REQUESTED: [("request", "", Status.REQUESTED, "patient")],
    Status.CANCELLED: [("request", "", Status.REQUESTED, "patient"),
                       ("cancel", Status.REQUESTED, Status.CANCELLED, "patient")],
    Status.REJECTED: [("request", "", Status.REQUESTED, "patient"),
                      ("reject", Status.REQUESTED, Status.REJECTED, "admin")],
}
REASONS = {
    "cancel": "I will be travelling that week.",
    "reject": "Please see the allergy clinic first.",
}


def _weekday(offset: int, today: date) -> date:
    """The `offset`-th working day (Mon–Fri) after today, or before it when negative."""
    step = timedelta(days=1 if offset > 0 else -1)
    day, remaining = today, abs(offset)
    while remaining:
        day += step
        if day.weekday() < 5:
            remaining -= 1
    return day


def _schedule(doctor) -> None:
    schedule, created = Schedule.objects.get_or_create(doctor=doctor, defaults={"slot_minutes": 30})
    if created:
        ScheduleHours.objects.bulk_create(
            ScheduleHours(schedule=schedule, weekday=weekday, start=start, end=end)
            for weekday in range(5)
            for start, end in WEEKDAY_HOURS
        )


def _appointment(row, *, people: dict, today: date) -> Appointment:
    reason, patient_index, doctor_index, offset, at, status = row
    patient, doctor = people["patients"][patient_index], people["doctors"][doctor_index]
    existing = Appointment.objects.filter(patient=patient, doctor=doctor, reason=reason).first()
    if existing is not None:
        return existing
    actors = {"admin": people["admin"], "doctor": doctor.user, "patient": patient.user}
    history = HISTORY[status]
    start = end = None
    if offset is not None:
        start = datetime.combine(_weekday(offset, today), at, tzinfo=timezone.get_current_timezone())
        end = start + timedelta(minutes=selectors.schedule_of(doctor)["slot_minutes"])
    final_reason = REASONS.get(history[-1][0], "")
    appointment = Appointment.objects.create(
        patient=patient, doctor=doctor, start=start, end=end, status=status, reason=reason,
        cancellation_reason=final_reason, created_by=actors[history[0][3]],
        notes="Visit went well; review in three months." if status == Status.COMPLETED else "",
    )
    AppointmentEvent.objects.bulk_create(
        AppointmentEvent(appointment=appointment, actor=actors[who], action=action,
                         from_status=source, to_status=target, reason=REASONS.get(action, ""))
        for action, source, target, who in history
    )
    return appointment


def seed(people: dict) -> list[str]:
    """Give every demo doctor weekday hours and book the demo appointments once."""
    for doctor in people["doctors"]:
        _schedule(doctor)
    today = timezone.localdate()
    people["appointments"] = [_appointment(row, people=people, today=today) for row in APPOINTMENTS]
    counts: dict = {}
    for appointment in people["appointments"]:
        counts[appointment.status] = counts.get(appointment.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return [f"schedules Mon–Fri 09:00–12:00 and 14:00–17:00; appointments: {summary}"]
