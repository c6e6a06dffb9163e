"""Billing reads: cost breakdowns computed by the database, invoices a user may see."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from billing.models import Invoice, InvoiceLine

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)

# Breakdown key → line category.
BREAKDOWN_CATEGORIES = {
    "room_charge": InvoiceLine.Category.ROOM,
    "medicine_cost": InvoiceLine.Category.MEDICINE,
    "doctor_fee": InvoiceLine.Category.DOCTOR_FEE,
    "other_charge": InvoiceLine.Category.OTHER,
}
BREAKDOWN_KEYS = (*BREAKDOWN_CATEGORIES, "total_cost")


def empty_breakdown() -> dict[str, Decimal]:
    return dict.fromkeys(BREAKDOWN_KEYS, ZERO)


def _breakdown_aggregates() -> dict:
    """Conditional sums of `quantity × unit_price`, one per category, plus the total."""
    amount = F("quantity") * F("unit_price")
    aggregates = {
        key: Coalesce(Sum(amount, filter=Q(category=category), output_field=MONEY), Value(ZERO),
                      output_field=MONEY)
        for key, category in BREAKDOWN_CATEGORIES.items()
    }
    aggregates["total_cost"] = Coalesce(Sum(amount, output_field=MONEY), Value(ZERO),
                                        output_field=MONEY)
    return aggregates


def breakdowns_by(lines, key: str) -> dict:
    """Group `lines` by `key` and return `{key value: breakdown}`, in one query."""
    rows = lines.order_by().values(key).annotate(**_breakdown_aggregates())
    return {
        row.pop(key): {name: Decimal(value).quantize(CENT) for name, value in row.items()}
        for row in rows
    }


def admission_costs(admission_ids: Iterable) -> dict:
    """The breakdown of each admission, summed over its non-void invoices (zeros when none)."""
    ids = list(admission_ids)
    found = breakdowns_by(
        InvoiceLine.objects.filter(invoice__admission_id__in=ids).exclude(
            invoice__status=Invoice.Status.VOID
        ),
        "invoice__admission_id",
    )
    return {admission_id: found.get(admission_id, empty_breakdown()) for admission_id in ids}
