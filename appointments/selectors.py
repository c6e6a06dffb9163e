"""What each user may see of appointments, and the free slots of doctors' schedules.

Schedules are wall-clock hours in the hospital's zone (`TIME_ZONE`). Slots are generated per
local date and stepped in UTC, so each lasts exactly `slot_minutes` even on the days the
clocks change.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BigIntegerField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, Extract
from django.utils import timezone

from accounts.models import DoctorProfile, User
from accounts.selectors import scope_by_role
from appointments.models import (
    Appointment,
    AppointmentEvent,
    Holiday,
    Schedule,
    ScheduleHours,
    TimeOff,
)
from clinical.models import Prescription

DEFAULT_SLOT_MINUTES = Schedule._meta.get_field("slot_minutes").default
# Every appointment lasts one slot, so none lasts longer than the longest slot a schedule allows.
LONGEST_SLOT = timedelta(minutes=480)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Slot:
    """A bookable interval; `start` and `end` are aware datetimes in UTC."""

    start: datetime
    end: datetime


def _appointments() -> QuerySet[Appointment]:
    return Appointment.objects.select_related(
        "patient__user", "doctor__user", "doctor__department"
    )


def appointments_visible_to(user: User) -> QuerySet[Appointment]:
    """Admins: all appointments; doctors and patients: their own; anyone else: none."""
    return scope_by_role(
        _appointments(), user, doctor=Q(doctor_id=user.pk), patient=Q(patient_id=user.pk)
    )


def appointments_with_history(qs: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Add the recorded events (with their actors) and the prescriptions of each appointment."""
    return qs.prefetch_related(
        Prefetch("events", queryset=AppointmentEvent.objects.select_related("actor")),
        Prefetch("prescriptions", queryset=Prescription.objects.order_by("issued_at", "id")),
    )


def appointments_for_approval() -> QuerySet[Appointment]:
    """Every appointment, for the admin approval queue (its list keeps the requested ones)."""
    return _appointments()


def schedule_of(doctor: DoctorProfile) -> dict:
    """The doctor's schedule as `{slot_minutes, hours}`; 30-minute slots and no hours if unset."""
    schedule = Schedule.objects.filter(doctor=doctor).prefetch_related("hours").first()
    if schedule is None:
        return {"slot_minutes": DEFAULT_SLOT_MINUTES, "hours": []}
    return {"slot_minutes": schedule.slot_minutes, "hours": list(schedule.hours.all())}


def local_midnight(day: date) -> datetime:
    """The instant the local `day` begins, in UTC; a 400 for dates the calendar cannot hold."""
    try:
        return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()).astimezone(UTC)
    except OverflowError as exc:
        raise ValidationError("Date out of range.") from exc


def local_day_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The instants `[start, end)` covering the local days `first_day` to `last_day`."""
    try:
        after = last_day + timedelta(days=1)
    except OverflowError as exc:
        raise ValidationError("Date out of range.") from exc
    return local_midnight(first_day), local_midnight(after)


def day_slots(
    ranges: Iterable[tuple[time, time]], slot_minutes: int, day: date
) -> list[Slot]:
    """The slots of local `day` for working ranges `(start, end)`, in time order."""
    zone = timezone.get_current_timezone()
    step = timedelta(minutes=slot_minutes)
    starts = set()
    for range_start, range_end in ranges:
        # Aware arithmetic is wall-clock within one tzinfo; step in UTC to stay exact over DST.
        cursor = datetime.combine(day, range_start, tzinfo=zone).astimezone(UTC)
        stop = datetime.combine(day, range_end, tzinfo=zone).astimezone(UTC)
        while cursor + step <= stop:
            starts.add(cursor)
            cursor += step
    return [Slot(start, start + step) for start in sorted(starts)]


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def free_of(slots: list[Slot], busy: Iterable[tuple[datetime, datetime]], now: datetime) -> list[Slot]:
    """Keep the slots that start after `now` and overlap no busy interval."""
    busy = _merge(busy)
    free, index = [], 0
    for slot in slots:
        while index < len(busy) and busy[index][1] <= slot.start:
            index += 1
        overlaps = index < len(busy) and busy[index][0] < slot.end
        if slot.start > now and not overlaps:
            free.append(slot)
    return free


def _epoch_microseconds(field: str):
    return Cast(Extract(field, "epoch", tzinfo=UTC) * 1_000_000, BigIntegerField())


def _active_busy(doctor_ids, start: datetime, end: datetime) -> dict:
    """Active appointments of the doctors overlapping `[start, end)`, as intervals per doctor.

    The lower bound on `start` (an appointment lasts at most `LONGEST_SLOT`) keeps the scan of
    the `(doctor, start)` index to the window instead of every earlier appointment.
    """
    rows = Appointment.objects.filter(
        doctor_id__in=doctor_ids, status__in=Appointment.ACTIVE_STATUSES,
        start__lt=end, start__gt=start - LONGEST_SLOT, end__gt=start,
    ).order_by()
    if connection.vendor == "postgresql":
        # Parsing timestamptz text in Python costs more than the query: read exact microseconds.
        rows = (
            (doctor_id, EPOCH + timedelta(microseconds=busy_start), EPOCH + timedelta(microseconds=busy_end))
            for doctor_id, busy_start, busy_end in rows.values_list(
                "doctor_id", _epoch_microseconds("start"), _epoch_microseconds("end")
            )
        )
    else:
        rows = rows.values_list("doctor_id", "start", "end")
    busy = defaultdict(list)
    for doctor_id, busy_start, busy_end in rows:
        busy[doctor_id].append((busy_start, busy_end))
    return busy


def closed_intervals(doctor_ids, start: datetime, end: datetime) -> dict:
    """Time off and holidays overlapping `[start, end)` as intervals per doctor, in two queries."""
    closed = defaultdict(list)
    for doctor_id, off_start, off_end in TimeOff.objects.filter(
        doctor_id__in=doctor_ids, start__lt=end, end__gt=start
    ).order_by().values_list("doctor_id", "start", "end"):
        closed[doctor_id].append((off_start, off_end))
    first_day, last_day = timezone.localtime(start).date(), timezone.localtime(end).date()
    holidays = [
        local_day_bounds(day, day)
        for day in Holiday.objects.filter(date__range=(first_day, last_day)).values_list(
            "date", flat=True
        )
    ]
    if holidays:
        for doctor_id in doctor_ids:
            closed[doctor_id].extend(holidays)
    return closed


def is_closed(*, doctor_id, start: datetime, end: datetime) -> bool:
    """Whether time off of the doctor or a holiday overlaps `[start, end)`."""
    return bool(closed_intervals([doctor_id], start, end).get(doctor_id))


def _hours_by_doctor(doctors, weekdays: Iterable[int]) -> dict:
    """`{doctor_id: (slot_minutes, {weekday: [(start, end)]})}` for the given weekdays."""
    rows = ScheduleHours.objects.filter(
        schedule__doctor__in=doctors, weekday__in=set(weekdays)
    ).values_list("schedule__doctor_id", "schedule__slot_minutes", "weekday", "start", "end")
    result: dict = {}
    for doctor_id, slot_minutes, weekday, start, end in rows:
        _, by_weekday = result.setdefault(doctor_id, (slot_minutes, defaultdict(list)))
        by_weekday[weekday].append((start, end))
    return result


def _days(first_day: date, last_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def doctor_free_slots(
    *, doctor: DoctorProfile, first_day: date, last_day: date, now: datetime | None = None
) -> list[Slot]:
    """The doctor's free slots on the local days `first_day` to `last_day`, none in the past."""
    now = now or timezone.now()
    days = _days(first_day, last_day)
    window = local_day_bounds(first_day, last_day)
    schedule = _hours_by_doctor([doctor.pk], {day.weekday() for day in days}).get(doctor.pk)
    if schedule is None:
        return []
    slot_minutes, by_weekday = schedule
    slots = [slot for day in days for slot in day_slots(by_weekday[day.weekday()], slot_minutes, day)]
    busy = [*_active_busy([doctor.pk], *window).get(doctor.pk, []),
            *closed_intervals([doctor.pk], *window).get(doctor.pk, [])]
    return free_of(slots, busy, now)


def doctors_free_slots_on(
    *, doctors: QuerySet[DoctorProfile], day: date, now: datetime | None = None
) -> dict:
    """`{doctor_id: [free slots]}` on local `day` for the doctors that have any, in two queries."""
    now = now or timezone.now()
    start, end = local_day_bounds(day, day)
    schedules = _hours_by_doctor(doctors.values("pk"), [day.weekday()])
    busy = _active_busy(list(schedules), start, end)
    for doctor_id, intervals in closed_intervals(list(schedules), start, end).items():
        busy[doctor_id].extend(intervals)
    result = {}
    slots_by_hours: dict = {}  # doctors with the same hours share one list of slots
    for doctor_id, (slot_minutes, by_weekday) in schedules.items():
        ranges = tuple(sorted(by_weekday[day.weekday()]))
        slots = slots_by_hours.get((slot_minutes, ranges))
        if slots is None:
            slots = slots_by_hours[slot_minutes, ranges] = day_slots(ranges, slot_minutes, day)
        free = free_of(slots, busy[doctor_id], now)
        if free:
            result[doctor_id] = free
    return result


def schedule_slot_at(*, doctor: DoctorProfile, start: datetime) -> Slot | None:
    """The slot of the doctor's schedule beginning exactly at `start`, if there is one."""
    day = timezone.localtime(start).date()
    schedule = _hours_by_doctor([doctor.pk], [day.weekday()]).get(doctor.pk)
    if schedule is None:
        return None
    slot_minutes, by_weekday = schedule
    # Compare in UTC: an aware time in the repeated hour of a DST change (fold=1) never
    # equals a time of another zone (PEP 495).
    start = start.astimezone(UTC)
    for slot in day_slots(by_weekday[day.weekday()], slot_minutes, day):
        if slot.start == start:
            closed = is_closed(doctor_id=doctor.pk, start=slot.start, end=slot.end)
            return None if closed else slot
    return None


def time_off_upcoming(doctor: DoctorProfile) -> QuerySet[TimeOff]:
    """The doctor's blocks of time off that have not ended yet, soonest first."""
    return TimeOff.objects.filter(doctor=doctor, end__gt=timezone.now()).order_by("start", "id")


def holidays_upcoming() -> QuerySet[Holiday]:
    """Closed dates from today on, soonest first."""
    return Holiday.objects.filter(date__gte=timezone.localdate()).order_by("date")
