"""One exception handler: DRF's shapes, plus domain errors with a stable `code`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from hospital.errors import DomainError


def exception_handler(exc, context):
    """Answer domain errors as `{"detail", "code"}` and model validation as a 400."""
    if isinstance(exc, DomainError):
        return Response(
            {**exc.extra, "detail": exc.message, "code": exc.code}, status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Response(
            {"detail": "Other records still refer to this object.", "code": "has_records"},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.Throttled):
        response.data["code"] = "throttled"
    return response
