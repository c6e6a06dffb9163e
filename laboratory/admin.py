"""Django admin of the laboratory: the catalog is edited here; orders are shown read-only."""

from django.contrib import admin

from hospital.admin_actions import ReadOnlyTabularInline, ViewOnlyAdminMixin
from laboratory import services
from laboratory.models import LabOrder, LabOrderEvent, LabOrderItem, LabTest


@admin.register(LabTest)
class LabTestAdmin(admin.ModelAdmin):
    """The test catalog: added and edited here, withdrawn by unticking `active`, never deleted."""

    list_display = ["name", "code", "loinc", "unit", "reference_low", "reference_high", "price",
                    "active"]
    list_filter = ["active"]
    search_fields = ["name", "code", "loinc"]
    ordering = ["name"]

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        if change:
            services.lab_test_update(test=obj, data=data)
        else:
            obj.save()

    def has_delete_permission(self, request, obj=None):
        return False


class LabOrderItemInline(ReadOnlyTabularInline):
    model = LabOrderItem
    fields = ["test", "price", "value", "interpretation", "note", "amended", "resulted_at"]
    readonly_fields = fields
    ordering = ["position"]


class LabOrderEventInline(ReadOnlyTabularInline):
    model = LabOrderEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "reason"]
    readonly_fields = fields


@admin.register(LabOrder)
class LabOrderAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Lab orders with their items and history; the workflow runs through the API only."""

    list_display = ["ordered_at", "patient", "ordered_by", "priority", "status"]
    list_filter = ["status", "priority"]
    list_select_related = ["patient__user", "ordered_by__user"]
    search_fields = ["patient__user__first_name", "patient__user__last_name",
                     "patient__user__username"]
    date_hierarchy = "ordered_at"
    ordering = ["-ordered_at"]
    fields = ["patient", "ordered_by", "admission", "priority", "status", "note", "ordered_at",
              "collected_at", "resulted_at", "released_at", "released_by", "cancelled_at",
              "cancel_reason"]
    readonly_fields = fields
    inlines = [LabOrderItemInline, LabOrderEventInline]
