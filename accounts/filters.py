"""Filters of the accounts lists."""

import django_filters
from django.db.models import Q

from accounts.models import STAFF_ROLES, Department, DoctorProfile, PatientProfile, StaffProfile, User
from accounts.selectors import users_matching


class DoctorFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="department", to_field_name="code", queryset=Department.objects.all(),
        help_text="Department code.",
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Name or specialty.")

    class Meta:
        model = DoctorProfile
        fields = ["department", "q"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(specialty__icontains=word)
            )
        return queryset


class PatientFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Name, username or e-mail.")

    class Meta:
        model = PatientProfile
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return users_matching(queryset, value, prefix="user__")


class AccountApprovalFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        field_name="approval_status", choices=User.ApprovalStatus.choices,
        help_text="Approval status; `pending` when omitted.",
    )

    class Meta:
        model = User
        fields = ["status"]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(approval_status=User.ApprovalStatus.PENDING)
        return super().filter_queryset(queryset)


class StaffFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        field_name="user__role", choices=[(r.value, r.label) for r in STAFF_ROLES],
        help_text="`nurse` or `lab`.",
    )
    department = django_filters.ModelChoiceFilter(
        field_name="department", to_field_name="code", queryset=Department.objects.all(),
        help_text="Department code (nurses).",
    )
    q = django_filters.CharFilter(method="filter_q", help_text="Name, username or e-mail.")

    class Meta:
        model = StaffProfile
        fields = ["role", "department", "q"]

    def filter_q(self, queryset, name, value):
        return users_matching(queryset, value, prefix="user__")
