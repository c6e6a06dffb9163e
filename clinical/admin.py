"""Django admin of the clinical app: admissions with their visits and prescriptions, read-only records."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from appointments.models import Appointment
from clinical import services
from clinical.models import Admission, Prescription
from hospital.admin_actions import ReadOnlyTabularInline, ViewOnlyAdminMixin

PATIENT_SEARCH = ["patient__user__first_name", "patient__user__last_name", "patient__user__username"]


class AdmissionAppointmentInline(ReadOnlyTabularInline):
    """The visits linked to the admission."""

    model = Appointment
    fk_name = "admission"
    fields = ["start", "doctor", "status", "reason"]
    readonly_fields = fields
    ordering = ["start"]
    verbose_name_plural = "appointments"


class ActiveFilter(admin.SimpleListFilter):
    title = "active"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Not discharged"), ("no", "Discharged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(discharged_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(discharged_at__isnull=False)
        return queryset


@admin.register(Admission)
class AdmissionAdmin(admin.ModelAdmin):
    """Admissions by department and state, searchable by patient; opened and edited via the API."""

    list_display = ["patient", "department", "assigned_doctor", "admitted_at", "discharged_at",
                    "is_active"]
    list_filter = ["department", ActiveFilter]
    list_select_related = ["patient__user", "assigned_doctor__user", "department"]
    search_fields = PATIENT_SEARCH
    date_hierarchy = "admitted_at"
    ordering = ["-admitted_at"]
    fields = ["patient", "department", "assigned_doctor", "symptoms", "admitted_at",
              "discharged_at", "created_by", "created_at", "prescriptions"]
    readonly_fields = fields
    inlines = [AdmissionAppointmentInline]

    # The API's services keep the rules (approved parties, one open admission, discharge
    # times); the admin views records and deletes those nothing refers to.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="Active")
    def is_active(self, admission):
        return admission.is_active

    @admin.display(description="Prescriptions")
    def prescriptions(self, admission):
        rows = (
            Prescription.objects.filter(appointment__admission=admission)
            .select_related("doctor__user")
            .order_by("-issued_at")
        )
        if not rows:
            return "—"
        return format_html(
            "<table><tr><th>Medicine</th><th>Dosage</th><th>Frequency</th><th>Days</th>"
            "<th>Quantity</th><th>Doctor</th><th>Status</th><th>Issued</th></tr>{}</table>",
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                "<td>{}</td><td>{}</td></tr>",
                ((rx.medicine_name, rx.dosage, rx.frequency, rx.duration_days, rx.quantity,
                  rx.doctor, rx.get_status_display(),
                  f"{timezone.localtime(rx.issued_at):%Y-%m-%d %H:%M}") for rx in rows),
            ),
        )

    def delete_model(self, request, obj):
        services.admission_delete(admission=obj)

    def delete_queryset(self, request, queryset):
        for admission in queryset:
            services.admission_delete(admission=admission)


@admin.register(Prescription)
class PrescriptionAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Prescriptions, read-only: written and cancelled by doctors through the API, never deleted."""

    list_display = ["medicine_name", "dosage", "patient", "doctor", "status", "issued_at"]
    list_filter = ["status"]
    list_select_related = ["patient__user", "doctor__user"]
    search_fields = [*PATIENT_SEARCH, "medicine_name", "doctor__user__last_name"]
    date_hierarchy = "issued_at"
    ordering = ["-issued_at"]
    readonly_fields = [
        "appointment", "patient", "doctor", "medicine_name", "dosage", "frequency",
        "duration_days", "quantity", "instructions", "status", "issued_at", "cancelled_at",
        "cancelled_by", "cancellation_reason",
    ]
    fields = readonly_fields
