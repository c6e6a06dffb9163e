"""Django admin helpers: bulk actions that run a service per row, view-only pages."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from hospital.errors import DomainError


def bulk_apply(model_admin, request, queryset, *, verb: str, apply: Callable) -> None:
    """Run `apply(obj)` for each row; report how many succeeded and why others were skipped."""
    done, skipped = 0, []
    for obj in queryset:
        try:
            apply(obj)
            done += 1
        except DomainError as exc:
            skipped.append(f"{obj}: {exc.message}")
        except ValidationError as exc:
            skipped.append(f"{obj}: {' '.join(exc.messages)}")
    name = model_admin.model._meta.verbose_name if done == 1 else model_admin.model._meta.verbose_name_plural
    model_admin.message_user(request, f"{done} {name} {verb}.", messages.SUCCESS)
    if skipped:
        model_admin.message_user(request, "Skipped — " + "; ".join(skipped), messages.WARNING)


class ReadOnlyTabularInline(admin.TabularInline):
    """Related records shown beside their parent, never added, changed or deleted there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ViewOnlyAdminMixin:
    """A model admin that lists and shows rows but never adds, changes or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
