"""Filters of the appointment lists; dates are days of the hospital's local calendar."""

import django_filters

from appointments.models import Appointment
from appointments.selectors import local_day_bounds


class AppointmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    doctor = django_filters.UUIDFilter(field_name="doctor_id", help_text="Doctor id.")
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    date_from = django_filters.DateFilter(
        method="filter_date_from", help_text="Starting on or after this local date."
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", help_text="Starting on or before this local date."
    )

    class Meta:
        model = Appointment
        fields = ["status", "doctor", "patient", "date_from", "date_to"]

    def filter_date_from(self, queryset, name, value):
        start, _ = local_day_bounds(value, value)
        return queryset.filter(start__gte=start)

    def filter_date_to(self, queryset, name, value):
        _, end = local_day_bounds(value, value)
        return queryset.filter(start__lt=end)
