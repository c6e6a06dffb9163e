"""Filters of the clinical lists."""

import django_filters

from accounts.models import Department
from clinical.models import Admission, Prescription


class AdmissionFilterSet(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    department = django_filters.ModelChoiceFilter(
        field_name="department", to_field_name="code", queryset=Department.objects.all(),
        help_text="Department code.",
    )
    active = django_filters.BooleanFilter(
        field_name="discharged_at", lookup_expr="isnull",
        help_text="`true`: not discharged yet; `false`: discharged.",
    )

    class Meta:
        model = Admission
        fields = ["patient", "department", "active"]


class PrescriptionFilterSet(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    appointment = django_filters.UUIDFilter(field_name="appointment_id", help_text="Appointment id.")
    status = django_filters.ChoiceFilter(choices=Prescription.Status.choices)

    class Meta:
        model = Prescription
        fields = ["patient", "appointment", "status"]
