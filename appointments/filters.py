"""Filters of the appointment lists; dates are days of the hospital's local calendar."""

import django_filters

from appointments.models import Appointment
from hospital.filters import LocalDateRangeFilterSet


class AppointmentFilterSet(LocalDateRangeFilterSet):
    date_field = "start"

    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    doctor = django_filters.UUIDFilter(field_name="doctor_id", help_text="Doctor id.")
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")

    class Meta:
        model = Appointment
        fields = ["status", "doctor", "patient", "date_from", "date_to"]
