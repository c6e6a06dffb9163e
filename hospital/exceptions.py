"""One exception handler: DRF's shapes, plus domain errors with a stable `code`.

Two answers are the same for the whole API, whatever raised them: every 404 has one body
(a hidden object and a missing one are indistinguishable), and a database that refuses,
hangs past its timeouts or drops the connection answers 503 `database_unavailable`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from hospital.errors import (
    NOT_FOUND_BODY,
    DomainError,
    database_unavailable_response,
    is_database_unavailable,
)


def exception_handler(exc, context):
    """Answer domain errors as `{"detail", "code"}` and model validation as a 400."""
    if is_database_unavailable(exc):
        return database_unavailable_response()
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "code": exc.code, **exc.extra},
                        status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Response(
            {"detail": "Other records still refer to this object.", "code": "has_records"},
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = dict(NOT_FOUND_BODY)
    if response is not None and isinstance(exc, exceptions.Throttled):
        response.data["code"] = "throttled"
    return response
