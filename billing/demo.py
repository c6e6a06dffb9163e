"""Demo billing: one issued, partly paid invoice (for the demo admission when there is one)."""

from decimal import Decimal

from billing import services
from billing.models import Invoice, InvoiceLine, Payment
from billing.selectors import invoice_totals

# The contract's example lines; on an admission the room and doctor fees come from it instead.
EXAMPLE_LINES = [
    {"category": InvoiceLine.Category.ROOM, "description": "Room, Cardiology: 2 nights",
     "quantity": 2, "unit_price": Decimal("1500.00")},
    {"category": InvoiceLine.Category.MEDICINE, "description": "Atorvastatin 20 mg, 30 tablets",
     "quantity": 1, "unit_price": Decimal("250.00")},
    {"category": InvoiceLine.Category.DOCTOR_FEE, "description": "Consultation",
     "quantity": 1, "unit_price": Decimal("1250.00")},
    {"category": InvoiceLine.Category.OTHER, "description": "Blood test kit",
     "quantity": 3, "unit_price": Decimal("20.00")},
]
EXTRA_LINES = [line for line in EXAMPLE_LINES
               if line["category"] in (InvoiceLine.Category.MEDICINE, InvoiceLine.Category.OTHER)]
DEPOSIT = Decimal("2000.00")


def _line_data(line: InvoiceLine) -> dict:
    return {"category": line.category, "description": line.description,
            "quantity": line.quantity, "unit_price": line.unit_price}


def seed(people: dict) -> list[str]:
    """Create the demo invoice once: issued, with a deposit paid (idempotent)."""
    admin = people["admin"]
    admission = people.get("admission")
    patient = admission.patient if admission else people["patients"][0]
    existing = Invoice.objects.filter(patient=patient, admission=admission).order_by("created_at")
    invoice = existing.first()
    if invoice is None:
        if admission:
            invoice = services.invoice_from_admission(admission=admission, actor=admin)
            lines = [_line_data(line) for line in invoice.lines.order_by("position")]
            services.invoice_lines_replace(invoice=invoice, lines=lines + EXTRA_LINES)
        else:
            invoice = services.invoice_create(actor=admin, patient=patient, lines=EXAMPLE_LINES)
        invoice = services.invoice_issue(invoice=invoice, actor=admin)
        balance = invoice_totals(invoice.pk)["balance_due"]
        deposit = min(DEPOSIT, (balance / 2).quantize(Decimal("0.01")))
        if deposit > 0:
            services.invoice_payment_add(
                invoice=invoice, amount=deposit, method=Payment.Method.CASH, actor=admin
            )
        invoice.refresh_from_db()
    people["invoice"] = invoice
    totals = invoice_totals(invoice.pk)
    return [
        f"invoice   {invoice.number or invoice}  ({invoice.status}, {patient.user.username}: "
        f"{totals['amount_paid']} of {totals['total_cost']} {invoice.currency} paid)"
    ]
