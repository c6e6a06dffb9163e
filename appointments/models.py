"""Appointments: doctors' weekly schedules, appointments and their status history."""

import calendar
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Schedule(models.Model):
    """A doctor's slot length; the working hours hang off it."""

    doctor = models.OneToOneField(
        "accounts.DoctorProfile",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="schedule",
    )
    slot_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5) & Q(slot_minutes__lte=480),
                name="appointments_schedule_slot_minutes_range",
            ),
        ]

    def __str__(self):
        return f"Schedule of {self.doctor}"


class ScheduleHours(models.Model):
    """One working range of a weekday (Mon=0), in the hospital's local time."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "schedule hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="appointments_schedulehours_weekday_range"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="appointments_schedulehours_start_before_end"
            ),
        ]

    def __str__(self):
        return f"{calendar.day_name[self.weekday]}: {self.start:%H:%M}–{self.end:%H:%M}"


class Appointment(models.Model):
    """A patient's visit to a doctor, from request to completion."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No show"

    ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="appointments"
    )
    doctor = models.ForeignKey(
        "accounts.DoctorProfile", on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    admission = models.ForeignKey(
        "clinical.Admission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    cancellation_reason = models.TextField(blank=True)
    # The start a reminder went out for: a moved appointment (start changed) is reminded again.
    reminded_start = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "-created_at"]
        indexes = [
            models.Index(fields=["doctor", "start"], name="appointments_doctor_start"),
            models.Index(fields=["patient", "start"], name="appointments_patient_start"),
            models.Index(fields=["status", "start"], name="appointments_status_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "start"],
                condition=Q(status__in=["requested", "confirmed"]) & Q(start__isnull=False),
                name="appointments_appointment_doctor_slot_unique_active",
                violation_error_message="This slot is already taken.",
            ),
            models.UniqueConstraint(
                fields=["patient", "start"],
                condition=Q(status__in=["requested", "confirmed"]) & Q(start__isnull=False),
                name="appointments_appointment_patient_slot_unique_active",
                violation_error_message="The patient already has an appointment at this time.",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, start__lt=F("end")),
                name="appointments_appointment_start_before_end",
            ),
        ]

    def __str__(self):
        # Titles in the hospital's zone, like every time shown beside them.
        when = f"{timezone.localtime(self.start):%Y-%m-%d %H:%M}" if self.start else "unscheduled"
        return f"{self.patient} with {self.doctor} ({when}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class AppointmentEvent(models.Model):
    """One recorded change of an appointment: who, when, from, to, why."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"


class TimeOff(models.Model):
    """A block of time a doctor takes no appointments (leave, a conference)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    doctor = models.ForeignKey(
        "accounts.DoctorProfile", on_delete=models.PROTECT, related_name="time_off"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = "time off"
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="appointments_timeoff_end_after_start"),
        ]
        indexes = [models.Index(fields=["doctor", "end"], name="appointments_timeoff_upcoming")]

    def __str__(self):
        return f"{self.doctor} off {self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M}"


class Holiday(models.Model):
    """A hospital-wide closed date: no doctor has slots that local day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.name} ({self.date})"
