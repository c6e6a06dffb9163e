"""Billing writes: drafting invoices, issuing them with a gap-free number, payments, voiding."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import PatientProfile, User
from appointments.models import Appointment
from billing.models import Invoice, InvoiceCounter, InvoiceLine, Payment
from billing.selectors import invoice_totals
from clinical.models import Admission
from hospital.errors import DomainError
from laboratory.selectors import admission_released_items

# Totals stay within the 14 digits the breakdown is computed with.
MAX_INVOICE_TOTAL = Decimal("999999999999.99")
MAX_LINES = 200


def _lock(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def _lines_write(invoice: Invoice, lines: Iterable[dict]) -> list[InvoiceLine]:
    """Validate and insert `lines` on `invoice` in their given order."""
    rows = [
        InvoiceLine(
            invoice=invoice, position=position, category=line["category"],
            description=line["description"], quantity=line["quantity"],
            unit_price=line["unit_price"],
        )
        for position, line in enumerate(lines)
    ]
    if len(rows) > MAX_LINES:
        raise DomainError("invalid_input", f"An invoice holds at most {MAX_LINES} lines.")
    for row in rows:
        # Field validators carry the same rules as the check constraints, without a query each.
        row.full_clean(exclude=["invoice"], validate_unique=False, validate_constraints=False)
    if sum((row.amount for row in rows), Decimal("0")) > MAX_INVOICE_TOTAL:
        raise DomainError("invalid_input", f"An invoice total may not exceed {MAX_INVOICE_TOTAL}.")
    return InvoiceLine.objects.bulk_create(rows)


@transaction.atomic
def invoice_create(
    *,
    actor: User,
    patient: PatientProfile,
    lines: Iterable[dict] = (),
    admission: Admission | None = None,
    appointment: Appointment | None = None,
) -> Invoice:
    """Draft an invoice for a patient; its admission and appointment must be the patient's."""
    invoice = Invoice(
        patient=patient, admission=admission, appointment=appointment,
        currency=settings.HOSPITAL_CURRENCY, created_by=actor,
    )
    invoice.full_clean()
    invoice.save()
    _lines_write(invoice, lines)
    return invoice


@transaction.atomic
def invoice_lines_replace(*, invoice: Invoice, lines: Iterable[dict]) -> Invoice:
    """Replace every line of a draft invoice; an issued, paid or void one is locked."""
    invoice = _lock(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise DomainError(
            "invoice_locked",
            f"This invoice is {invoice.status}; only a draft's lines can change. "
            "Void it and draft a new one to correct it.",
        )
    invoice.lines.all().delete()
    _lines_write(invoice, lines)
    return invoice


def _next_number(year: int) -> str:
    """Take the next number of `year`; the counter row stays locked until the transaction ends."""
    InvoiceCounter.objects.get_or_create(year=year)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"


@transaction.atomic
def invoice_issue(*, invoice: Invoice, actor: User) -> Invoice:
    """Issue a draft: it gets the next number of the year, gap-free; a zero total is paid at once."""
    invoice = _lock(invoice)
    if invoice.status != Invoice.Status.DRAFT:
        raise DomainError("invalid_transition", f"Only a draft can be issued; this one is {invoice.status}.")
    if not invoice.lines.exists():
        raise DomainError("invoice_empty", "An invoice without lines cannot be issued.")
    now = timezone.now()
    invoice.issued_at = now
    invoice.number = _next_number(timezone.localdate(now).year)
    totals = invoice_totals(invoice.pk)
    invoice.status = Invoice.Status.PAID if totals["total_cost"] == 0 else Invoice.Status.ISSUED
    invoice.full_clean()
    invoice.save(update_fields=["issued_at", "number", "status"])
    return invoice


@transaction.atomic
def invoice_payment_add(*, invoice: Invoice, amount: Decimal, method: str, actor: User) -> Payment:
    """Record a payment on an issued invoice, up to its balance; the last one marks it paid."""
    invoice = _lock(invoice)
    if invoice.status != Invoice.Status.ISSUED:
        raise DomainError(
            "invoice_not_payable",
            f"Payments are taken on issued invoices only; this one is {invoice.status}.",
        )
    if amount <= 0:
        raise DomainError("invalid_input", "A payment amount must be greater than zero.")
    balance = invoice_totals(invoice.pk)["balance_due"]
    if amount > balance:
        raise DomainError(
            "payment_exceeds_balance",
            f"The payment of {amount} exceeds the balance due of {balance} {invoice.currency}.",
        )
    payment = Payment(invoice=invoice, amount=amount, method=method, received_by=actor)
    payment.full_clean()
    payment.save()
    if amount == balance:
        invoice.status = Invoice.Status.PAID
        invoice.save(update_fields=["status"])
    return payment


@transaction.atomic
def invoice_void(*, invoice: Invoice, actor: User, reason: str) -> Invoice:
    """Void a draft or issued invoice, keeping its lines and payments."""
    invoice = _lock(invoice)
    if invoice.status not in (Invoice.Status.DRAFT, Invoice.Status.ISSUED):
        raise DomainError("invalid_transition", f"A {invoice.status} invoice cannot be voided.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("invalid_input", "A reason is required to void an invoice.")
    invoice.status = Invoice.Status.VOID
    invoice.void_reason = reason
    invoice.voided_at = timezone.now()
    invoice.full_clean()
    invoice.save(update_fields=["status", "void_reason", "voided_at"])
    return invoice


def admission_nights(admission: Admission, *, now: datetime.datetime | None = None) -> int:
    """Nights between the local dates of admission and discharge (or now), at least one."""
    end = admission.discharged_at or now or timezone.now()
    nights = (timezone.localdate(end) - timezone.localdate(admission.admitted_at)).days
    return max(nights, 1)


@transaction.atomic
def invoice_from_admission(
    *, admission: Admission, actor: User, now: datetime.datetime | None = None
) -> Invoice:
    """Draft the admission's invoice: the room for its nights, each completed visit's fee, and each
    test of its released lab orders at the catalog price it was ordered at."""
    department = admission.department
    nights = admission_nights(admission, now=now)
    lines = [{
        "category": InvoiceLine.Category.ROOM,
        "description": f"Room, {department.name}: {nights} night{'s' if nights != 1 else ''}",
        "quantity": nights,
        "unit_price": department.daily_room_rate,
    }]
    visits = (
        admission.appointments.filter(status=Appointment.Status.COMPLETED)
        .select_related("doctor__user")
        .order_by("start", "created_at")
    )
    for visit in visits:
        when = f" on {timezone.localdate(visit.start):%Y-%m-%d}" if visit.start else ""
        lines.append({
            "category": InvoiceLine.Category.DOCTOR_FEE,
            "description": f"Consultation with {visit.doctor}{when}",
            "quantity": 1,
            "unit_price": visit.doctor.consultation_fee,
        })
    for item in admission_released_items(admission):
        lines.append({
            "category": InvoiceLine.Category.OTHER,
            "description": f"Lab test: {item.test.name[:160]} ({item.test.loinc}), released "
                           f"{timezone.localdate(item.order.released_at):%Y-%m-%d}",
            "quantity": 1,
            "unit_price": item.price,
        })
    return invoice_create(actor=actor, patient=admission.patient, admission=admission, lines=lines)
