"""The one range of dates the API accepts: 1900-01-01 … 2100-12-31, in every field and filter.

Outside it a hospital has no real date: year 1 renders with a local-mean-time offset that is
not RFC 3339 and turns derived amounts (room nights) absurd. `install()` adds the check to the
base date and timestamp fields of DRF (every serializer field, model-made or declared) and of
Django forms (every django-filter query parameter and every Django admin form), so no field
can forget it.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework import fields as drf_fields

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MESSAGE = "Dates must lie between 1900-01-01 and 2100-12-31."


def in_bounds(value) -> bool:
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


def validate_date_bounds(value) -> None:
    """A Django validator: refuse a date or timestamp outside the bounds."""
    if isinstance(value, datetime.date) and not in_bounds(value):
        raise ValidationError(MESSAGE, code="date_out_of_range")


def _bounded(to_internal_value):
    def checked(self, value):
        result = to_internal_value(self, value)
        if isinstance(result, datetime.date) and not in_bounds(result):
            raise drf_exceptions.ValidationError(MESSAGE, code="date_out_of_range")
        return result

    checked.__wrapped__ = to_internal_value
    return checked


def install() -> None:
    """Put the bounds on DRF's and Django's date fields (idempotent; run once at start-up)."""
    for field in (drf_fields.DateField, drf_fields.DateTimeField):
        if not hasattr(field.to_internal_value, "__wrapped__"):
            field.to_internal_value = _bounded(field.to_internal_value)
    for field in (forms.DateField, forms.DateTimeField):
        if validate_date_bounds not in field.default_validators:
            field.default_validators = [*field.default_validators, validate_date_bounds]
