"""Filters of the audit trail: actor, patient, action and a date range in hospital time."""

import django_filters

from hospital.filters import LocalDateRangeFilterSet
from trust.models import AuditEvent


class AuditEventFilterSet(LocalDateRangeFilterSet):
    date_field = "at"

    actor = django_filters.UUIDFilter(field_name="actor_id", help_text="User id of the actor.")
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    action = django_filters.CharFilter(
        field_name="action", help_text="`read`, `create`, `update`, `delete` or an action name."
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "patient", "action", "date_from", "date_to"]
