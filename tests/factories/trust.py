"""Factories of the trust app: audit events at a chosen time."""

import datetime
from unittest import mock

from django.utils import timezone

from trust.models import AuditEvent


def audit_event(*, at: datetime.datetime | None = None, **fields) -> AuditEvent:
    """One audit event; `at` backdates it (the field is filled on insert only)."""
    fields = {"action": "read", "object_type": "patient", "object_id": "x", **fields}
    with mock.patch("django.utils.timezone.now", return_value=at or timezone.now()):
        return AuditEvent.objects.create(**fields)
