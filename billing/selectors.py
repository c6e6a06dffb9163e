"""Billing reads: cost breakdowns computed by the database, invoices a user may see."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.selectors import scope_by_role
from billing.models import Invoice, InvoiceLine, Payment

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


def _sum_of(queryset, expression) -> Coalesce:
    """`SUM(expression)` over `queryset` (correlated to the outer invoice), zero when empty."""
    total = (
        queryset.order_by().values("invoice")
        .annotate(total=Sum(expression, output_field=MONEY)).values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def invoices_with_totals(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate each invoice with its breakdown, `amount_paid` and `balance_due`, in SQL.

    One correlated subquery per figure keeps it a single query however many invoices the
    page holds. A void invoice owes nothing: its balance is zero; its payments stay.
    """
    lines = InvoiceLine.objects.filter(invoice=OuterRef("pk"))
    amount = F("quantity") * F("unit_price")
    annotations = {
        key: _sum_of(lines.filter(category=category), amount)
        for key, category in BREAKDOWN_CATEGORIES.items()
    }
    annotations["total_cost"] = _sum_of(lines, amount)
    annotations["amount_paid"] = _sum_of(Payment.objects.filter(invoice=OuterRef("pk")),
                                         F("amount"))
    return queryset.annotate(**annotations).annotate(
        balance_due=Case(
            When(status=Invoice.Status.VOID, then=Value(ZERO)),
            default=ExpressionWrapper(F("total_cost") - F("amount_paid"), output_field=MONEY),
            output_field=MONEY,
        )
    )


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    """Admins: every invoice; patients: their own; doctors and anyone else: none."""
    queryset = invoices_with_totals(Invoice.objects.order_by("-created_at", "-id")).prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "id")),
        Prefetch("payments", queryset=Payment.objects.order_by("paid_at", "id")),
    )
    return scope_by_role(queryset, user, patient=Q(patient_id=user.pk))


def invoice_totals(invoice_id) -> dict[str, Decimal]:
    """The breakdown, paid amount and balance of one invoice, read from the database."""
    row = invoices_with_totals(Invoice.objects.filter(pk=invoice_id)).values(
        *BREAKDOWN_KEYS, "amount_paid", "balance_due"
    ).get()
    return {name: Decimal(value).quantize(CENT) for name, value in row.items()}
