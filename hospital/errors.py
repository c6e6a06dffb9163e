"""Domain errors raised by services and turned into HTTP answers by one handler."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from rest_framework import status

# The HTTP status of each stable error code; a code not listed answers 409 Conflict.
STATUS_BY_CODE = {
    "account_pending": status.HTTP_403_FORBIDDEN,
    "account_rejected": status.HTTP_403_FORBIDDEN,
    "outside_schedule": status.HTTP_400_BAD_REQUEST,
    "in_past": status.HTTP_400_BAD_REQUEST,
    "invalid_input": status.HTTP_400_BAD_REQUEST,
    "payment_exceeds_balance": status.HTTP_400_BAD_REQUEST,
    "idempotency_key_reused": status.HTTP_422_UNPROCESSABLE_ENTITY,
    # Clinical record.
    "implausible_value": status.HTTP_400_BAD_REQUEST,
    "unknown_code": status.HTTP_400_BAD_REQUEST,
}


class DomainError(Exception):
    """A business rule refused the operation; `code` is stable for clients."""

    def __init__(
        self, code: str, message: str, *, status_code: int | None = None, extra: dict | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        # Further keys of the error body the client acts on (e.g. the conflicting `appointments`).
        self.extra = extra or {}
        self.status_code = status_code or STATUS_BY_CODE.get(code, status.HTTP_409_CONFLICT)


# Django's own error pages (raised outside DRF's handler), answered as JSON. They never echo
# the request: no body, header or exception text reaches the client.
def bad_request(request, exception=None):
    return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)


# The one body of every 404 of the API, from a router, a view or a hidden object alike.
NOT_FOUND_BODY = {"detail": "Not found.", "code": "not_found"}


def not_found(request, exception=None):
    return JsonResponse(NOT_FOUND_BODY, status=404)


def is_database_unavailable(exc) -> bool:
    """True for a refused or dropped connection and for a statement or lock timeout.

    Django raises `OperationalError` for all of these on PostgreSQL and SQLite (a locked
    SQLite file too) and `InterfaceError` for a connection closed under it.
    """
    return isinstance(exc, (OperationalError, InterfaceError))


def database_unavailable_response() -> JsonResponse:
    response = JsonResponse(
        {"detail": "The database is unavailable; retry shortly.", "code": "database_unavailable"},
        status=503,
    )
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    return response


def server_error(request):
    # Django calls this inside its `except` block: a database outage raised outside DRF
    # (a middleware, the Django admin) still answers 503 rather than 500.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response()
    return JsonResponse({"detail": "Internal server error.", "code": "server_error"}, status=500)
