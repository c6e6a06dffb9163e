"""Filters of the laboratory lists."""

import django_filters
from django.db.models import Q

from hospital.filters import LocalDateRangeFilterSet
from laboratory.models import LabOrder, LabTest


class LabTestFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(help_text="`true`: orderable tests only.")
    q = django_filters.CharFilter(method="filter_q", help_text="Words of the name, code or LOINC.")

    class Meta:
        model = LabTest
        fields = ["active", "q"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(code__icontains=word) | Q(loinc__icontains=word)
            )
        return queryset


class LabOrderFilterSet(LocalDateRangeFilterSet):
    date_field = "ordered_at"

    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    ordered_by = django_filters.UUIDFilter(field_name="ordered_by_id", help_text="Ordering doctor's id.")
    status = django_filters.ChoiceFilter(choices=LabOrder.Status.choices)
    priority = django_filters.ChoiceFilter(choices=LabOrder.Priority.choices)

    class Meta:
        model = LabOrder
        fields = ["patient", "status", "priority", "ordered_by", "date_from", "date_to"]
