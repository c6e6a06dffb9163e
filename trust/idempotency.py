"""Safe retries: the first response to a POST with an `Idempotency-Key` is stored and replayed."""

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from trust.models import IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
RECORD_TTL = timedelta(hours=24)


# A view class with this attribute set is a credential route (sign-in, tokens, registration,
# passwords, second factors): its responses carry secrets, so they are never stored or replayed.
EXEMPT_ATTRIBUTE = "idempotency_exempt"


def is_idempotency_exempt(view_func) -> bool:
    view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    return bool(getattr(view_class, EXEMPT_ATTRIBUTE, False))


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    """A keyed hash (HMAC-SHA256 with the secret key) of what the request asks for.

    Keyed so that a copy of the table cannot be searched with guessed bodies; JSON bodies
    are compared by value, not by bytes.
    """
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        canonical = body
    digest = hmac.new(
        f"trust.idempotency:{settings.SECRET_KEY}".encode(), digestmod=hashlib.sha256
    )
    for part in (method.encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def key_reused_response() -> JsonResponse:
    return JsonResponse(
        {
            "detail": "This Idempotency-Key was already used with a different request.",
            "code": "idempotency_key_reused",
        },
        status=422,
    )


def invalid_key_response() -> JsonResponse:
    return JsonResponse(
        {
            "detail": f"The {IDEMPOTENCY_HEADER} header must be 1 to {KEY_MAX_LENGTH} characters.",
            "code": "invalid_input",
        },
        status=400,
    )


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body), status=record.status_code, content_type=record.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


def idempotency_records_expired():
    return IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - RECORD_TTL)


def idempotent_call(
    *, user, key: str, method: str, path: str, fingerprint: str, call: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run `call` once per (user, key); later calls replay its response or answer 422.

    The record row is inserted before the view runs, in the same transaction as the view's
    writes: a concurrent duplicate blocks on the unique (user, key) index until the first
    commits, then replays it (or runs, if the first failed and rolled back). A response of
    500 or more rolls everything back, so the client may retry with the same key.
    """
    with transaction.atomic():
        idempotency_records_expired().filter(user=user, key=key).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user, key=key, method=method, path=path[:255],
                    request_hash=fingerprint, status_code=0, response_body=b"",
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(user=user, key=key)
            if record.request_hash != fingerprint:
                return key_reused_response()
            return replay(record)

        response = call()
        if response.status_code >= 500 or response.streaming:
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.response_body = response.content
        record.content_type = response.get("Content-Type", "application/json")[:100]
        record.save(update_fields=["status_code", "response_body", "content_type"])
        return response
