"""Filters of the appointment lists; dates are days of the hospital's local calendar."""

import django_filters

from appointments.models import Appointment
from hospital.filters import LocalDateRangeFilterSet


class AppointmentApprovalFilterSet(LocalDateRangeFilterSet):
    """The approval queue holds requests only, so it filters by everything but `status`."""

    date_field = "start"

    doctor = django_filters.UUIDFilter(field_name="doctor_id", help_text="Doctor id.")
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")

    class Meta:
        model = Appointment
        fields = ["doctor", "patient", "date_from", "date_to"]


class AppointmentFilterSet(AppointmentApprovalFilterSet):
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)

    class Meta(AppointmentApprovalFilterSet.Meta):
        fields = ["status", *AppointmentApprovalFilterSet.Meta.fields]
