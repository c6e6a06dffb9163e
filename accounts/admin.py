"""Django admin for hospital admins: approve, reject or deactivate accounts, edit departments.

The same rules as the API: role and approval status are never typed into the user form; they
change only through the actions, which call the account services (recording who and when, and
asking for a reason to reject). The index shows only what a hospital admin works with.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.html import format_html
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts import services
from accounts.models import Department, DoctorProfile, PatientProfile, User
from hospital.admin_actions import bulk_apply, reason_action

# Roles replace Django's groups; the token blacklist is machinery, not a hospital record.
for model in (Group, OutstandingToken, BlacklistedToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DoctorProfileInline(admin.StackedInline):
    model = DoctorProfile
    can_delete = False
    extra = 0
    autocomplete_fields = ["department"]


class PatientProfileInline(admin.StackedInline):
    model = PatientProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users with role and approval status; approve, reject (with a reason) or deactivate."""

    list_display = (
        "username", "full_name", "email", "role", "approval_status", "is_active", "date_joined",
    )
    list_filter = ("role", "approval_status", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("-date_joined",)
    readonly_fields = (
        "role", "approval_status", "decision", "is_active", "last_login", "date_joined",
    )
    actions = ["approve_accounts", "reject_accounts", "deactivate_accounts"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Hospital", {"fields": ("role", "approval_status", "decision", "is_active")}),
        ("Django admin access", {"fields": ("is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    # Doctors and patients register (or are created) through the API with their profile;
    # the admin form adds hospital admins only, approved by the admin who adds them.
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": (
            "username", "email", "first_name", "last_name", "password1", "password2",
        )}),
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
        if not change:
            obj.role = User.Role.ADMIN
            obj.approval_status = User.ApprovalStatus.APPROVED
            obj.approved_by = request.user
            obj.approved_at = timezone.now()
            obj.is_staff = True
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.tokens_revoke_all(user=obj)

    @admin.display(description="Name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description="Decision")
    def decision(self, obj):
        if obj.approval_status == User.ApprovalStatus.PENDING or obj.approved_at is None:
            return "Waiting for an admin's decision."
        verb = "Approved" if obj.approval_status == User.ApprovalStatus.APPROVED else "Rejected"
        when = f"{timezone.localtime(obj.approved_at):%Y-%m-%d %H:%M %Z}"
        text = format_html("{} by {} on {}", verb, obj.approved_by or "a removed account", when)
        if obj.approval_status == User.ApprovalStatus.REJECTED:
            return format_html("{}. Reason: {}", text, obj.rejection_reason)
        return text

    @admin.action(description="Approve selected accounts")
    def approve_accounts(self, request, queryset):
        bulk_apply(self, request, queryset, verb="approved",
                   apply=lambda account: services.account_approve(account=account, actor=request.user))

    @admin.action(description="Reject selected accounts…")
    def reject_accounts(self, request, queryset):
        return reason_action(
            self, request, queryset, title="Reject accounts", verb="rejected",
            apply=lambda account, reason: services.account_reject(
                account=account, actor=request.user, reason=reason),
        )

    @admin.action(description="Deactivate selected accounts (records are kept)")
    def deactivate_accounts(self, request, queryset):
        bulk_apply(self, request, queryset, verb="deactivated",
                   apply=lambda account: services.account_deactivate(account=account, actor=request.user))


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
    autocomplete_fields = ("department",)
    readonly_fields = ("user",)

    def has_add_permission(self, request):
        return False  # a profile comes with its account (registration or the API)


@admin.register(PatientProfile)
class PatientProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "date_of_birth", "sex", "mobile")
    list_filter = ("sex",)
    search_fields = ("user__first_name", "user__last_name", "user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user",)

    def has_add_permission(self, request):
        return False  # a profile comes with its account (registration or the API)
