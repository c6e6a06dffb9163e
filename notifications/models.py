"""Notifications: every message the hospital sends a user, stored before it is delivered."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One message to one user over one channel, with its delivery state."""

    class Kind(models.TextChoices):
        APPOINTMENT_CONFIRMED = "appointment_confirmed", "Appointment confirmed"
        APPOINTMENT_REJECTED = "appointment_rejected", "Appointment rejected"
        APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
        APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
        ACCOUNT_APPROVED = "account_approved", "Account approved"
        ACCOUNT_REJECTED = "account_rejected", "Account rejected"
        LAB_RESULTS_RELEASED = "lab_results_released", "Lab results released"
        EMAIL_CHANGE = "email_change", "E-mail change"
        SECURITY_NOTICE = "security_notice", "Security notice"

    # A new channel (sms, push) is a new choice: a string column, so no stored row changes.
    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A user is deactivated, never deleted while messages to them exist.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    # The address at the time of sending: a later change of e-mail does not redirect it.
    recipient = models.CharField(max_length=254, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notifications_user_recent"),
            models.Index(
                fields=["next_attempt_at"], name="notifications_due",
                condition=models.Q(status="queued"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user} ({self.status})"
