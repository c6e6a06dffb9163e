"""Django admin helpers: bulk actions that run a service per row, reasons asked on a page of
their own, view-only pages, weekday names."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

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


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=1000,
        help_text="Kept on the record and shown to the person concerned.",
    )


def reason_action(model_admin, request, queryset, *, title: str, verb: str, apply: Callable):
    """An admin action that asks for a reason on an intermediate page, then runs a service.

    The first post (from the change list) shows the selected rows and a reason box; the second
    (`apply`) runs `apply(obj, reason)` for each row through `bulk_apply` and returns to the list.
    """
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        bulk_apply(model_admin, request, queryset, verb=verb, apply=lambda obj: apply(obj, reason))
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "objects": list(queryset),
        "form": form,
        "action": request.POST.get("action", ""),
        "opts": model_admin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "verb": verb,
    }
    return TemplateResponse(request, "admin/hospital/reason.html", context)


WEEKDAY_CHOICES = [
    (0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"),
    (5, "Saturday"), (6, "Sunday"),
]


class WeekdayField(forms.TypedChoiceField):
    """A weekday (Mon=0) picked by name."""

    def __init__(self, **kwargs):
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        kwargs.pop("step_size", None)
        super().__init__(choices=WEEKDAY_CHOICES, coerce=int, **kwargs)
