"""Filters of the audit trail: actor, patient, action and a date range in hospital time."""

import datetime

import django_filters
from django.utils import timezone

from trust.models import AuditEvent


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditEventFilterSet(django_filters.FilterSet):
    actor = django_filters.UUIDFilter(field_name="actor_id", help_text="User id of the actor.")
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    action = django_filters.CharFilter(
        field_name="action", help_text="`read`, `create`, `update`, `delete` or an action name."
    )
    date_from = django_filters.DateFilter(
        method="filter_date_from", help_text="Events on or after this day (hospital time)."
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", help_text="Events on or before this day (hospital time)."
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "patient", "action", "date_from", "date_to"]

    # Compare `at` with the day's bounds rather than `at__date`, so the index on `at` serves.
    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=local_midnight(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=local_midnight(value + datetime.timedelta(days=1)))
