"""Django admin: notifications are read-only; failed ones can be sent again."""

from django.contrib import admin

from hospital.admin_actions import ViewOnlyAdminMixin, bulk_apply
from notifications import services
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Every message the hospital sent, with its delivery state; failed ones re-sendable."""

    list_display = ["created_at", "user", "kind", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["user__username", "user__email", "subject"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    date_hierarchy = "created_at"
    fields = ["user", "kind", "channel", "recipient", "subject", "body", "status", "attempts",
              "next_attempt_at", "last_error", "created_at", "sent_at", "read_at"]
    readonly_fields = fields
    actions = ["resend"]

    @admin.action(description="Send the selected failed notifications again")
    def resend(self, request, queryset):
        bulk_apply(self, request, queryset, verb="queued again",
                   apply=lambda notification: services.notification_resend(
                       notification=notification))

    def has_change_permission(self, request, obj=None):
        # The action needs change permission to show; the form itself stays read-only.
        return obj is None and request.user.has_perm("notifications.change_notification")
