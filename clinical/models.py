"""Clinical records: admissions (episodes of care) and prescriptions."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Admission(models.Model):
    """An episode of care in a department, from admission to discharge."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="admissions"
    )
    assigned_doctor = models.ForeignKey(
        "accounts.DoctorProfile", on_delete=models.PROTECT, related_name="admissions"
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="admissions"
    )
    symptoms = models.TextField(blank=True)
    admitted_at = models.DateTimeField(default=timezone.now)
    discharged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-admitted_at"]
        indexes = [
            models.Index(fields=["patient", "-admitted_at"], name="clinical_admission_patient"),
            models.Index(
                fields=["assigned_doctor", "-admitted_at"], name="clinical_admission_doctor"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True) | Q(discharged_at__gte=F("admitted_at")),
                name="clinical_admission_discharge_after_admission",
            ),
        ]

    def __str__(self):
        admitted = timezone.localtime(self.admitted_at)
        return f"{self.patient} in {self.department.code} from {admitted:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.discharged_at is None


class Prescription(models.Model):
    """A medicine a doctor prescribed at an appointment; never deleted, only cancelled."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(
        "appointments.Appointment", on_delete=models.PROTECT, related_name="prescriptions"
    )
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="prescriptions"
    )
    doctor = models.ForeignKey(
        "accounts.DoctorProfile", on_delete=models.PROTECT, related_name="prescriptions"
    )
    medicine_name = models.CharField(max_length=200)
    dosage = models.CharField(max_length=100)
    frequency = models.CharField(max_length=100)
    duration_days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    instructions = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    issued_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        indexes = [
            models.Index(fields=["patient", "-issued_at"], name="clinical_rx_patient"),
            models.Index(fields=["doctor", "-issued_at"], name="clinical_rx_doctor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__gte=1) & Q(quantity__gte=1),
                name="clinical_prescription_positive_amounts",
            ),
        ]

    def __str__(self):
        return f"{self.medicine_name} {self.dosage} for {self.patient}"
