"""Accounts: users with a role and an approval status, their profiles, departments."""

import uuid
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(DjangoUserManager):
    """Create users; a superuser is always an approved admin."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMIN)
        extra_fields.setdefault("approval_status", User.ApprovalStatus.APPROVED)
        extra_fields.setdefault("approved_at", timezone.now())
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: an admin, a doctor, a patient, a nurse or a lab technician."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        DOCTOR = "doctor", "Doctor"
        PATIENT = "patient", "Patient"
        NURSE = "nurse", "Nurse"
        LAB = "lab", "Lab technician"

    class ApprovalStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, db_index=True)
    approval_status = models.CharField(
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        db_index=True,
    )
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    # Tokens signed in before this instant answer 401 `token_revoked` (logout-all, password
    # change, deactivation); read from the user row every request already loads.
    tokens_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Access tokens ended one by one at logout: `{jti: exp}`, pruned once expired.
    revoked_access_jtis = models.JSONField(default=dict, blank=True, editable=False)
    # When the e-mail address last changed; a confirmation link for an older state is void.
    email_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message="A user with this e-mail already exists.",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        """Set the password; every token signed in before it stops working once saved."""
        super().set_password(raw_password)
        self.tokens_revoked_at = timezone.now()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_approved(self) -> bool:
        return self.approval_status == self.ApprovalStatus.APPROVED

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_doctor(self) -> bool:
        return self.role == self.Role.DOCTOR

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_nurse(self) -> bool:
        return self.role == self.Role.NURSE

    @property
    def is_lab(self) -> bool:
        return self.role == self.Role.LAB

    @property
    def is_staff_member(self) -> bool:
        """A nurse or a lab technician (not Django's `is_staff`, which opens the admin site)."""
        return self.role in STAFF_ROLES


STAFF_ROLES = (User.Role.NURSE, User.Role.LAB)


class Department(models.Model):
    """A hospital department, with the daily rate of a room in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100, unique=True)
    daily_room_rate = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_room_rate__gte=0),
                name="accounts_department_room_rate_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"


class DoctorProfile(models.Model):
    """A doctor's professional details; shares its id with the user."""

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="doctor_profile"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="doctors")
    specialty = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=255, blank=True)
    mobile = models.CharField(max_length=32, blank=True)
    consultation_fee = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consultation_fee__gte=0),
                name="accounts_doctorprofile_fee_not_negative",
            ),
        ]

    def __str__(self):
        return f"Dr. {self.user.full_name or self.user.username}"

    @property
    def id(self):
        return self.user_id


class PatientProfile(models.Model):
    """A patient's personal details; shares its id with the user."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Unknown"

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="patient_profile"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(max_length=255, blank=True)
    mobile = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user_id"]

    def __str__(self):
        return self.user.full_name or self.user.username

    @property
    def id(self):
        return self.user_id

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth, timezone.localdate())


class StaffProfile(models.Model):
    """A nurse's or lab technician's details; a nurse belongs to a department."""

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="staff_profile"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    mobile = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user_id"]

    def __str__(self):
        return self.user.full_name or self.user.username

    @property
    def id(self):
        return self.user_id

    def clean(self):
        role = self.user.role if self.user_id else None
        if role == User.Role.NURSE and self.department_id is None:
            raise ValidationError({"department": "A nurse belongs to a department."})
        if role == User.Role.LAB and self.department_id is not None:
            raise ValidationError({"department": "A lab technician has no department."})


def age_on(born: date | None, today: date) -> int | None:
    """Whole years between `born` and `today`."""
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
