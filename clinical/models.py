"""Clinical records: admissions, prescriptions, encounters, vital signs and allergies."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
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
    # `{reason, allergies: [ids]}` when the doctor prescribed despite an allergy conflict.
    allergy_override = models.JSONField(null=True, blank=True)
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


class Encounter(models.Model):
    """One clinical contact: an outpatient visit, an inpatient round or an emergency visit."""

    class Kind(models.TextChoices):
        OUTPATIENT = "outpatient", "Outpatient"
        INPATIENT = "inpatient", "Inpatient"
        EMERGENCY = "emergency", "Emergency"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="encounters"
    )
    doctor = models.ForeignKey(
        "accounts.DoctorProfile", on_delete=models.PROTECT, related_name="encounters"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    appointment = models.ForeignKey(
        "appointments.Appointment", null=True, blank=True, on_delete=models.PROTECT,
        related_name="encounters",
    )
    admission = models.ForeignKey(
        Admission, null=True, blank=True, on_delete=models.PROTECT, related_name="encounters"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["patient", "-started_at"], name="clinical_encounter_patient"),
            models.Index(fields=["doctor", "-started_at"], name="clinical_encounter_doctor"),
            models.Index(fields=["admission", "-started_at"], name="clinical_encounter_admission"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"], condition=Q(status="in_progress"),
                name="clinical_encounter_one_open_per_appointment",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="clinical_encounter_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} encounter of {self.patient} on {self.started_at:%Y-%m-%d}"


class EncounterAddendum(models.Model):
    """An amendment to a finished encounter's notes, with its author and time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "encounter addenda"

    def __str__(self):
        return f"Addendum to {self.encounter_id} at {self.at:%Y-%m-%d %H:%M}"


class Observation(models.Model):
    """One vital sign measured on a patient; corrected by voiding, never by editing."""

    class Interpretation(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"

    class Status(models.TextChoices):
        FINAL = "final", "Final"
        ENTERED_IN_ERROR = "entered_in_error", "Entered in error"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="observations"
    )
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.PROTECT, related_name="observations"
    )
    code = models.CharField(max_length=32)
    value = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=16)
    interpretation = models.CharField(
        max_length=8, choices=Interpretation.choices, null=True, blank=True
    )
    effective_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FINAL)
    void_reason = models.TextField(blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-effective_at", "-recorded_at"]
        indexes = [
            models.Index(fields=["patient", "-effective_at"], name="clinical_obs_patient"),
            models.Index(fields=["patient", "code", "-effective_at"], name="clinical_obs_patient_code"),
            models.Index(fields=["encounter"], name="clinical_obs_encounter"),
        ]

    def __str__(self):
        return f"{self.code} {self.value} {self.unit} of {self.patient_id}"


class Allergy(models.Model):
    """An allergy or intolerance of a patient; a self-reported one waits for confirmation."""

    class Category(models.TextChoices):
        MEDICATION = "medication", "Medication"
        FOOD = "food", "Food"
        ENVIRONMENT = "environment", "Environment"
        OTHER = "other", "Other"

    class Criticality(models.TextChoices):
        LOW = "low", "Low"
        HIGH = "high", "High"
        UNABLE_TO_ASSESS = "unable_to_assess", "Unable to assess"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        RESOLVED = "resolved", "Resolved"
        ENTERED_IN_ERROR = "entered_in_error", "Entered in error"

    class Verification(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Unconfirmed"
        CONFIRMED = "confirmed", "Confirmed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="allergies"
    )
    substance = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=Category.choices)
    criticality = models.CharField(
        max_length=16, choices=Criticality.choices, default=Criticality.UNABLE_TO_ASSESS
    )
    reactions = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.CONFIRMED
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["substance", "id"]
        verbose_name_plural = "allergies"
        indexes = [models.Index(fields=["patient", "status"], name="clinical_allergy_patient")]
        constraints = [
            models.UniqueConstraint(
                Lower("substance"), "patient", condition=Q(status="active"),
                name="clinical_allergy_one_active_per_substance",
                violation_error_message="This patient already has this active allergy.",
            ),
        ]

    def __str__(self):
        return f"{self.substance} ({self.category}) of {self.patient_id}"
