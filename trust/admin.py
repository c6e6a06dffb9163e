"""Django admin of the trust app: the audit trail, read-only."""

from django.contrib import admin

from hospital.admin_actions import ViewOnlyAdminMixin
from trust.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Browse and search the audit trail; nobody can add, change or delete an event."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "patient", "ip",
                    "request_id"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor", "patient__user"]
    search_fields = ["object_id", "request_id", "actor__username", "patient__user__last_name"]
    date_hierarchy = "at"
    show_full_result_count = False
