"""Writing the audit trail: one event per patient record read or written, batched per request."""

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


def client_ip(request) -> str | None:
    """The client's address, honouring `NUM_PROXIES` like the throttles do."""
    ident = BaseThrottle().get_ident(request)
    return ident or None


def audit_events_record(
    *, request, action: str, object_type: str, records: Iterable[tuple[object, object]]
) -> None:
    """Insert one event per `(object_id, patient_id)` pair in a single query."""
    user = request.user if request.user.is_authenticated else None
    ip = client_ip(request)
    request_id = getattr(request, "request_id", "")
    events = [
        AuditEvent(
            actor=user, action=action, object_type=object_type, object_id=str(object_id),
            patient_id=patient_id, ip=ip, request_id=request_id,
        )
        for object_id, patient_id in records
    ]
    if events:
        AuditEvent.objects.bulk_create(events)


class AuditedViewSetMixin:
    """Record an audit event for every object a successful request read or wrote.

    Objects reach the trail through `get_object()`, the list page, or `audit_track()` (for
    objects a view creates). `audit_patient_id(obj)` names the patient each one concerns.
    """

    audit_object_type: str = ""

    def audit_patient_id(self, obj):
        return obj.patient_id

    def audit_track(self, *objects) -> None:
        self.__dict__.setdefault("_audited", []).extend(objects)

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
        audited = self.__dict__.get("_audited")
        if audited and response.status_code < 400:
            action = ACTION_NAMES.get(self.action, self.action)
            seen = {}
            for obj in audited:
                seen.setdefault(obj.pk, self.audit_patient_id(obj))
            audit_events_record(
                request=request, action=action, object_type=self.audit_object_type,
                records=seen.items(),
            )
        return response
