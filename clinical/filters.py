"""Filters of the clinical lists."""

import django_filters

from accounts.models import Department
from clinical.catalog import CODES
from clinical.models import Admission, Allergy, Encounter, Observation, Prescription
from hospital.filters import LocalDateRangeFilterSet


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


class EncounterFilterSet(LocalDateRangeFilterSet):
    date_field = "started_at"
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    doctor = django_filters.UUIDFilter(field_name="doctor_id", help_text="Doctor id.")
    appointment = django_filters.UUIDFilter(field_name="appointment_id", help_text="Appointment id.")
    admission = django_filters.UUIDFilter(field_name="admission_id", help_text="Admission id.")
    status = django_filters.ChoiceFilter(choices=Encounter.Status.choices)

    class Meta:
        model = Encounter
        fields = ["patient", "doctor", "appointment", "admission", "status", "date_from", "date_to"]


class ObservationFilterSet(LocalDateRangeFilterSet):
    date_field = "effective_at"
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    encounter = django_filters.UUIDFilter(field_name="encounter_id", help_text="Encounter id.")
    code = django_filters.ChoiceFilter(choices=[(code, code) for code in CODES])
    status = django_filters.ChoiceFilter(choices=Observation.Status.choices)

    class Meta:
        model = Observation
        fields = ["patient", "encounter", "code", "status", "date_from", "date_to"]


class AllergyFilterSet(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    status = django_filters.ChoiceFilter(choices=Allergy.Status.choices)
    category = django_filters.ChoiceFilter(choices=Allergy.Category.choices)

    class Meta:
        model = Allergy
        fields = ["patient", "status", "category"]
