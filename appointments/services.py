"""Appointment writes: schedules, booking, the status workflow and its recorded events.

Every status change goes through `TRANSITIONS`, the one table of who may do what from which
status. Writes that hold a slot lock the doctor's row, then the patient's, then the
appointment's (always in that order), so concurrent bookings of one slot queue up; the
partial unique constraints on (doctor, start) and (patient, start) are the backstop.
"""

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import DoctorProfile, PatientProfile, User
from appointments import emails, selectors
from appointments.models import (
    Appointment,
    AppointmentEvent,
    Holiday,
    Schedule,
    ScheduleHours,
    TimeOff,
)
from hospital.errors import DomainError
from hospital.permissions import ADMIN, DOCTOR, PATIENT

Status = Appointment.Status
ACTIVE = frozenset(Appointment.ACTIVE_STATUSES)
# The "from" status of an appointment that does not exist yet.
NEW = ""
# Foreign keys the services resolve themselves; `full_clean` need not query them again.
RELATED_FIELDS = ["patient", "doctor", "admission", "created_by"]


class Transition(NamedTuple):
    """The statuses an action may start from and the one it leads to (None: unchanged)."""

    sources: frozenset
    target: str | None


def _rows(action: str, roles: set, sources, target) -> dict:
    return {(action, role): Transition(frozenset(sources), target) for role in roles}


# (action, role) → Transition. A pair not listed is refused (403); a listed action from
# another status is an invalid transition (409).
TRANSITIONS: dict[tuple[str, str], Transition] = {
    **_rows("request", {PATIENT}, {NEW}, Status.REQUESTED),
    **_rows("request", {DOCTOR, ADMIN}, {NEW}, Status.CONFIRMED),
    **_rows("confirm", {DOCTOR, ADMIN}, {Status.REQUESTED}, Status.CONFIRMED),
    **_rows("reject", {ADMIN}, {Status.REQUESTED}, Status.REJECTED),
    **_rows("cancel", {PATIENT, DOCTOR, ADMIN}, ACTIVE, Status.CANCELLED),
    **_rows("complete", {DOCTOR}, {Status.CONFIRMED}, Status.COMPLETED),
    **_rows("no_show", {DOCTOR, ADMIN}, {Status.CONFIRMED}, Status.NO_SHOW),
    **_rows("update", {PATIENT}, {Status.REQUESTED}, None),
    **_rows("update", {DOCTOR, ADMIN}, ACTIVE, None),
    **_rows("reschedule", {PATIENT}, {Status.REQUESTED}, None),
    **_rows("reschedule", {DOCTOR, ADMIN}, ACTIVE, None),
}


def roles_allowed(action: str) -> frozenset:
    """The roles the transition table lets perform `action` (the API's role map reads this)."""
    return frozenset(role for name, role in TRANSITIONS if name == action)


def is_party(user: User, appointment: Appointment) -> bool:
    """Admins act on any appointment; a doctor or patient only on their own."""
    if user.is_admin:
        return True
    if user.is_doctor:
        return appointment.doctor_id == user.pk
    if user.is_patient:
        return appointment.patient_id == user.pk
    return False


def _allowed(action: str, actor: User, appointment: Appointment, from_status: str) -> Transition:
    rule = TRANSITIONS.get((action, actor.role))
    verb = action.replace("_", " ")
    if rule is None or not is_party(actor, appointment):
        raise DomainError(
            "permission_denied", f"You may not {verb} this appointment.", status_code=403
        )
    if from_status not in rule.sources:
        raise DomainError(
            "invalid_transition", f"Cannot {verb} an appointment that is {from_status}."
        )
    return rule


def _record(
    appointment: Appointment, actor: User | None, action: str, from_status: str, reason: str = ""
) -> AppointmentEvent:
    return AppointmentEvent.objects.create(
        appointment=appointment, actor=actor, action=action,
        from_status=from_status, to_status=appointment.status, reason=reason,
    )


def _lock_parties(*, doctor_id, patient_id) -> tuple[DoctorProfile, PatientProfile]:
    doctor = (
        DoctorProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=doctor_id)
    )
    patient = (
        PatientProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=patient_id)
    )
    return doctor, patient


def _locked(appointment: Appointment) -> Appointment:
    """Lock the doctor, the patient and the appointment; return the appointment as stored."""
    _lock_parties(doctor_id=appointment.doctor_id, patient_id=appointment.patient_id)
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__user", "doctor__user")
        .get(pk=appointment.pk)
    )


def _required(field: str, value: str | None, message: str) -> str:
    if not value or not value.strip():
        raise ValidationError({field: [message]})
    return value.strip()


def _check_parties(doctor: DoctorProfile, patient: PatientProfile) -> None:
    if not (doctor.user.is_active and doctor.user.is_approved):
        raise ValidationError({"doctor": ["This doctor does not take appointments."]})
    if not (patient.user.is_active and patient.user.is_approved):
        raise ValidationError({"patient": ["This patient's account is not active."]})


def _check_admission(admission, patient_id) -> None:
    if admission is not None and admission.patient_id != patient_id:
        raise ValidationError({"admission": ["This admission belongs to another patient."]})


def _check_slot(*, appointment: Appointment, start: datetime) -> datetime:
    """Apply the slot rules to `start` for this appointment's doctor and patient; return its end."""
    if start <= timezone.now():
        raise DomainError("in_past", "The start time is in the past.")
    slot = selectors.schedule_slot_at(doctor=appointment.doctor, start=start)
    if slot is None:
        raise DomainError("outside_schedule", "The start time is not a slot of the doctor's schedule.")
    overlapping = Appointment.objects.filter(
        status__in=ACTIVE, start__lt=slot.end, end__gt=slot.start
    ).exclude(pk=appointment.pk)
    if overlapping.filter(doctor_id=appointment.doctor_id).exists():
        raise DomainError("slot_unavailable", "This slot is already taken.")
    if overlapping.filter(patient_id=appointment.patient_id).exists():
        raise DomainError("patient_busy", "The patient already has an appointment at this time.")
    return slot.end


def _save_holding_slot(appointment: Appointment, **save_kwargs) -> None:
    """Save; a unique-constraint race on the slot becomes the same 409 as the checks give."""
    try:
        # A savepoint, so the outer transaction stays usable after the database refuses.
        with transaction.atomic():
            appointment.save(**save_kwargs)
    except IntegrityError as exc:
        same_start = Appointment.objects.filter(
            start=appointment.start, status__in=ACTIVE
        ).exclude(pk=appointment.pk)
        if same_start.filter(doctor_id=appointment.doctor_id).exists():
            raise DomainError("slot_unavailable", "This slot is already taken.") from exc
        if same_start.filter(patient_id=appointment.patient_id).exists():
            raise DomainError(
                "patient_busy", "The patient already has an appointment at this time."
            ) from exc
        raise


def _move(appointment: Appointment, actor: User, start: datetime) -> bool:
    """Give a locked appointment a new start under the slot rules, recording it; False if unchanged."""
    start = start.astimezone(UTC)
    if start == appointment.start:
        return False
    _allowed("reschedule", actor, appointment, appointment.status)
    previous = appointment.start
    appointment.end = _check_slot(appointment=appointment, start=start)
    appointment.start = start
    _save_holding_slot(appointment, update_fields=["start", "end", "updated_at"])
    moved_from = previous.isoformat() if previous else "no time"
    _record(
        appointment, actor, "reschedule", appointment.status,
        f"Moved from {moved_from} to {start.isoformat()}.",
    )
    return True


@transaction.atomic
def appointment_request(
    *,
    actor: User,
    doctor: DoctorProfile,
    patient: PatientProfile,
    reason: str,
    start: datetime | None = None,
    admission=None,
) -> Appointment:
    """Book a visit: a patient's request waits for confirmation, a doctor's or admin's is confirmed."""
    doctor, patient = _lock_parties(doctor_id=doctor.pk, patient_id=patient.pk)
    appointment = Appointment(
        doctor=doctor, patient=patient, reason=reason, admission=admission, created_by=actor
    )
    rule = _allowed("request", actor, appointment, NEW)
    _check_parties(doctor, patient)
    _check_admission(admission, patient.pk)
    if start is None and rule.target != Status.REQUESTED:
        raise ValidationError({"start": ["A start time is required."]})
    if start is not None:
        start = start.astimezone(UTC)
        appointment.end = _check_slot(appointment=appointment, start=start)
        appointment.start = start
    appointment.status = rule.target
    appointment.full_clean(exclude=RELATED_FIELDS, validate_constraints=False)
    _save_holding_slot(appointment)
    _record(appointment, actor, "request", NEW)
    if appointment.status == Status.CONFIRMED:
        emails.appointment_notify(appointment, "confirm")
    return appointment


@transaction.atomic
def appointment_confirm(
    *, appointment: Appointment, actor: User, start: datetime | None = None
) -> Appointment:
    """Confirm a request, at `start` if given (the request's own time otherwise)."""
    appointment = _locked(appointment)
    previous = appointment.status
    rule = _allowed("confirm", actor, appointment, previous)
    if start is not None:
        _move(appointment, actor, start)
    if appointment.start is None:
        raise ValidationError({"start": ["A start time is required to confirm this request."]})
    if appointment.start <= timezone.now():
        raise DomainError("in_past", "The start time is in the past.")
    if selectors.is_closed(doctor_id=appointment.doctor_id, start=appointment.start,
                           end=appointment.end):
        raise DomainError("outside_schedule", "The doctor is unavailable at this time.")
    appointment.status = rule.target
    appointment.save(update_fields=["status", "updated_at"])
    _record(appointment, actor, "confirm", previous)
    emails.appointment_notify(appointment, "confirm")
    return appointment


def _close_with_reason(
    appointment: Appointment, actor: User, action: str, reason: str, missing: str
) -> Appointment:
    """Apply a closing `action` (reject or cancel) that needs a reason the patient is told."""
    appointment = _locked(appointment)
    previous = appointment.status
    rule = _allowed(action, actor, appointment, previous)
    reason = _required("reason", reason, missing)
    appointment.status = rule.target
    appointment.cancellation_reason = reason
    appointment.save(update_fields=["status", "cancellation_reason", "updated_at"])
    _record(appointment, actor, action, previous, reason)
    emails.appointment_notify(appointment, action)
    return appointment


@transaction.atomic
def appointment_reject(*, appointment: Appointment, actor: User, reason: str) -> Appointment:
    """Turn a request down, telling the patient why."""
    return _close_with_reason(
        appointment, actor, "reject", reason, "A reason is required to reject a request."
    )


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: User, reason: str) -> Appointment:
    """Cancel a requested or confirmed appointment; its slot becomes free."""
    return _close_with_reason(
        appointment, actor, "cancel", reason, "A reason is required to cancel an appointment."
    )


@transaction.atomic
def appointment_complete(
    *, appointment: Appointment, actor: User, notes: str | None = None
) -> Appointment:
    """Close a confirmed visit, whenever it ends; `notes` replace the visit's notes if given."""
    appointment = _locked(appointment)
    previous = appointment.status
    rule = _allowed("complete", actor, appointment, previous)
    appointment.status = rule.target
    if notes is not None:
        appointment.notes = notes
    appointment.save(update_fields=["status", "notes", "updated_at"])
    _record(appointment, actor, "complete", previous)
    return appointment


@transaction.atomic
def appointment_mark_no_show(*, appointment: Appointment, actor: User) -> Appointment:
    """Record that the patient did not come to a confirmed visit."""
    appointment = _locked(appointment)
    previous = appointment.status
    rule = _allowed("no_show", actor, appointment, previous)
    appointment.status = rule.target
    appointment.save(update_fields=["status", "updated_at"])
    _record(appointment, actor, "no_show", previous)
    return appointment


@transaction.atomic
def appointment_reschedule(*, appointment: Appointment, actor: User, start: datetime) -> Appointment:
    """Move an active appointment to another free slot of the same doctor."""
    appointment = _locked(appointment)
    _allowed("reschedule", actor, appointment, appointment.status)
    _move(appointment, actor, start)
    return appointment


# Fields only the doctor or an admin may change.
STAFF_FIELDS = ("notes", "admission")


@transaction.atomic
def appointment_update(*, appointment: Appointment, actor: User, data: dict) -> Appointment:
    """Edit `reason` (the doctor or an admin also `notes`, `admission`); move it to `start` if given."""
    appointment = _locked(appointment)
    _allowed("update", actor, appointment, appointment.status)
    if actor.is_patient:
        refused = {name: ["Only the doctor or an admin can change this field."]
                   for name in STAFF_FIELDS if name in data}
        if refused:
            raise ValidationError(refused)
    if "admission" in data:
        _check_admission(data["admission"], appointment.patient_id)
    changed = []
    for name in ("reason", "notes", "admission"):
        if name in data and getattr(appointment, name) != data[name]:
            setattr(appointment, name, data[name])
            changed.append(name)
    if changed:
        appointment.full_clean(exclude=RELATED_FIELDS, validate_constraints=False)
        appointment.save(update_fields=[*changed, "updated_at"])
        _record(appointment, actor, "update", appointment.status, f"Changed {', '.join(changed)}.")
    if data.get("start") is not None:
        _move(appointment, actor, data["start"])
    return appointment


@transaction.atomic
def appointments_cancel_for_departing_doctor(
    *, doctor: DoctorProfile, actor: User, reason: str
) -> int:
    """Cancel a deactivated doctor's future (or unscheduled) active appointments, recording why."""
    appointments = list(
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__user", "doctor__user")
        .filter(doctor=doctor, status__in=Appointment.ACTIVE_STATUSES)
        .filter(Q(start__gte=timezone.now()) | Q(start__isnull=True))
    )
    _cancel_all(appointments, actor, reason)
    return len(appointments)


def _cancel_all(appointments, actor: User, reason: str) -> None:
    """Cancel locked appointments with `reason`, recording each and notifying its patient."""
    for appointment in appointments:
        previous = appointment.status
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancellation_reason = reason
        appointment.save(update_fields=["status", "cancellation_reason", "updated_at"])
        _record(appointment, actor, "cancel", previous, reason)
        emails.appointment_notify(appointment, "cancel")


UNAVAILABLE = "The doctor is unavailable"
MAX_TIME_OFF = timedelta(days=90)


def _clear_closed_time(active, *, actor: User, cancel_appointments: bool) -> None:
    """Refuse (409 `has_appointments`) or cancel the active appointments in a closed time."""
    appointments = list(
        active.filter(status__in=Appointment.ACTIVE_STATUSES)
        .select_for_update(of=("self",)).select_related("patient__user", "doctor__user")
        .order_by("start", "id")
    )
    if not appointments:
        return
    if not cancel_appointments:
        raise DomainError(
            "has_appointments",
            "Active appointments fall in this time; cancel them with `cancel_appointments`.",
            extra={"appointments": [str(appointment.pk) for appointment in appointments]},
        )
    _cancel_all(appointments, actor, UNAVAILABLE)


@transaction.atomic
def time_off_create(
    *, doctor: DoctorProfile, actor: User, start: datetime, end: datetime, reason: str = "",
    cancel_appointments: bool = False,
) -> TimeOff:
    """Block a doctor's time; appointments inside it are refused or, if asked, cancelled."""
    if end <= start:
        raise ValidationError({"end": ["The end must be after the start."]})
    if end - start > MAX_TIME_OFF:
        raise ValidationError({"end": ["Time off lasts at most 90 days."]})
    if start < selectors.local_midnight(timezone.localdate()):
        raise DomainError("in_past", "Time off cannot start before today.")
    # Bookings lock the doctor first too: a booking racing this one is either seen here or
    # sees the time off once this commits.
    doctor = DoctorProfile.objects.select_for_update(of=("self",)).get(pk=doctor.pk)
    time_off = TimeOff(doctor=doctor, start=start, end=end, reason=reason.strip(),
                       created_by=actor)
    time_off.full_clean(exclude=["doctor", "created_by"])
    _clear_closed_time(
        Appointment.objects.filter(doctor=doctor, start__lt=end, end__gt=start),
        actor=actor, cancel_appointments=cancel_appointments,
    )
    time_off.save()
    return time_off


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    """Remove a block of time off; its slots are free again."""
    DoctorProfile.objects.select_for_update(of=("self",)).get(pk=time_off.doctor_id)
    time_off.delete()


@transaction.atomic
def holiday_create(
    *, day: date, name: str, actor: User, cancel_appointments: bool = False
) -> Holiday:
    """Close the hospital on a local date; its appointments are refused or, if asked, cancelled."""
    if day < timezone.localdate():
        raise DomainError("in_past", "A holiday cannot be in the past.")
    # Lock every doctor (in one order) so that no booking of that day slips in beside this.
    list(DoctorProfile.objects.select_for_update(of=("self",)).order_by("pk").values_list("pk"))
    if Holiday.objects.filter(date=day).exists():
        raise DomainError("holiday_exists", "There is already a holiday on this date.",
                          status_code=400)
    holiday = Holiday(date=day, name=_required("name", name, "A name is required."),
                      created_by=actor)
    holiday.full_clean(exclude=["created_by"], validate_unique=False)
    start, end = selectors.local_day_bounds(day, day)
    _clear_closed_time(
        Appointment.objects.filter(start__lt=end, end__gt=start),
        actor=actor, cancel_appointments=cancel_appointments,
    )
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError as exc:
        raise DomainError("holiday_exists", "There is already a holiday on this date.",
                          status_code=400) from exc
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday) -> None:
    """Reopen a closed date."""
    holiday.delete()


def appointment_reminders_send(*, now: datetime | None = None, limit: int = 500) -> int:
    """One reminder pass: remind each confirmed appointment due within `REMINDER_HOURS`, once.

    Each appointment is claimed with `FOR UPDATE SKIP LOCKED` in the transaction that stores
    its reminder and records the start it was for, so concurrent passes never remind twice
    and a moved appointment (a new start) is reminded again.
    """
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.REMINDER_HOURS)
    due = (
        Appointment.objects.filter(status=Status.CONFIRMED, start__gt=now, start__lte=horizon)
        .filter(Q(reminded_start__isnull=True) | ~Q(reminded_start=F("start")))
    )
    with transaction.atomic():
        appointments = list(
            due.select_for_update(of=("self",), skip_locked=True)
            .select_related("patient__user", "doctor__user").order_by("start")[:limit]
        )
        for appointment in appointments:
            emails.appointment_notify(appointment, "remind")
            appointment.reminded_start = appointment.start
            appointment.save(update_fields=["reminded_start"])
    return len(appointments)


def check_hours(hours: list[dict]) -> None:
    """Refuse a range that ends before it starts, and overlapping ranges on one weekday."""
    errors = []
    ordered = sorted(hours, key=lambda row: (row["weekday"], row["start"]))
    for row in ordered:
        if row["start"] >= row["end"]:
            errors.append(f"Weekday {row['weekday']}: {row['start']} is not before {row['end']}.")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before["weekday"] == after["weekday"] and after["start"] < before["end"]:
            errors.append(
                f"Weekday {after['weekday']}: {before['start']}–{before['end']} overlaps "
                f"{after['start']}–{after['end']}."
            )
    if errors:
        raise ValidationError({"hours": errors})


@transaction.atomic
def schedule_set(*, doctor: DoctorProfile, slot_minutes: int, hours: list[dict]) -> Schedule:
    """Replace the doctor's slot length and weekly hours; booked appointments stay as they are."""
    # Bookings check the schedule under the same lock, so none sees a half-written week.
    DoctorProfile.objects.select_for_update(of=("self",)).get(pk=doctor.pk)
    check_hours(hours)
    schedule = Schedule.objects.filter(doctor=doctor).first() or Schedule(doctor=doctor)
    schedule.slot_minutes = slot_minutes
    schedule.full_clean(exclude=["doctor"])
    schedule.save()
    schedule.hours.all().delete()
    rows = [
        ScheduleHours(schedule=schedule, weekday=row["weekday"], start=row["start"], end=row["end"])
        for row in hours
    ]
    for row in rows:
        row.full_clean(exclude=["schedule"])
    ScheduleHours.objects.bulk_create(rows)
    return schedule
