"""Django admin of the billing app: invoices with their lines, payments and totals."""

from django.conf import settings
from django.contrib import admin, messages

from billing import services
from billing.models import Invoice, InvoiceLine, Payment
from billing.selectors import CENT, invoices_with_totals
from hospital.errors import DomainError


def _money(value):
    """Two places, as the API shows money (SQLite hands sums back unscaled)."""
    return "—" if value is None else value.quantize(CENT)


def _editable(invoice: Invoice | None) -> bool:
    return invoice is None or invoice.status == Invoice.Status.DRAFT


class InvoiceLineInline(admin.TabularInline):
    """Lines, editable only while the invoice is a draft."""

    model = InvoiceLine
    extra = 0
    fields = ["position", "category", "description", "quantity", "unit_price", "line_amount"]
    readonly_fields = ["line_amount"]

    @admin.display(description="Amount")
    def line_amount(self, line):
        if line.quantity is None or line.unit_price is None:
            return "—"
        return line.amount

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if _editable(obj) else self.fields

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


class PaymentInline(admin.TabularInline):
    """Payments, read-only: they are taken through the API, which checks the balance."""

    model = Payment
    extra = 0
    fields = ["paid_at", "amount", "method", "received_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "patient", "status", "total_cost", "amount_paid", "balance_due",
                    "currency", "issued_at", "created_at"]
    list_filter = ["status", "issued_at"]
    search_fields = ["number", "patient__user__first_name", "patient__user__last_name",
                     "patient__user__username"]
    list_select_related = ["patient__user"]
    date_hierarchy = "created_at"
    inlines = [InvoiceLineInline, PaymentInline]
    readonly_fields = ["number", "status", "currency", "total_cost", "amount_paid", "balance_due",
                       "issued_at", "voided_at", "void_reason", "created_by", "created_at"]
    autocomplete_fields = ["patient", "admission", "appointment"]
    actions = ["issue_selected"]

    def get_queryset(self, request):
        return invoices_with_totals(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        if _editable(obj):
            return self.readonly_fields
        return [*self.readonly_fields, "patient", "admission", "appointment"]

    @admin.display(description="Total", ordering="total_cost")
    def total_cost(self, invoice):
        return _money(getattr(invoice, "total_cost", None))

    @admin.display(description="Paid", ordering="amount_paid")
    def amount_paid(self, invoice):
        return _money(getattr(invoice, "amount_paid", None))

    @admin.display(description="Balance due", ordering="balance_due")
    def balance_due(self, invoice):
        return _money(getattr(invoice, "balance_due", None))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.currency = settings.HOSPITAL_CURRENCY
        super().save_model(request, obj, form, change)

    @admin.action(description="Issue selected draft invoices")
    def issue_selected(self, request, queryset):
        issued = 0
        for invoice in queryset.filter(status=Invoice.Status.DRAFT).order_by("created_at"):
            try:
                services.invoice_issue(invoice=invoice, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{invoice}: {exc.message}", messages.WARNING)
            else:
                issued += 1
        self.message_user(request, f"{issued} invoice(s) issued.", messages.SUCCESS)
