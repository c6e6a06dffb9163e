"""Billing serializers: input (`<Model><Action>Serializer`) and output (`<Model>Serializer`).

Money fields are DRF `DecimalField`s: they answer 2-place strings and take strings or JSON
numbers, refusing more than 2 decimal places rather than rounding them away.
"""

from decimal import Decimal

from rest_framework import serializers

from accounts.models import PatientProfile
from appointments.models import Appointment
from billing.models import Invoice, InvoiceLine, Payment
from billing.services import MAX_LINES
from clinical.models import Admission


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class InvoiceLineSerializer(serializers.ModelSerializer):
    amount = money(read_only=True, help_text="`quantity × unit_price`.")

    class Meta:
        model = InvoiceLine
        fields = ["id", "category", "description", "quantity", "unit_price", "amount"]
        read_only_fields = fields


class BreakdownSerializer(serializers.Serializer):
    """Sums of the invoice's lines per category, computed by the database."""

    room_charge = money()
    medicine_cost = money()
    doctor_fee = money()
    other_charge = money()
    total_cost = money()


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "method", "paid_at"]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    """An invoice with its lines, breakdown, payments and balance.

    Expects an invoice from `billing.selectors.invoices_with_totals` (annotated totals).
    """

    lines = InvoiceLineSerializer(many=True, read_only=True)
    breakdown = BreakdownSerializer(source="*", read_only=True)
    amount_paid = money(read_only=True)
    balance_due = money(read_only=True, help_text="Zero on a void invoice.")
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id", "number", "patient", "admission", "appointment", "status", "currency",
            "lines", "breakdown", "amount_paid", "balance_due", "issued_at", "payments",
            "void_reason", "voided_at", "created_at",
        ]
        read_only_fields = fields


class InvoiceLineInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=InvoiceLine.Category.choices)
    description = serializers.CharField(max_length=255)
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"),
        help_text="Decimal string with at most 2 places, e.g. `\"1500.00\"`.",
    )


class InvoiceLinesSerializer(serializers.Serializer):
    """The whole list of lines of a draft; it replaces the current one."""

    lines = InvoiceLineInputSerializer(many=True, max_length=MAX_LINES)


class InvoiceCreateSerializer(InvoiceLinesSerializer):
    patient = serializers.PrimaryKeyRelatedField(queryset=PatientProfile.objects.all())
    admission = serializers.PrimaryKeyRelatedField(
        queryset=Admission.objects.all(), required=False, allow_null=True,
        help_text="Must be the patient's.",
    )
    appointment = serializers.PrimaryKeyRelatedField(
        queryset=Appointment.objects.all(), required=False, allow_null=True,
        help_text="Must be the patient's.",
    )
    lines = InvoiceLineInputSerializer(many=True, max_length=MAX_LINES, required=False)


class PaymentCreateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
        help_text="More than zero and at most the balance due.",
    )
    method = serializers.ChoiceField(choices=Payment.Method.choices)


class InvoiceVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
