"""Django admin: appointments (read-only, approved or rejected through the services) and schedules."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html, format_html_join

from appointments import selectors, services
from appointments.models import (
    Appointment,
    AppointmentEvent,
    Holiday,
    Schedule,
    ScheduleHours,
    TimeOff,
)
from hospital.admin_actions import (
    ReadOnlyTabularInline,
    ViewOnlyAdminMixin,
    WeekdayField,
    bulk_apply,
    reason_action,
)
from hospital.errors import DomainError

# How many local days of free slots the approve page offers at once.
SLOT_DAYS = 7


class AppointmentEventInline(ReadOnlyTabularInline):
    """The recorded changes of an appointment; never edited."""

    model = AppointmentEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields


class SlotChoiceForm(forms.Form):
    start = forms.ChoiceField(label="Start", widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {slot.start.isoformat(): slot.start for slot in slots}
        self.fields["start"].choices = [
            (slot.start.isoformat(),
             f"{timezone.localtime(slot.start):%a %d %b %Y, %H:%M}–{timezone.localtime(slot.end):%H:%M}")
            for slot in slots
        ]


@admin.register(Appointment)
class AppointmentAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Appointments by status and date; requests are approved or rejected with the actions.

    Every change goes through the services (events, e-mails, slot rules): no edit form. A
    request without a start is approved on its own page, choosing one of the doctor's free slots.
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
    readonly_fields = ["decision"]
    inlines = [AppointmentEventInline]
    actions = ["approve_appointments", "reject_appointments"]

    def get_urls(self):
        approve = path(
            "<uuid:object_id>/approve/", self.admin_site.admin_view(self.approve_view),
            name="appointments_appointment_approve",
        )
        return [approve, *super().get_urls()]

    def approve_url(self, appointment) -> str:
        return reverse("admin:appointments_appointment_approve", args=[appointment.pk])

    @admin.display(description="Decision")
    def decision(self, appointment):
        if appointment.status != Appointment.Status.REQUESTED:
            return appointment.get_status_display()
        return format_html('<a class="button" href="{}">Approve, choosing the start…</a>',
                           self.approve_url(appointment))

    def approve_view(self, request, object_id):
        """Approve one request at a start chosen from the doctor's free slots."""
        appointment = get_object_or_404(
            Appointment.objects.select_related("doctor__user", "patient__user"), pk=object_id
        )
        if not self.has_view_permission(request, appointment):
            raise PermissionDenied
        today = timezone.localdate()
        first_day = max(parse_date(request.GET.get("from", "") or "") or today, today)
        last_day = first_day + timedelta(days=SLOT_DAYS - 1)
        slots = selectors.doctor_free_slots(
            doctor=appointment.doctor, first_day=first_day, last_day=last_day
        )
        form = SlotChoiceForm(request.POST or None, slots=slots)
        if request.method == "POST" and form.is_valid():
            try:
                services.appointment_confirm(
                    appointment=appointment, actor=request.user,
                    start=form.slots[form.cleaned_data["start"]],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, f"Approved: {appointment}.", messages.SUCCESS)
                return redirect("admin:appointments_appointment_change", appointment.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Approve {appointment}",
            "opts": self.model._meta,
            "original": appointment,
            "form": form,
            "first_day": first_day,
            "last_day": last_day,
            "previous_from": max(first_day - timedelta(days=SLOT_DAYS), today),
            "next_from": first_day + timedelta(days=SLOT_DAYS),
            "is_requested": appointment.status == Appointment.Status.REQUESTED,
        }
        return TemplateResponse(request, "admin/appointments/approve.html", context)

    @admin.action(description="Approve selected requests")
    def approve_appointments(self, request, queryset):
        scheduled = queryset.filter(start__isnull=False)
        unscheduled = list(queryset.filter(start__isnull=True, status=Appointment.Status.REQUESTED))
        if len(unscheduled) == 1 and not scheduled.exists():
            return redirect(self.approve_url(unscheduled[0]))
        if scheduled.exists() or not unscheduled:
            bulk_apply(self, request, scheduled, verb="approved",
                       apply=lambda appointment: services.appointment_confirm(
                           appointment=appointment, actor=request.user))
        if unscheduled:
            self.message_user(request, format_html(
                "Requests without a start need one chosen: {}",
                format_html_join(", ", '<a href="{}">{}</a>',
                                 ((self.approve_url(a), a) for a in unscheduled)),
            ), messages.WARNING)
        return None

    @admin.action(description="Reject selected requests…")
    def reject_appointments(self, request, queryset):
        return reason_action(
            self, request, queryset, title="Reject requests", verb="rejected",
            apply=lambda appointment, reason: services.appointment_reject(
                appointment=appointment, actor=request.user, reason=reason),
        )


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "weekday":
            return WeekdayField(label="Weekday", required=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    """Doctors' slot lengths and weekly working hours (hospital local time)."""

    list_display = ["doctor", "slot_minutes"]
    list_select_related = ["doctor__user"]
    search_fields = ["doctor__user__first_name", "doctor__user__last_name", "doctor__user__username"]
    autocomplete_fields = ["doctor"]
    inlines = [ScheduleHoursInline]

    def get_readonly_fields(self, request, obj=None):
        # The doctor is the schedule's key: chosen once, when the schedule is added.
        return ["doctor"] if obj else []


class ClosedTimeForm(forms.ModelForm):
    """Add form that stores through the service, so the admin keeps the API's conflict rule."""

    cancel_appointments = forms.BooleanField(
        required=False,
        help_text="Cancel the active appointments inside (their patients are notified). "
                  "Without it, a time with active appointments is refused.",
    )

    def create(self, actor, data: dict):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = self.create(self.actor, data)
        except DomainError as exc:
            ids = exc.extra.get("appointments")
            raise ValidationError(
                f"{exc.message} ({', '.join(ids)})" if ids else exc.message
            ) from exc
        return data


class TimeOffForm(ClosedTimeForm):
    class Meta:
        model = TimeOff
        fields = ["doctor", "start", "end", "reason"]

    def create(self, actor, data):
        return services.time_off_create(
            doctor=data["doctor"], actor=actor, start=data["start"], end=data["end"],
            reason=data.get("reason", ""), cancel_appointments=data["cancel_appointments"],
        )


class HolidayForm(ClosedTimeForm):
    class Meta:
        model = Holiday
        fields = ["date", "name"]

    def create(self, actor, data):
        return services.holiday_create(
            day=data["date"], name=data["name"], actor=actor,
            cancel_appointments=data["cancel_appointments"],
        )


class ClosedTimeAdmin(admin.ModelAdmin):
    """Added through the services (409 rule, cancellations); removed through them; never edited."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """The form's clean() already stored the row through the service."""

    def delete_model(self, request, obj):
        self.delete_one(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_one(obj)


@admin.register(TimeOff)
class TimeOffAdmin(ClosedTimeAdmin):
    form = TimeOffForm
    list_display = ["doctor", "start", "end", "reason"]
    list_filter = ["doctor__department"]
    search_fields = ["doctor__user__username", "doctor__user__last_name", "reason"]
    autocomplete_fields = ["doctor"]
    list_select_related = ["doctor__user"]

    def delete_one(self, obj):
        services.time_off_delete(time_off=obj)


@admin.register(Holiday)
class HolidayAdmin(ClosedTimeAdmin):
    form = HolidayForm
    list_display = ["date", "name"]
    search_fields = ["name"]

    def delete_one(self, obj):
        services.holiday_delete(holiday=obj)
