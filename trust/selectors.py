"""What each user may see of the audit trail."""

from django.db.models import QuerySet

from accounts.models import User
from trust.models import AuditEvent


def audit_events_list() -> QuerySet[AuditEvent]:
    """Every event, newest first, for the admins' audit query."""
    return AuditEvent.objects.select_related("actor").order_by("-at", "-id")


def access_log_of(user: User) -> QuerySet[AuditEvent]:
    """Events about the patient `user`, newest first; nothing for anyone else."""
    if not (user.is_authenticated and user.is_patient):
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(patient_id=user.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    )
