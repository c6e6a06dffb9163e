"""Django admin for hospital admins: approve or reject accounts in bulk, edit departments."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts import services
from accounts.models import Department, DoctorProfile, PatientProfile, User
from hospital.admin_actions import bulk_apply

ADMIN_REJECTION_REASON = "Rejected by an administrator in Django admin."


class DoctorProfileInline(admin.StackedInline):
    model = DoctorProfile
    can_delete = False
    extra = 0


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users with role and approval status; bulk approve and reject."""

    list_display = (
        "username", "full_name", "email", "role", "approval_status", "is_active", "date_joined",
    )
    list_filter = ("role", "approval_status", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("-date_joined",)
    readonly_fields = ("approved_by", "approved_at", "last_login", "date_joined")
    actions = ["approve_accounts", "reject_accounts"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Hospital", {"fields": ("role", "approval_status", "approved_by", "approved_at",
                                 "rejection_reason")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Hospital", {"fields": ("email", "first_name", "last_name", "role")}),
    )

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        if obj.is_doctor:
            return [DoctorProfileInline]
        if obj.is_patient:
            return [PatientProfileInline]
        return []

    def save_model(self, request, obj, form, change):
        """Deactivating an account here ends its tokens at once, as the API's DELETE does
        (a password set here does too: `User.set_password` stamps the revocation)."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.tokens_revoke_all(user=obj)

    @admin.display(description="Name")
    def full_name(self, obj):
        return obj.full_name

    @admin.action(description="Approve selected accounts")
    def approve_accounts(self, request, queryset):
        bulk_apply(self, request, queryset, verb="approved",
                   apply=lambda account: services.account_approve(account=account, actor=request.user))

    @admin.action(description="Reject selected accounts")
    def reject_accounts(self, request, queryset):
        bulk_apply(self, request, queryset, verb="rejected",
                   apply=lambda account: services.account_reject(
                       account=account, actor=request.user, reason=ADMIN_REJECTION_REASON))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Departments and their daily room rates."""

    list_display = ("code", "name", "daily_room_rate")
    search_fields = ("code", "name")


@admin.register(DoctorProfile)
class DoctorProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "department", "specialty", "consultation_fee")
    list_filter = ("department",)
    search_fields = ("user__first_name", "user__last_name", "user__username", "specialty")
    list_select_related = ("user", "department")


@admin.register(PatientProfile)
class PatientProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "date_of_birth", "sex", "mobile")
    list_filter = ("sex",)
    search_fields = ("user__first_name", "user__last_name", "user__username", "user__email")
    list_select_related = ("user",)
