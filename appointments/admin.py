"""Django admin: appointments (read-only, approved or rejected through the services) and schedules."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from appointments import services
from appointments.models import Appointment, AppointmentEvent, Schedule, ScheduleHours
from hospital.admin_actions import ReadOnlyTabularInline, ViewOnlyAdminMixin, bulk_apply

ADMIN_REJECTION_REASON = "Rejected by an administrator."


class AppointmentEventInline(ReadOnlyTabularInline):
    """The recorded changes of an appointment; never edited."""

    model = AppointmentEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields


@admin.register(Appointment)
class AppointmentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Appointments by status and date; requests are approved or rejected with the actions.

    Every change goes through the services (events, e-mails, slot rules): no edit form.
    """

    list_display = ["start", "patient", "doctor", "status", "created_at"]
    list_filter = ["status", "doctor__department"]
    list_select_related = ["patient__user", "doctor__user"]
    date_hierarchy = "start"
    search_fields = [
        "patient__user__first_name", "patient__user__last_name", "patient__user__username",
        "doctor__user__first_name", "doctor__user__last_name", "doctor__user__username",
    ]
    ordering = ["-start"]
    inlines = [AppointmentEventInline]
    actions = ["approve_appointments", "reject_appointments"]

    @admin.action(description="Approve selected requests")
    def approve_appointments(self, request, queryset):
        bulk_apply(self, request, queryset, verb="approved",
                   apply=lambda appointment: services.appointment_confirm(
                       appointment=appointment, actor=request.user))

    @admin.action(description="Reject selected requests")
    def reject_appointments(self, request, queryset):
        bulk_apply(self, request, queryset, verb="rejected",
                   apply=lambda appointment: services.appointment_reject(
                       appointment=appointment, actor=request.user, reason=ADMIN_REJECTION_REASON))


class ScheduleHoursFormSet(BaseInlineFormSet):
    """Refuse overlapping ranges on one weekday, like the API does."""

    def clean(self):
        super().clean()
        rows = [
            form.cleaned_data for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and {"weekday", "start", "end"} <= form.cleaned_data.keys()
        ]
        try:
            services.check_hours(rows)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class ScheduleHoursInline(admin.TabularInline):
    model = ScheduleHours
    formset = ScheduleHoursFormSet
    extra = 1


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    """Doctors' slot lengths and weekly working hours (hospital local time)."""

    list_display = ["doctor", "slot_minutes"]
    list_select_related = ["doctor__user"]
    search_fields = ["doctor__user__first_name", "doctor__user__last_name", "doctor__user__username"]
    inlines = [ScheduleHoursInline]

    def get_readonly_fields(self, request, obj=None):
        # The doctor is the schedule's key: chosen once, when the schedule is added.
        return ["doctor"] if obj else []
