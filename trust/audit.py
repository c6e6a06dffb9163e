"""Writing the audit trail: one event per patient record read or written, batched per request."""

import ipaddress
from collections.abc import Iterable

from rest_framework.throttling import BaseThrottle

from trust.models import AuditEvent

# The audit action for each standard viewset action; custom actions keep their own name.
ACTION_NAMES = {
    "list": "read",
    "retrieve": "read",
    "create": "create",
    "update": "update",
    "partial_update": "update",
    "destroy": "delete",
}


def _valid_ip(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, honouring `NUM_PROXIES` like the throttles do.

    A forwarded address that is not an IP (a forged or chained header) falls back to the
    socket's address, so a hostile header can neither break the insert nor fake a value.
    """
    return _valid_ip(BaseThrottle().get_ident(request)) or _valid_ip(
        request.META.get("REMOTE_ADDR", "")
    )


def audit_events_record(
    *, request, action: str, object_type: str, records: Iterable[tuple[object, object]]
) -> None:
    """Insert one event per `(object_id, patient_id)` pair in a single query."""
    audit_batches_record(request=request, batches=[(action, object_type, records)])


def audit_batches_record(
    *, request, batches: Iterable[tuple[str, str, Iterable[tuple[object, object]]]]
) -> None:
    """Insert the events of several `(action, object_type, records)` batches in a single query."""
    user = request.user if request.user.is_authenticated else None
    ip = client_ip(request)
    request_id = getattr(request, "request_id", "")
    events = [
        AuditEvent(
            actor=user, action=action, object_type=object_type, object_id=str(object_id),
            patient_id=patient_id, ip=ip, request_id=request_id,
        )
        for action, object_type, records in batches
        for object_id, patient_id in records
    ]
    if events:
        AuditEvent.objects.bulk_create(events)


class AuditedViewSetMixin:
    """Record an audit event for every object a successful request read or wrote.

    Objects reach the trail through `get_object()`, the list page, or `audit_track()` (for
    objects a view creates). `audit_patient_id(obj)` names the patient each one concerns.
    `audit_track_other()` adds objects of another type (a sub-list's rows) to the same insert.
    Events are written once per request, in one insert, and only when the answer is a success.
    """

    audit_object_type: str = ""

    def audit_patient_id(self, obj):
        return obj.patient_id

    def audit_track(self, *objects) -> None:
        # Ids are read now: a deleted object loses its primary key before the response.
        tracked = self.__dict__.setdefault("_audited", {})
        for obj in objects:
            tracked.setdefault(obj.pk, self.audit_patient_id(obj))

    def audit_track_other(self, *, action: str, object_type: str, records) -> None:
        """Record `(object_id, patient_id)` pairs of another type in the request's one insert."""
        self.__dict__.setdefault("_audited_other", []).append((action, object_type, list(records)))

    def get_object(self):
        obj = super().get_object()
        self.audit_track(obj)
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.audit_track(*page)
        return page

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        audited = self.__dict__.pop("_audited", None) or {}
        other = self.__dict__.pop("_audited_other", [])
        if (audited or other) and response.status_code < 400:
            own = (ACTION_NAMES.get(self.action, self.action), self.audit_object_type, audited.items())
            audit_batches_record(request=request, batches=[*other, own])
        return response


def audit_account_change(request, user) -> None:
    """Record a change of `user`'s account made without a signed-in caller (an e-mail link):
    the account's owner is the actor."""
    AuditEvent.objects.create(
        actor=user, action="update", object_type="patient" if user.is_patient else "account",
        object_id=str(user.pk), patient_id=user.pk if user.is_patient else None,
        ip=client_ip(request), request_id=getattr(request, "request_id", ""),
    )


def audit_own_profile(request, action: str) -> None:
    """Record a patient reading or changing their own profile through `/api/me/`."""
    user = request.user
    if user.is_authenticated and user.is_patient:
        audit_events_record(
            request=request, action=action, object_type="patient", records=[(user.pk, user.pk)]
        )
