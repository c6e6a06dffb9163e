"""Factories of billing records, and of the admissions and visits invoices refer to."""

import datetime
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from appointments.models import Appointment
from billing.models import Invoice, InvoiceLine, Payment
from clinical.models import Admission
from tests.factories.accounts import AdminFactory, PatientProfileFactory

# The contract's example: room 3000.00, medicine 250.00, doctor fee 1250.00, other 60.00.
EXAMPLE_LINES = [
    {"category": "room", "description": "Room, Cardiology", "quantity": 2, "unit_price": "1500.00"},
    {"category": "medicine", "description": "Atorvastatin", "quantity": 1, "unit_price": "250.00"},
    {"category": "doctor_fee", "description": "Consultation", "quantity": 1, "unit_price": "1250.00"},
    {"category": "other", "description": "Blood test kit", "quantity": 3, "unit_price": "20.00"},
]
EXAMPLE_BREAKDOWN = {
    "room_charge": "3000.00", "medicine_cost": "250.00", "doctor_fee": "1250.00",
    "other_charge": "60.00", "total_cost": "4560.00",
}


def admission_for(patient, doctor, **fields) -> Admission:
    """An admission of `patient` under `doctor`, in the doctor's department, three days ago."""
    fields.setdefault("admitted_at", timezone.now() - datetime.timedelta(days=3))
    fields.setdefault("department", doctor.department)
    fields.setdefault("created_by", doctor.user)
    return Admission.objects.create(patient=patient, assigned_doctor=doctor, **fields)


def visit_for(patient, doctor, *, days_ago: int = 2, **fields) -> Appointment:
    """A completed 30-minute visit `days_ago` days back (other statuses via `status=`)."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago)
    fields.setdefault("status", Appointment.Status.COMPLETED)
    fields.setdefault("created_by", doctor.user)
    return Appointment.objects.create(
        patient=patient, doctor=doctor, start=start, end=start + datetime.timedelta(minutes=30),
        **fields,
    )


class InvoiceFactory(factory.django.DjangoModelFactory):
    """A draft invoice; `InvoiceLineFactory` adds its lines."""

    class Meta:
        model = Invoice

    patient = factory.SubFactory(PatientProfileFactory)
    currency = factory.LazyFunction(lambda: settings.HOSPITAL_CURRENCY)
    created_by = factory.SubFactory(AdminFactory)


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    category = InvoiceLine.Category.OTHER
    description = "Dressing"
    quantity = 1
    unit_price = Decimal("100.00")
    position = factory.Sequence(lambda n: n)


def example_invoice(patient, **fields) -> Invoice:
    """A draft with the contract's example lines."""
    invoice = InvoiceFactory(patient=patient, **fields)
    for position, line in enumerate(EXAMPLE_LINES):
        InvoiceLineFactory(invoice=invoice, position=position, **{
            **line, "unit_price": Decimal(line["unit_price"])})
    return invoice


def issued_invoice(patient, *, number: str = "2026-900001", **fields) -> Invoice:
    """An issued invoice with the example lines (total 4560.00), numbered outside the counter."""
    invoice = example_invoice(patient, **fields)
    invoice.status = Invoice.Status.ISSUED
    invoice.number = number
    invoice.issued_at = timezone.now()
    invoice.save()
    return invoice


def payment_on(invoice, amount: str, *, by=None) -> Payment:
    return Payment.objects.create(
        invoice=invoice, amount=Decimal(amount), method=Payment.Method.CASH,
        received_by=by or invoice.created_by,
    )

