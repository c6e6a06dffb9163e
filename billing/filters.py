"""Filters of the invoice list."""

import django_filters

from billing.models import Invoice


class InvoiceFilterSet(django_filters.FilterSet):
    # Plain id filters: an unknown id gives an empty page rather than revealing what exists.
    patient = django_filters.UUIDFilter(field_name="patient_id", help_text="Patient id.")
    admission = django_filters.UUIDFilter(field_name="admission_id", help_text="Admission id.")
    status = django_filters.ChoiceFilter(choices=Invoice.Status.choices)

    class Meta:
        model = Invoice
        fields = ["patient", "admission", "status"]
