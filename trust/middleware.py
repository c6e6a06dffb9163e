"""Request plumbing: a request id, a cap on body size, safe URLs, idempotent retries of POSTs."""

import re
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from rest_framework.exceptions import APIException

from hospital.text import unsafe_text_reason
from trust.idempotency import (
    IDEMPOTENCY_HEADER,
    KEY_MAX_LENGTH,
    idempotent_call,
    invalid_key_response,
    is_idempotency_exempt,
    request_fingerprint,
)

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_MAX_LENGTH = 64
_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")


def request_id_from(value: str | None) -> str:
    """The client's request id with unsafe characters removed, or a new uuid4 when none is left."""
    cleaned = _UNSAFE.sub("", value or "")[:REQUEST_ID_MAX_LENGTH]
    return cleaned or uuid.uuid4().hex


class RequestIdMiddleware:
    """Take `X-Request-ID` from the client (or make one), expose it as `request.request_id`, echo it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class BodySizeLimitMiddleware:
    """Answer 413 to a body declared larger than `DATA_UPLOAD_MAX_MEMORY_SIZE`.

    Django enforces that limit only when `request.body` is read; DRF's parsers read the
    stream directly, so without this check a JSON body of any size would be parsed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"detail": "Invalid Content-Length header.", "code": "invalid_input"}, status=400
            )
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"The request body exceeds {limit} bytes.", "code": "request_too_large"},
                status=413,
            )
        return self.get_response(request)


def _authenticated_user(request):
    """The user of a valid Bearer token, or None (the view will answer 401 itself)."""
    from accounts.authentication import ApprovedJWTAuthentication

    try:
        result = ApprovedJWTAuthentication().authenticate(request)
    except APIException:
        return None
    return result[0] if result else None


def _is_credential_route(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return is_idempotency_exempt(match.func)


class IdempotencyMiddleware:
    """Make an authenticated POST with an `Idempotency-Key` safe to retry for 24 hours.

    A middleware rather than a DRF base class so that every POST route (viewsets, API views,
    the token views) is covered without each app opting in; it reads the user from the same
    JWT authentication the views use. Anonymous POSTs ignore the header, and so do the
    credential routes (views marked `idempotency_exempt`): their answers carry tokens, so
    nothing of them is stored and every retry runs again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if request.method != "POST" or key is None or _is_credential_route(request):
            return self.get_response(request)
        user = _authenticated_user(request)
        if user is None:
            return self.get_response(request)
        if not key or len(key) > KEY_MAX_LENGTH:
            return invalid_key_response()
        path = request.get_full_path()
        return idempotent_call(
            user=user, key=key, method=request.method, path=path,
            fingerprint=request_fingerprint(method=request.method, path=path, body=request.body),
            call=lambda: self.get_response(request),
        )


class UnsafeTextMiddleware:
    """Answer 400 to a path or query parameter carrying a NUL byte or a lone surrogate.

    Bodies are checked by `hospital.parsers.SafeJSONParser`; this covers the URL, for every
    route (API and admin alike), before any view, filter or database sees the value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    # The FHIR face refuses these itself, as an OperationOutcome in `application/fhir+json`.
    EXEMPT_PREFIXES = ("/fhir/",)

    def __call__(self, request):
        if request.path.startswith(self.EXEMPT_PREFIXES):
            return self.get_response(request)
        if unsafe_text_reason(request.path):
            return JsonResponse({"path": ["Must not contain NUL bytes or lone UTF-16 surrogates."]},
                                status=400)
        for name, values in request.GET.lists():
            if unsafe_text_reason(name):
                return JsonResponse({"non_field_errors": [
                    "A parameter name must not contain NUL bytes or lone UTF-16 surrogates."]},
                    status=400)
            for value in values:
                reason = unsafe_text_reason(value)
                if reason:
                    return JsonResponse({name: [reason]}, status=400)
        return self.get_response(request)
