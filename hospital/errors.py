"""Domain errors raised by services and turned into HTTP answers by one handler."""

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
    # Clinical record (issue 10).
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


def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def server_error(request):
    return JsonResponse({"detail": "Internal server error.", "code": "server_error"}, status=500)
